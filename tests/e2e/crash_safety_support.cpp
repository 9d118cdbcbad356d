// See crash_safety_support.hpp.
#include "tests/e2e/crash_safety_support.hpp"

#include "tests/e2e/dist_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <fstream>
#include <sstream>

namespace distbuild::testutil {

namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

struct Release {
  std::string version, date;
};
const Release k_older{"1.94.0", "2026-03-01"};
const Release k_previous{"1.95.0", "2026-04-16"};
const Release k_next{"1.96.0", "2026-05-01"};

std::string tail_of(const ProcessResult& r) {
  std::string text = r.out + r.err;
  return "exit " + std::to_string(r.exit_code) + ": " +
         (text.size() > 3000 ? text.substr(text.size() - 3000) : text);
}

} // namespace

std::optional<std::string> strace_binary() { return find_tool("strace"); }

CrashTrees::CrashTrees(Publish publish) : m_publish(publish) {
  m_keys = std::make_unique<signing::test::GpgHome>();
  m_keys->prefer_sha512();
  m_fpr = m_keys->quick_gen_key("Release <release@example.org>", "ed25519");
  auto exported = m_keys->gpg({"--armor", "--export", m_fpr});
  m_key_file = m_dir / "release-key.asc";
  write_file(m_key_file, exported.out);
  for (const Release& release : {k_older, k_previous, k_next}) {
    make_fake_stage(m_dir / ("stage-" + release.version), k_host,
                    release.version + " (abcdef123 " + release.date + ")");
  }
  // One signed fast gz release from its stage into `out`.
  auto signed_dist = [&](const Release& release, const fs::path& out) {
    return run_distbuild({"dist", "--stage", (m_dir / ("stage-" + release.version)).string(),
                          "--out", out.string(), "--version", release.version, "--date",
                          release.date, "--profile", "fast", "--formats", "gz", "--sign-key",
                          m_fpr, "--gnupg-home", m_keys->path().string()});
  };
  for (const Release& release : {k_older, k_previous}) {
    auto r = signed_dist(release, m_dir / "base");
    if (r.exit_code != 0) {
      m_error = "dist " + release.version + ": " + tail_of(r);
      return;
    }
  }
  m_error = verify(m_dir / "base");
  if (m_error.empty() && m_publish == Publish::Mirror) {
    fs::copy(m_dir / "base", m_dir / "upstream", fs::copy_options::recursive);
    auto r = signed_dist(k_next, m_dir / "upstream");
    if (r.exit_code != 0) {
      m_error = "upstream dist " + k_next.version + ": " + tail_of(r);
    }
  }
  m_ok = m_error.empty();
}

fs::path CrashTrees::fresh_tree(const std::string& name) const {
  fs::path tree = m_dir / name / "tree";
  fs::remove_all(m_dir / name);
  fs::create_directories(m_dir / name);
  fs::copy(m_dir / "base", tree, fs::copy_options::recursive);
  return tree;
}

std::vector<std::string> CrashTrees::publish_args(const fs::path& tree) const {
  if (m_publish == Publish::Mirror) {
    return {"mirror", "--upstream", "file://" + (m_dir / "upstream").string(), "--channels",
            "stable", "--out", tree.string(), "--upstream-key", m_key_file.string(),
            "--sign-key", m_fpr, "--gnupg-home", m_keys->path().string()};
  }
  return {"dist", "--stage", (m_dir / ("stage-" + k_next.version)).string(), "--out",
          tree.string(), "--version", k_next.version, "--date", k_next.date, "--profile", "fast",
          "--formats", "gz", "--sign-key", m_fpr, "--gnupg-home", m_keys->path().string()};
}

ProcessResult CrashTrees::publish_under(const std::vector<std::string>& prefix,
                                        const fs::path& tree) const {
  std::vector<std::string> argv = prefix;
  argv.push_back(distbuild_binary());
  for (const auto& arg : publish_args(tree)) {
    argv.push_back(arg);
  }
  return run_process(argv, {{"DISTBUILD_NO_CACHE", "1"}});
}

int CrashTrees::count_syscalls(const std::string& syscalls) const {
  fs::path tree = fresh_tree("count");
  fs::path log = m_dir / "count" / "strace.log";
  // Without -f: the main thread only (packing threads and gpg are not counted or injected), so
  // the count is the same from run to run.
  auto r = publish_under({*strace_binary(), "-qq", "-o", log.string(), "-e", "trace=" + syscalls},
                         tree);
  if (r.exit_code != 0) {
    return -1;
  }
  std::ifstream in(log);
  int count = 0;
  for (std::string line; std::getline(in, line);) {
    if (!line.starts_with("---") && !line.starts_with("+++") &&
        line.find("resumed>") == std::string::npos && line.find('(') != std::string::npos) {
      ++count;
    }
  }
  fs::remove_all(m_dir / "count");
  return count;
}

std::string CrashTrees::verify(const fs::path& tree) const {
  auto r = run_distbuild({"verify", "--key", m_key_file.string(), tree.string()});
  return r.exit_code == 0 ? "" : "verify: " + tail_of(r);
}

std::string CrashTrees::rustup_installs_previous(const fs::path& tree) const {
  RustupHome home;
  if (!home.ok()) {
    return "rustup-init: " + home.init_output().err;
  }
  const std::string server = "file://" + tree.string();
  for (const std::string& toolchain : {k_previous.version, std::string("stable")}) {
    auto install = home.rustup(
        {"toolchain", "install", toolchain, "--profile", "minimal", "--no-self-update"}, server);
    if (install.exit_code != 0) {
      return "rustup toolchain install " + toolchain + ": " + tail_of(install);
    }
    auto version = home.rustup({"run", toolchain, "rustc", "--version"});
    const std::string text = version.out.substr(0, 12);
    bool expected = toolchain == "stable"
                        ? text == "rustc " + k_previous.version || text == "rustc " + k_next.version
                        : text == "rustc " + k_previous.version;
    if (!expected) {
      return toolchain + " installed '" + version.out + "'";
    }
  }
  return "";
}

std::string CrashTrees::rerun_finishes(const fs::path& tree) const {
  auto r = run_distbuild(publish_args(tree));
  if (r.exit_code != 0) {
    return "rerun: " + tail_of(r);
  }
  std::string verified = verify(tree);
  if (!verified.empty()) {
    return "after the rerun: " + verified;
  }
  if (read_file(tree / "dist/channel-rust-stable-date.txt") != k_next.date) {
    return "after the rerun stable is not " + k_next.version;
  }
  std::string left;
  for (const auto& name : leftovers(tree)) {
    left += " " + name;
  }
  return left.empty() ? "" : "left behind after the rerun:" + left;
}

std::vector<std::string> CrashTrees::leftovers(const fs::path& tree) {
  std::vector<std::string> found;
  auto bad = [](const std::string& name) {
    return name.starts_with(".staging-") || name.starts_with(".distbuild-work-") ||
           name.starts_with(".distbuild-overlay-") ||
           name.find(".distbuild-gen-") != std::string::npos ||
           name.find(".tmp-") != std::string::npos || name.find(".link-") != std::string::npos;
  };
  for (const auto& entry : fs::directory_iterator(tree.parent_path())) {
    if (entry.path() != tree) {
      found.push_back(entry.path().string());
    }
  }
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {
    if (bad(entry.path().filename().string())) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

} // namespace distbuild::testutil
