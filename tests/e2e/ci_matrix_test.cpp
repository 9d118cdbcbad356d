// The README's CI-matrix example ("Many machines: one runner per target, one assembly step"), run
// with two directories standing for two runners: each packs its components with `pack`, which
// writes <stem>.facts.json beside the tarballs, and one `dist --tarballs A --tarballs B` assembles
// the tree, which the real rustup installs. What is asserted is what the facts are for, counted
// by the kernel: an inotify watch on each tarball's inode sees every open, whatever the path (the
// tree's hard links included). On the runners' own disk no tarball is opened at all; after a copy
// (a CI artifact download keeps no stat) each is opened exactly once, to be hashed; without facts
// the same assembly opens tarballs more often (so the count can fail). A tarball whose bytes
// changed with its size and mtime kept is refused, on the same disk too (ctime is in the key).
#include "tests/e2e/dist_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/inotify.h>
#include <unistd.h>

#include <fstream>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_cross = "aarch64-unknown-linux-gnu";
const std::string k_version_text = "1.95.0 (abcdef123 2026-04-14)";

// Counts IN_OPEN on each watched file's inode until read.
class OpenCounter {
public:
  explicit OpenCounter(const std::vector<fs::path>& files)
      : m_fd(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC)) {
    for (const auto& file : files) {
      int wd = ::inotify_add_watch(m_fd, file.c_str(), IN_OPEN);
      EXPECT_GE(wd, 0) << file;
      m_names[wd] = file.filename().string();
      m_opens[file.filename().string()] = 0;
    }
  }
  ~OpenCounter() { ::close(m_fd); }
  OpenCounter(const OpenCounter&) = delete;
  OpenCounter& operator=(const OpenCounter&) = delete;

  // file name -> opens seen so far.
  const std::map<std::string, int>& opens() {
    alignas(inotify_event) char buffer[64 * 1024];
    for (;;) {
      ssize_t got = ::read(m_fd, buffer, sizeof buffer);
      if (got <= 0) {
        break;
      }
      for (char* p = buffer; p < buffer + got;) {
        auto* event = reinterpret_cast<inotify_event*>(p);
        if (event->mask & IN_OPEN) {
          ++m_opens[m_names[event->wd]];
        }
        p += sizeof(inotify_event) + event->len;
      }
    }
    return m_opens;
  }

private:
  int m_fd;
  std::map<int, std::string> m_names;
  std::map<std::string, int> m_opens;
};

std::vector<fs::path> tarballs_in(const std::vector<fs::path>& dirs) {
  std::vector<fs::path> files;
  for (const auto& dir : dirs) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      if (entry.path().string().find(".tar.") != std::string::npos) {
        files.push_back(entry.path());
      }
    }
  }
  return files;
}

// One runner's job in the README example: pack the given components of the stage.
void run_runner(const fs::path& stage, const fs::path& out, const std::string& host,
                const std::vector<std::string>& std_targets, bool with_host_tools) {
  auto pack = [&](const std::string& package, const std::string& component,
                  const std::string& target) {
    auto r = run_distbuild({"pack", "--image", (stage / package / target).string(), "--component",
                            component, "--package", package, "--version", "1.95.0", "--target",
                            target, "--version-info", k_version_text, "--profile", "fast",
                            "--output-dir", out.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  if (with_host_tools) {
    pack("rustc", "rustc", host);
    pack("cargo", "cargo", host);
  }
  for (const auto& target : std_targets) {
    pack("rust-std", "rust-std-" + target, target);
  }
}

ProcessResult assemble(const std::vector<fs::path>& runners, const fs::path& tree) {
  std::vector<std::string> args{"dist", "--out", tree.string(), "--date", "2026-04-16"};
  for (const auto& runner : runners) {
    args.push_back("--tarballs");
    args.push_back(runner.string());
  }
  return run_distbuild(args);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

void copy_dir(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const auto& entry : fs::directory_iterator(from)) {
    fs::copy_file(entry.path(), to / entry.path().filename());  // new inode, new times
  }
}

// Rewrites one byte in place, then puts size and mtime back as they were.
void forge_keeping_size_and_mtime(const fs::path& file) {
  const auto mtime = fs::last_write_time(file);
  const auto size = fs::file_size(file);
  {
    std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
    stream.seekg(static_cast<std::streamoff>(size / 2));
    char byte = 0;
    stream.read(&byte, 1);
    stream.seekp(static_cast<std::streamoff>(size / 2));
    byte = static_cast<char>(byte ^ 0x5a);
    stream.write(&byte, 1);
  }
  fs::last_write_time(file, mtime);
  ASSERT_EQ(fs::file_size(file), size);
}

// Two runners' outputs, as a CI matrix leaves them: the host's tools and std on one, the
// cross target's std on the other.
class CiMatrix : public ::testing::Test {
protected:
  void SetUp() override {
    make_fake_stage(dir / "stage", k_host, k_version_text, {k_cross});
    run_runner(dir / "stage", runner_a, k_host, {k_host}, true);
    run_runner(dir / "stage", runner_b, k_host, {k_cross}, false);
  }
  TempDir dir;
  const fs::path runner_a = dir / "runner-x86_64";
  const fs::path runner_b = dir / "runner-aarch64";
};

TEST_F(CiMatrix, TwoRunnersAssembleFromFactsAndRustupInstalls) {

  // pack wrote the facts: what reading the installer would say, and the tarballs' hashes.
  const std::string std_stem = "rust-std-1.95.0-" + k_cross;
  auto facts = nlohmann::json::parse(read_file(runner_b / (std_stem + ".facts.json")));
  EXPECT_EQ(facts["components"], nlohmann::json::array({"rust-std-" + k_cross}));
  EXPECT_EQ(facts["version"], k_version_text);
  ASSERT_EQ(facts["tarballs"].size(), 3u);
  for (const auto& tarball : facts["tarballs"]) {
    EXPECT_EQ(tarball["sha256"], sha256_file(runner_b / tarball["file"].get<std::string>()));
  }

  // 1. The runners' own disk (a shared volume): every tarball taken by its facts, none opened.
  const auto own = tarballs_in({runner_a, runner_b});
  ASSERT_EQ(own.size(), 4u * 3u);
  {
    OpenCounter counter(own);
    auto r = assemble({runner_a, runner_b}, dir / "tree");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& [name, opens] : counter.opens()) {
      EXPECT_EQ(opens, 0) << name << " was opened although its facts held";
    }
    EXPECT_EQ(count(r.err, "(facts: unchanged since pack, not read)"), 12u) << r.err;
  }

  // 2. After an artifact download (new inodes and times): each tarball read exactly once.
  copy_dir(runner_a, dir / "download/x86_64");
  copy_dir(runner_b, dir / "download/aarch64");
  const std::vector<fs::path> downloaded{dir / "download/x86_64", dir / "download/aarch64"};
  {
    OpenCounter counter(tarballs_in(downloaded));
    auto r = assemble(downloaded, dir / "tree-downloaded");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    for (const auto& [name, opens] : counter.opens()) {
      EXPECT_EQ(opens, 1) << name;
    }
    EXPECT_EQ(count(r.err, "(facts: hash checked, one read)"), 12u) << r.err;
  }
  EXPECT_EQ(snapshot_tree(dir / "tree/dist"), snapshot_tree(dir / "tree-downloaded/dist"));

  // 3. The same without facts: tarballs are read again (the count above can fail), same tree.
  copy_dir(runner_a, dir / "nofacts/x86_64");
  copy_dir(runner_b, dir / "nofacts/aarch64");
  const std::vector<fs::path> bare{dir / "nofacts/x86_64", dir / "nofacts/aarch64"};
  for (const auto& runner : bare) {
    for (const auto& entry : fs::directory_iterator(runner)) {
      if (entry.path().string().ends_with(".facts.json")) {
        fs::remove(entry.path());
      }
    }
  }
  {
    OpenCounter counter(tarballs_in(bare));
    auto r = assemble(bare, dir / "tree-nofacts");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int total = 0;
    for (const auto& [name, opens] : counter.opens()) {
      total += opens;
    }
    EXPECT_GT(total, 12) << "without facts, some tarball is read twice (installer, then hash)";
  }
  EXPECT_EQ(snapshot_tree(dir / "tree/dist"), snapshot_tree(dir / "tree-nofacts/dist"));

  // 4. rustup installs the assembled tree, with the other runner's target.
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup({"toolchain", "install", "1.95.0", "--profile", "minimal",
                              "--target", k_cross, "--no-self-update"},
                             "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto version = home.rustup({"run", "1.95.0", "rustc", "--version"});
  EXPECT_EQ(version.out, "rustc " + k_version_text + "\n");
  EXPECT_TRUE(fs::exists(home.rustup_home() / ("toolchains/1.95.0-" + k_host) / "lib/rustlib" /
                         k_cross / "lib/libstd-fake.rlib"));
}

TEST_F(CiMatrix, ATarballChangedAfterPackIsRefusedEvenWithSizeAndMtimeKept) {

  // In place on the runner's disk: size and mtime as pack left them, but ctime moved.
  const fs::path forged = runner_b / ("rust-std-1.95.0-" + k_cross + ".tar.xz");
  forge_keeping_size_and_mtime(forged);
  ASSERT_FALSE(HasFatalFailure());
  auto r = assemble({runner_a, runner_b}, dir / "tree");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(forged.string() + ": its SHA-256 is not the one"), std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "tree"));

  // A damaged facts file is refused too, never taken as "no facts".
  write_file(runner_a / ("rustc-1.95.0-" + k_host + ".facts.json"), "{\"distbuild_facts\": 1");
  r = assemble({runner_a}, dir / "tree");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a facts file distbuild can read"), std::string::npos) << r.err;

  // Facts that vouch for none of the tarballs beside them are refused too.
  write_file(runner_a / ("rustc-1.95.0-" + k_host + ".facts.json"),
             R"({"distbuild_facts": 1, "installer": "rustc-1.95.0-)" + k_host +
                 R"(", "components": ["rustc"], "tarballs": []})");
  r = assemble({runner_a}, dir / "tree");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("lists none of the tarballs beside it"), std::string::npos) << r.err;

  // A size that differs is refused without reading.
  fs::remove(runner_a / ("rustc-1.95.0-" + k_host + ".facts.json"));
  const fs::path cargo = runner_a / ("cargo-1.95.0-" + k_host + ".tar.gz");
  write_file(cargo, read_file(cargo) + "x");
  r = assemble({runner_a}, dir / "tree");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(cargo.string() + ": is "), std::string::npos) << r.err;
}

} // namespace
} // namespace distbuild::testutil
