// The real `distbuild serve` as a child process for tests: started with --port 0, its URL read
// from the first stdout line, its access log (stderr) kept in a file, and stopped with SIGTERM
// when the object goes away (the exit status tells whether it stopped cleanly).
#pragma once

#include "tests/testutil/testutil.hpp"

#include <sys/types.h>

#include <string>
#include <vector>

namespace distbuild::testutil {

class ServeProcess {
public:
  explicit ServeProcess(const fs::path& tree, const std::vector<std::string>& extra_args = {});
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  bool ok() const { return !m_url.empty(); }
  const std::string& url() const { return m_url; }
  const std::string& first_line() const { return m_first_line; }
  // What stdout printed after the first line, read until it has been quiet for `quiet_ms`.
  std::string more_stdout(int quiet_ms = 300);
  // The server's stderr so far: one line per request.
  std::string access_log() const;
  // SIGTERM, then waits; returns the exit status (0 = stopped cleanly), -1 if killed.
  int stop();

private:
  TempDir m_dir;
  pid_t m_pid = -1;
  int m_stdout = -1;
  std::string m_first_line;
  std::string m_url;
  int m_status = -1;
};

// curl with argv (no shell); -s and --path-as-is are added so traversal attempts reach the
// server unnormalised.
ProcessResult curl(const std::vector<std::string>& args);

} // namespace distbuild::testutil
