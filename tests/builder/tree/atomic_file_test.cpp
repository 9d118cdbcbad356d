// AtomicFile: an output appears under its name only when complete; a failed or abandoned write
// leaves the previous file untouched and no temp file behind; the mode never depends on umask.
#include "builder/tree/atomic_file.hpp"

#include "builder/tree/error.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::size_t entries_in(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), {}));
}

TEST(AtomicFile, NothingUnderTheNameUntilCommit) {
  TempDir dir;
  const fs::path out = dir / "out.txt";
  {
    AtomicFile file(out);
    file.write("hello ");
    file.write("world");
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(fs::exists(file.temp_path()));
    EXPECT_EQ(file.temp_path().parent_path(), out.parent_path());  // same file system: rename
    file.commit();
  }
  EXPECT_EQ(read_file(out), "hello world");
  EXPECT_EQ(entries_in(dir.path()), 1u);  // the temp name is gone
}

TEST(AtomicFile, AbandonedWriteKeepsThePreviousFileAndLeavesNoTemp) {
  TempDir dir;
  const fs::path out = dir / "manifest.toml";
  write_file_atomically(out, "old\n");
  {
    AtomicFile file(out);
    file.write("half of the new");
  }  // no commit: as when an exception unwinds
  EXPECT_EQ(read_file(out), "old\n");
  EXPECT_EQ(entries_in(dir.path()), 1u);
}

TEST(AtomicFile, ModeIs0644WhateverTheUmask) {
  TempDir dir;
  const mode_t before = ::umask(077);
  write_file_atomically(dir / "a", "x");
  ::umask(before);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "a").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
}

TEST(AtomicFile, MissingDirectoryIsNamedAndNothingIsCreated) {
  TempDir dir;
  const fs::path out = dir / "no-such-dir" / "x";
  try {
    write_file_atomically(out, "x");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
  }
  EXPECT_EQ(entries_in(dir.path()), 0u);
}

TEST(AtomicFile, ReadFileNamesAMissingFile) {
  TempDir dir;
  try {
    read_file(dir / "missing");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find((dir / "missing").string()), std::string::npos);
  }
}

} // namespace
} // namespace distbuild::builder
