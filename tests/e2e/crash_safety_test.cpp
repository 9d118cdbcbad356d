// A publish into an existing signed tree of two releases, interrupted at many points (issue 18
// item 4, README "Crash safety"):
//   - SIGKILL: strace's fault injection (signal=KILL on the Nth rename of the main thread, N
//     spread over every rename of the run, the last ones included, and on unlinks and writes);
//   - a full disk: the Nth write fails with ENOSPC (once, and from then on), and a real small
//     tmpfs in a user namespace at several sizes.
// After each one the tree verifies with its key, the real rustup installs the previous release
// from it (a subset of the points: each install takes seconds), and a rerun completes, verifies
// and leaves no staging, work or generation dir behind (crash_safety_support.hpp).
#include "tests/e2e/crash_safety_support.hpp"
#include "tests/e2e/dist_test_support.hpp"
#include "builder/tree/publish.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace distbuild::testutil {
namespace {

// `count` points spread evenly over 1..total, the last ones included.
std::vector<int> spread(int total, int count) {
  std::set<int> points;
  for (int i = 0; i < count && total > 0; ++i) {
    points.insert(total - (i * (total - 1)) / std::max(1, count - 1));
  }
  return {points.begin(), points.end()};
}

struct Injection {
  std::string syscalls;  // strace's set, e.g. "rename,renameat,renameat2"
  std::string action;    // "signal=KILL" or "error=ENOSPC"
  std::string when;      // "7" or "7+"
  std::string label() const { return syscalls + ":" + action + ":when=" + when; }
};

std::vector<std::string> strace_prefix(const Injection& injection) {
  return {*strace_binary(), "-qq", "-o", "/dev/null", "-e", "trace=" + injection.syscalls,
          "-e", "inject=" + injection.syscalls + ":" + injection.action + ":when=" + injection.when};
}

// Runs one interrupted publish and judges the tree; returns whether the run was interrupted
// (killed, or failed) rather than finished.
bool judge(const CrashTrees& trees, const Injection& injection, int index, bool with_rustup,
           bool expect_kill) {
  SCOPED_TRACE(injection.label());
  const fs::path tree = trees.fresh_tree("point-" + std::to_string(index));
  ProcessResult run = trees.publish_under(strace_prefix(injection), tree);
  bool interrupted = run.exit_code != 0;
  if (expect_kill && interrupted) {
    EXPECT_EQ(run.exit_code, 128 + 9) << run.err;
  }
  if (!expect_kill && interrupted && !injection.when.ends_with("+")) {
    // One write failed: the error message still gets out (with "N+" every later write fails,
    // the message too; the real full file system below checks the message then).
    EXPECT_NE(run.err.find("No space left on device"), std::string::npos) << run.err;
  }
  EXPECT_EQ(trees.verify(tree), "") << "after the interrupted run";
  if (with_rustup) {
    EXPECT_EQ(trees.rustup_installs_previous(tree), "");
  }
  EXPECT_EQ(trees.rerun_finishes(tree), "");
  fs::remove_all(tree.parent_path());
  return interrupted;
}

// Judges every point, two at a time (most of a point's time is fsync and gpg, not CPU); returns
// how many were interrupted.
int judge_all(const CrashTrees& trees, const std::vector<Injection>& points, int rustup_every,
              bool expect_kill) {
  std::atomic<std::size_t> next{0};
  std::atomic<int> interrupted{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < points.size(); i = next++) {
      bool with_rustup = static_cast<int>(i % rustup_every) == rustup_every - 1;
      if (judge(trees, points[i], static_cast<int>(i), with_rustup, expect_kill)) {
        ++interrupted;
      }
    }
  };
  std::thread other(worker);
  worker();
  other.join();
  return interrupted;
}

class CrashSafety : public ::testing::Test {
protected:
  void SetUp() override {
    DISTBUILD_REQUIRE(strace_binary().has_value(), "strace");
    DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
    DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgconf");
    m_trees = std::make_unique<CrashTrees>();
    ASSERT_TRUE(m_trees->ok()) << m_trees->setup_error();
  }
  std::unique_ptr<CrashTrees> m_trees;
};

// What a dead run left is removed by the next run that holds the lock, and never while another
// run holds it (that run may be alive: its staging and work dirs are in use).
TEST(CrashCleanup, LeftoversAreRemovedOnlyUnderTheLock) {
  TempDir dir;
  make_fake_stage(dir / "stage", "x86_64-unknown-linux-gnu", "1.95.0 (abcdef123 2026-04-16)");
  const fs::path tree = dir / "trees" / "tree";
  auto dist = [&] {
    return run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out", tree.string(),
                          "--version", "1.95.0", "--date", "2026-04-16", "--profile", "fast",
                          "--formats", "gz"});
  };
  ASSERT_EQ(dist().exit_code, 0);
  const std::vector<fs::path> left{
      tree / ".distbuild-work-4000001", tree / ".distbuild-overlay-4000002",
      tree / "dist/.staging-2026-05-01-4000003", dir / "trees/.tree.distbuild-gen-4000004",
      tree / "dist/.channel-rust-stable.toml.tmp-4000005-3"};
  for (const auto& path : left) {
    if (path.filename().string().find(".tmp-") != std::string::npos) {
      write_file(path, "half a manifest");
    } else {
      fs::create_directories(path / "dist");
      write_file(path / "dist/x.tar.gz", "half a tarball");
    }
  }
  {
    builder::TreeLock live(tree);  // a live run holds the tree
    auto refused = dist();
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("another distbuild run is writing this tree"), std::string::npos)
        << refused.err;
    for (const auto& path : left) {
      EXPECT_TRUE(fs::exists(path)) << path << " removed while a run held the lock";
    }
  }
  ASSERT_EQ(dist().exit_code, 0);
  for (const auto& path : left) {
    EXPECT_FALSE(fs::exists(path)) << path << " left behind";
  }
  EXPECT_EQ(CrashTrees::leftovers(tree), std::vector<std::string>{});
  EXPECT_EQ(run_distbuild({"verify", "--allow-unsigned", tree.string()}).exit_code, 0);
}

TEST_F(CrashSafety, KilledAtAnyPointTheTreeVerifiesInstallsAndARerunFinishes) {
  const std::string renames = "rename,renameat,renameat2";
  const std::string unlinks = "unlink,unlinkat,rmdir";
  const int rename_count = m_trees->count_syscalls(renames);
  const int unlink_count = m_trees->count_syscalls(unlinks);
  const int write_count = m_trees->count_syscalls("write");
  ASSERT_GT(rename_count, 20);
  ASSERT_GT(unlink_count, 2);
  ASSERT_GT(write_count, 4);
  std::vector<Injection> points;
  for (int n : spread(rename_count, 16)) {
    points.push_back({renames, "signal=KILL", std::to_string(n)});
  }
  for (int n : spread(unlink_count, 3)) {
    points.push_back({unlinks, "signal=KILL", std::to_string(n)});
  }
  for (int n : spread(write_count, 3)) {
    points.push_back({"write", "signal=KILL", std::to_string(n)});
  }
  const int killed = judge_all(*m_trees, points, 6, true);
  EXPECT_GE(killed, 20) << "of " << points.size() << " points (" << rename_count << " renames)";
}

TEST_F(CrashSafety, ADiskThatFillsLeavesAVerifyingTreeAndARerunFinishes) {
  const int write_count = m_trees->count_syscalls("write,pwrite64");
  ASSERT_GT(write_count, 4);
  std::vector<Injection> points;
  for (int n : spread(write_count, 7)) {
    points.push_back({"write,pwrite64", "error=ENOSPC", std::to_string(n)});  // one write fails
  }
  for (int n : spread(write_count - 1, 4)) {
    points.push_back({"write,pwrite64", "error=ENOSPC", std::to_string(n) + "+"});  // all fail
  }
  const int failed = judge_all(*m_trees, points, 6, false);
  EXPECT_GE(failed, 8) << "of " << points.size() << " points";
}

// A real full file system: a tmpfs short of space or of inodes, mounted in a user namespace (no root needed
// where the kernel allows unprivileged user namespaces; skipped where it does not).
TEST_F(CrashSafety, ARealSmallFileSystemThatFillsLeavesAVerifyingTree) {
  auto unshare = find_tool("unshare");
  DISTBUILD_REQUIRE(unshare.has_value(), "unshare");
  auto probe = run_process({*unshare, "--user", "--map-root-user", "--mount", "true"});
  if (probe.exit_code != 0) {
    GTEST_SKIP() << "no unprivileged user namespaces here: " << probe.err;
  }
  // What the base tree takes, to size the file systems just above it: pages of data, and
  // inodes (tmpfs counts every name of a file, each hard link too).
  std::uintmax_t base_bytes = 0;
  std::uintmax_t base_names = 0;
  for (const auto& entry : fs::recursive_directory_iterator(m_trees->dir() / "base")) {
    ++base_names;
    if (entry.is_regular_file()) {
      base_bytes += (entry.file_size() + 4095) / 4096 * 4096;  // tmpfs counts pages
    }
  }
  struct Room {
    std::uintmax_t kib, inodes;
  };
  const std::uintmax_t base_kib = base_bytes / 1024;
  const std::uintmax_t roomy = base_names * 4;
  // Out of space while packing, while signing; out of inodes while staging and while the old
  // in-place publish replaced top-level files (new names beside the old ones).
  const std::vector<Room> rooms{{base_kib + 8, roomy},
                                {base_kib + 120, roomy},
                                {base_kib + 4096, base_names + 42},
                                {base_kib + 4096, base_names + 52},
                                {base_kib + 4096, base_names + 62}};
  int failed = 0;
  for (std::size_t i = 0; i < rooms.size(); ++i) {
    const std::string options = "size=" + std::to_string(rooms[i].kib) +
                                "k,nr_inodes=" + std::to_string(rooms[i].inodes);
    SCOPED_TRACE("tmpfs -o " + options);
    const fs::path mount = m_trees->dir() / ("small-" + std::to_string(i));
    const fs::path after = m_trees->dir() / ("after-" + std::to_string(i));
    fs::create_directories(mount);
    fs::create_directories(after);
    // Inside the namespace: copy the tree in, publish (expected to fail), verify, keep a copy
    // of the tree as the failed run left it, then make room and rerun.
    std::string publish;
    for (const auto& arg : m_trees->publish_args(mount / "tree")) {
      publish += " '" + arg + "'";
    }
    const std::string bin = "'" + distbuild_binary() + "'";
    const std::string script =
        "set -u; mount -t tmpfs -o " + options + " tmpfs '" + mount.string() +
        "' || exit 90; cp -r '" + (m_trees->dir() / "base").string() + "' '" +
        (mount / "tree").string() + "' || exit 91; " + bin + publish + " 2>'" +
        (after / "publish.err").string() + "'; echo $? > '" + (after / "publish.rc").string() +
        "'; " + bin + " verify --key '" + m_trees->key_file().string() + "' '" +
        (mount / "tree").string() + "' >'" + (after / "verify.out").string() +
        "' 2>&1 || exit 92; cp -r '" + (mount / "tree").string() + "' '" +
        (after / "tree").string() + "' || exit 93; mount -o remount,size=64m,nr_inodes=100000 '" +
        mount.string() + "' || exit 94; " + bin + publish + " >/dev/null 2>&1 || exit 95; ls -A '" +
        mount.string() + "' > '" + (after / "rerun.ls").string() + "'; " + bin +
        " verify --key '" + m_trees->key_file().string() + "' '" + (mount / "tree").string() +
        "' >/dev/null 2>&1 || exit 96";
    auto r = run_process({*unshare, "--user", "--map-root-user", "--mount", "sh", "-c", script},
                         {{"DISTBUILD_NO_CACHE", "1"}});
    EXPECT_EQ(r.exit_code, 0) << r.err << "\nverify after the failed run:\n"
                              << (fs::exists(after / "verify.out") ? read_file(after / "verify.out")
                                                                   : "");
    if (r.exit_code != 0) {
      continue;
    }
    if (read_file(after / "publish.rc") != "0\n") {
      ++failed;
      const std::string err = read_file(after / "publish.err");
      EXPECT_NE(err.find("No space left on device"), std::string::npos) << err;
      if (i == 0 || i == 3) {  // rustup takes seconds: one full disk, one out of inodes
        EXPECT_EQ(m_trees->rustup_installs_previous(after / "tree"), "");
      }
    }
    EXPECT_EQ(read_file(after / "rerun.ls"), "tree\n") << "nothing left beside the tree";
  }
  EXPECT_GE(failed, 4) << "the file systems were too large to fill";
}

// mirror (and so overlay, which it runs) publishes through the same next generation: killed at
// points spread over its renames, unlinks and writes, the tree verifies and a rerun finishes.
TEST(CrashSafetyMirror, KilledAtAnyPointTheTreeVerifiesAndARerunFinishes) {
  DISTBUILD_REQUIRE(strace_binary().has_value(), "strace");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgconf");
  CrashTrees trees(Publish::Mirror);
  ASSERT_TRUE(trees.ok()) << trees.setup_error();
  const std::string renames = "rename,renameat,renameat2";
  const std::string unlinks = "unlink,unlinkat,rmdir";
  const int rename_count = trees.count_syscalls(renames);
  const int unlink_count = trees.count_syscalls(unlinks);
  ASSERT_GT(rename_count, 10);
  ASSERT_GT(unlink_count, 2);
  std::vector<Injection> points;
  for (int n : spread(rename_count, 10)) {
    points.push_back({renames, "signal=KILL", std::to_string(n)});
  }
  for (int n : spread(unlink_count, 2)) {
    points.push_back({unlinks, "signal=KILL", std::to_string(n)});
  }
  const int killed = judge_all(trees, points, 6, true);
  EXPECT_GE(killed, 10) << "of " << points.size() << " points (" << rename_count << " renames)";
}

} // namespace
} // namespace distbuild::testutil
