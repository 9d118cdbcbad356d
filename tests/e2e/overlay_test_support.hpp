// Shared by the overlay and mirror tests: a logging, Range-capable, optionally flaky HTTP server
// on loopback (overlay_test_server.py), and a signed fake upstream tree made by `dist`.
#pragma once

#include "tests/testutil/testutil.hpp"

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

} // namespace distbuild::testutil
