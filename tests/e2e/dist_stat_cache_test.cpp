// A rerun of dist costs a look (issue 17, item 2): the pack cache's key takes each input file's
// hash from the stat index when device, inode, size, mtime and ctime are all as recorded, so
// an unchanged rerun hashes no file; and a file rewritten with its old size and its mtime put
// back (what a careless tool or a restore does) is caught by its ctime, hashed and packed again,
// giving the bytes a run without any cache gives. The cache lives under the TempDir.
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_std = "rust-std-1.95.0-x86_64-unknown-linux-gnu";

ProcessResult dist(const fs::path& stage, const fs::path& out, const fs::path& xdg,
                   bool cache = true) {
  return run_distbuild({"dist", "--stage", stage.string(), "--out", out.string(), "--version",
                        "1.95.0", "--date", "2026-04-16", "--profile", "fast"},
                       {{"XDG_CACHE_HOME", xdg.string()},
                        {"DISTBUILD_CACHE_DIR", ""},
                        {"DISTBUILD_NO_CACHE", cache ? "" : "1"}});
}

std::string line_of(const std::string& log, const std::string& start) {
  auto at = log.find(start);
  return at == std::string::npos ? "" : log.substr(at, log.find('\n', at) - at);
}

TEST(DistStatCache, UnchangedRerunHashesNothingAndASameSizeSameMtimeEditIsRepacked) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  // The index trusts only files older than its one-second racy margin (source_digests.hpp).
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));

  auto first = dist(dir / "stage", dir / "tree1", dir / "xdg");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(line_of(first.err, "pack " + k_std + ": inputs:"),
            "pack " + k_std + ": inputs: 0 unchanged by stat, 2 hashed")
      << first.err;

  auto second = dist(dir / "stage", dir / "tree2", dir / "xdg");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  for (const std::string stem : {"rustc-1.95.0-" + k_host, "cargo-1.95.0-" + k_host, k_std}) {
    const std::string line = line_of(second.err, "pack " + stem + ": inputs:");
    EXPECT_TRUE(line.ends_with(" unchanged by stat, 0 hashed")) << line << "\n" << second.err;
  }
  const fs::path tarball = fs::path("dist/2026-04-16") / (k_std + ".tar.xz");
  EXPECT_EQ(read_file(dir / "tree1" / tarball), read_file(dir / "tree2" / tarball));

  // Same size, mtime put back: only ctime tells.
  const fs::path rlib = dir / "stage/rust-std" / k_host / "lib/rustlib" / k_host /
                        "lib/libstd-fake.rlib";
  const auto mtime = fs::last_write_time(rlib);
  const std::string before = read_file(rlib);
  {
    std::ofstream out(rlib, std::ios::binary | std::ios::in | std::ios::out);
    out.write("NOT", 3);
  }
  fs::last_write_time(rlib, mtime);
  ASSERT_EQ(fs::file_size(rlib), before.size());
  ASSERT_EQ(fs::last_write_time(rlib), mtime);
  ASSERT_NE(read_file(rlib), before);

  auto third = dist(dir / "stage", dir / "tree3", dir / "xdg");
  ASSERT_EQ(third.exit_code, 0) << third.err;
  EXPECT_EQ(line_of(third.err, "pack " + k_std + ": inputs:"),
            "pack " + k_std + ": inputs: 1 unchanged by stat, 1 hashed")
      << third.err;
  EXPECT_NE(read_file(dir / "tree2" / tarball), read_file(dir / "tree3" / tarball));
  // The bytes depend on content only: what a run without any cache writes.
  auto uncached = dist(dir / "stage", dir / "tree4", dir / "xdg", false);
  ASSERT_EQ(uncached.exit_code, 0) << uncached.err;
  EXPECT_EQ(snapshot_tree(dir / "tree3/dist"), snapshot_tree(dir / "tree4/dist"));
}

// An installed toolchain is split into images before it is packed. With a cache the split
// goes to a slot under <cache>/split/ that the next run reuses: an unchanged toolchain is not
// linked again, so its files keep their ctimes and the stat index vouches for them (before,
// every run's new hard links moved every ctime and the 52,000 files of rust-docs were hashed
// on each rerun). A slot in use by another run is never shared.
TEST(DistStatCache, AToolchainRerunLinksNothingAndHashesNothing) {
  TempDir dir;
  make_fake_toolchain(dir / "toolchain", "2026-03-05");
  auto dist = [&](const std::string& tree) {
    return run_distbuild({"dist", "--toolchain", (dir / "toolchain").string(), "--out",
                          (dir / tree).string(), "--profile", "fast", "--formats", "gz"},
                         {{"XDG_CACHE_HOME", (dir / "xdg").string()},
                          {"DISTBUILD_CACHE_DIR", ""},
                          {"DISTBUILD_NO_CACHE", ""}});
  };
  const fs::path rlib = dir / "toolchain/lib/rustlib" / k_host / "lib/libstd-fake.rlib";
  ASSERT_EQ(dist("tree1").exit_code, 0);
  // Files linked or changed within the index's racy margin are hashed once more, then known.
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  ASSERT_EQ(dist("tree2").exit_code, 0);
  const struct stat before = stat_of(rlib);

  auto third = dist("tree3");
  ASSERT_EQ(third.exit_code, 0) << third.err;
  for (const std::string stem : {"rustc-1.94.0-" + k_host, "rust-std-1.94.0-" + k_host}) {
    EXPECT_EQ(line_of(third.err, "pack " + stem + ": inputs:"),
              "pack " + stem + ": inputs: 1 unchanged by stat, 0 hashed")
        << third.err;
  }
  const struct stat after = stat_of(rlib);
  EXPECT_EQ(after.st_ctim.tv_sec, before.st_ctim.tv_sec);
  EXPECT_EQ(after.st_ctim.tv_nsec, before.st_ctim.tv_nsec);
  EXPECT_EQ(after.st_nlink, 2u);  // the toolchain's name and the slot's link, nothing left over
  EXPECT_EQ(snapshot_tree(dir / "tree1/dist"), snapshot_tree(dir / "tree3/dist"));

  // Another run holds the slot: this one takes the next, with the same result.
  std::vector<fs::path> locks;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "xdg")) {
    if (entry.path().filename() == "slot-0.lock") {
      locks.push_back(entry.path());
    }
  }
  ASSERT_EQ(locks.size(), 1u);
  const int held = ::open(locks[0].c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_EQ(::flock(held, LOCK_EX | LOCK_NB), 0);
  auto fourth = dist("tree4");
  ::close(held);
  ASSERT_EQ(fourth.exit_code, 0) << fourth.err;
  EXPECT_TRUE(fs::is_directory(locks[0].parent_path() / "slot-1"));
  EXPECT_EQ(snapshot_tree(dir / "tree1/dist"), snapshot_tree(dir / "tree4/dist"));

  // `cache prune --all` drops the idle slots, whose links would keep the files on disk.
  auto prune = run_distbuild({"cache", "prune", "--all", "--cache-dir",
                              (dir / "xdg/distbuild/pack").string()});
  ASSERT_EQ(prune.exit_code, 0) << prune.err;
  EXPECT_FALSE(fs::exists(locks[0].parent_path() / "slot-0"));
  EXPECT_FALSE(fs::exists(locks[0].parent_path() / "slot-1"));
  EXPECT_EQ(stat_of(rlib).st_nlink, 1u);
}

} // namespace
} // namespace distbuild::testutil
