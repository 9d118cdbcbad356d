// The real rustup in a fresh, throw-away home (RUSTUP_HOME/CARGO_HOME in a temp dir; the
// machine's ~/.rustup and ~/.cargo are never touched), and a static HTTP server on loopback for
// trees. This is how tests ask the one judge that matters whether a tree installs.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace distbuild::testutil {

class RustupHome {
public:
  // Copies ~/.cargo/bin/rustup to rustup-init and runs it with
  // -y --no-modify-path --default-toolchain none. Check ok() / init_output().
  RustupHome();
  bool ok() const { return m_init.exit_code == 0; }
  const ProcessResult& init_output() const { return m_init; }

  // `rustup <args>` with RUSTUP_DIST_SERVER=dist_server (no trailing slash) when non-empty.
  ProcessResult rustup(const std::vector<std::string>& args, const std::string& dist_server = "",
                       const std::map<std::string, std::string>& extra_env = {}) const;
  // Any command with the home's PATH (cargo/bin first) and environment.
  ProcessResult run(const std::vector<std::string>& argv,
                    const std::map<std::string, std::string>& extra_env = {},
                    const std::optional<fs::path>& cwd = std::nullopt) const;
  std::map<std::string, std::string> env() const;
  const fs::path& root() const { return m_dir.path(); }
  fs::path cargo_home() const { return m_dir / "cargo"; }
  fs::path rustup_home() const { return m_dir / "rustup"; }

private:
  TempDir m_dir;
  ProcessResult m_init;
};

// `python3 -m http.server` bound to 127.0.0.1 on a free port, serving `root`; stopped in the
// destructor. Its log (stderr) shows what was fetched.
class StaticServer {
public:
  explicit StaticServer(const fs::path& root);
  ~StaticServer();
  StaticServer(const StaticServer&) = delete;
  StaticServer& operator=(const StaticServer&) = delete;
  bool ok() const { return m_port != 0; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(m_port); }

private:
  pid_t m_pid = -1;
  int m_port = 0;
};

int free_loopback_port();
bool wait_for_port(int port, int timeout_ms);

} // namespace distbuild::testutil
