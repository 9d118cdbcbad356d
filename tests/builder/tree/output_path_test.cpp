// What an output may replace (output_path.hpp), through the AtomicFile every command writes
// with: a fifo, a directory, a symlink to either are refused before anything is written; a
// regular file, a dangling link or a link to a regular file are replaced by the new file, and a
// link's target is never written.
#include "builder/tree/atomic_file.hpp"

#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::string error_of(const fs::path& path) {
  try {
    write_file_atomically(path, "new bytes\n");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

// Nothing but `keep` in dir: a refused output leaves no temp file behind.
void expect_only(const fs::path& dir, const std::string& keep) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    EXPECT_EQ(entry.path().filename().string(), keep);
  }
}

TEST(OutputPath, FifoIsRefusedAndStaysAFifo) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "out").c_str(), 0644), 0);
  EXPECT_EQ(error_of(dir / "out"),
            (dir / "out").string() + ": is a fifo, not a regular file; distbuild writes an "
                                     "output to a temporary file and renames it into place, "
                                     "which would replace it: name a regular file instead");
  EXPECT_EQ(fs::status(dir / "out").type(), fs::file_type::fifo);
  expect_only(dir.path(), "out");
}

TEST(OutputPath, DirectoryIsRefusedAndKept) {
  TempDir dir;
  testutil::write_file(dir / "out/inside.txt", "kept");
  EXPECT_NE(error_of(dir / "out").find("is a directory, not a regular file"), std::string::npos);
  EXPECT_EQ(testutil::read_file(dir / "out/inside.txt"), "kept");
  expect_only(dir.path(), "out");
}

TEST(OutputPath, SymlinkToAFifoIsRefused) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "pipe").c_str(), 0644), 0);
  fs::create_symlink(dir / "pipe", dir / "out");
  EXPECT_NE(error_of(dir / "out").find("is a symlink to a fifo"), std::string::npos);
  EXPECT_TRUE(fs::is_symlink(dir / "out"));
}

TEST(OutputPath, SymlinkToAFileIsReplacedNotWrittenThrough) {
  TempDir dir;
  testutil::write_file(dir / "target.txt", "old target\n");
  fs::create_symlink(dir / "target.txt", dir / "out");
  fs::create_symlink(dir / "nowhere", dir / "dangling");
  write_file_atomically(dir / "out", "new bytes\n");
  write_file_atomically(dir / "dangling", "new bytes\n");
  EXPECT_FALSE(fs::is_symlink(dir / "out"));
  EXPECT_EQ(testutil::read_file(dir / "out"), "new bytes\n");
  EXPECT_EQ(testutil::read_file(dir / "target.txt"), "old target\n");
  EXPECT_FALSE(fs::is_symlink(dir / "dangling"));
  EXPECT_FALSE(fs::exists(dir / "nowhere"));
}

TEST(OutputPath, LinkOrCopyRefusesAFifoToo) {
  TempDir dir;
  testutil::write_file(dir / "src", "bytes");
  ASSERT_EQ(::mkfifo((dir / "dst").c_str(), 0644), 0);
  EXPECT_THROW(link_or_copy_atomically(dir / "src", dir / "dst"), Error);
  EXPECT_EQ(fs::status(dir / "dst").type(), fs::file_type::fifo);
}

// Publishing moves staged files into the tree by name: a planted fifo there is refused too, and
// the lock is never taken through a planted link.
TEST(OutputPath, PublishingPrimitivesRefuseNonFiles) {
  TempDir dir;
  testutil::write_file(dir / "staging/channel-rust-stable.toml", "manifest\n");
  fs::create_directories(dir / "dated");
  ASSERT_EQ(::mkfifo((dir / "dated/channel-rust-stable.toml").c_str(), 0644), 0);
  EXPECT_THROW(move_with_sidecars(dir / "staging", dir / "dated", "channel-rust-stable.toml"),
               Error);
  EXPECT_EQ(fs::status(dir / "dated/channel-rust-stable.toml").type(), fs::file_type::fifo);

  fs::create_directories(dir / "tree");
  fs::create_symlink(dir / "elsewhere.lock", dir / "tree/.distbuild.lock");
  EXPECT_THROW(TreeLock lock(dir / "tree"), Error);
  EXPECT_FALSE(fs::exists(dir / "elsewhere.lock"));
}

} // namespace
} // namespace distbuild::builder
