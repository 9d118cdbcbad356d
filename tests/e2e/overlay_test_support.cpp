#include "tests/e2e/overlay_test_support.hpp"

#include "tests/testutil/rustup_home.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <sstream>

extern char** environ;

namespace distbuild::testutil {

LoggingServer::LoggingServer(const fs::path& root, const std::vector<std::string>& drop_once) {
  int port = free_loopback_port();
  std::vector<std::string> args{"/usr/bin/python3",
                                (source_dir() / "tests/e2e/overlay_test_server.py").string(),
                                "--root", root.string(), "--port", std::to_string(port),
                                "--log", (m_dir / "requests.log").string()};
  for (const auto& name : drop_once) {
    args.push_back("--drop-once");
    args.push_back(name);
  }
  write_file(m_dir / "requests.log", "");
  std::vector<char*> argv;
  for (auto& arg : args) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == 0 && wait_for_port(port, 10000)) {
    m_port = port;
  }
}

LoggingServer::~LoggingServer() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
}

std::vector<std::string> LoggingServer::requests() const {
  std::vector<std::string> lines;
  std::istringstream text(read_file(m_dir / "requests.log"));
  for (std::string line; std::getline(text, line);) {
    lines.push_back(line);
  }
  return lines;
}

void LoggingServer::clear_log() const {
  write_file(m_dir / "requests.log", "");
}

std::map<std::string, std::string> loopback_env() {
  return {{"no_proxy", "127.0.0.1,localhost"}, {"NO_PROXY", "127.0.0.1,localhost"}};
}

} // namespace distbuild::testutil
