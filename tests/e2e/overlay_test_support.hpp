// Shared by the overlay and mirror tests: a logging, Range-capable, optionally flaky HTTP server
// on loopback (overlay_test_server.py), and a signed fake upstream tree made by `dist`.
#pragma once

#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <sys/types.h>

#include <string>
#include <vector>

namespace distbuild::testutil {

class LoggingServer {
public:
  // Serves `root`; --drop-once for each name in drop_once.
  explicit LoggingServer(const fs::path& root, const std::vector<std::string>& drop_once = {});
  ~LoggingServer();
  LoggingServer(const LoggingServer&) = delete;
  LoggingServer& operator=(const LoggingServer&) = delete;
  bool ok() const { return m_port != 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  // "GET <path> <range>" lines so far.
  std::vector<std::string> requests() const;
  void clear_log() const;

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_port = 0;
};

// Environment for distbuild runs that talk to loopback: no proxy may intercept them.
std::map<std::string, std::string> loopback_env();

// An upstream dist tree for overlay and mirror tests: 1.95.0 of 2026-04-16 for the host (and
// `targets`' std), packed in `formats` and signed with the upstream key; the same GnuPG home
// holds a second, local key for the tree made from it.
struct SignedUpstream {
  TempDir dir;
  signing::test::GpgHome gpg;
  std::string upstream_fpr, local_fpr;
  fs::path tree() const { return dir / "upstream"; }
  fs::path key() const { return dir / "upstream-key.asc"; }

  SignedUpstream(const std::string& host, const std::string& version_text,
                 const std::vector<std::string>& targets, const std::string& formats) {
    gpg.prefer_sha512();
    upstream_fpr = gpg.quick_gen_key("Upstream <up@example.org>", "ed25519");
    local_fpr = gpg.quick_gen_key("Mirror <mirror@example.org>", "ed25519");
    make_fake_stage(dir / "stage", host, version_text, targets);
    auto r = run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out",
                            tree().string(), "--version", "1.95.0", "--date", "2026-04-16",
                            "--profile", "fast", "--formats", formats, "--sign-key",
                            upstream_fpr, "--gnupg-home", gpg.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    fs::copy_file(tree() / "release-key.asc", key());
  }
};

} // namespace distbuild::testutil
