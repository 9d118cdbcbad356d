#include "tests/e2e/serve_test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>

extern char** environ;

namespace distbuild::testutil {

ServeProcess::ServeProcess(const fs::path& tree, const std::vector<std::string>& extra_args) {
  std::vector<std::string> args{distbuild_binary(), "serve", tree.string(), "--port", "0"};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  int out[2];
  if (::pipe2(out, O_CLOEXEC) != 0) {
    return;
  }
  std::string log = (m_dir / "stderr.log").string();
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(out[1]);
  m_stdout = out[0];
  if (rc != 0) {
    m_pid = -1;
    return;
  }
  // The first line, within 10 s.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (m_first_line.find('\n') == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    pollfd p{m_stdout, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) {
      continue;
    }
    char c = 0;
    if (::read(m_stdout, &c, 1) != 1) {
      break;
    }
    m_first_line += c;
  }
  if (!m_first_line.ends_with("\n")) {
    return;
  }
  m_first_line.pop_back();
  auto at = m_first_line.find(" on http://");
  if (at != std::string::npos) {
    m_url = m_first_line.substr(at + 4);
  } else if (auto url = m_first_line.find("\"url\":\""); url != std::string::npos) {
    auto start = url + 7;
    m_url = m_first_line.substr(start, m_first_line.find('"', start) - start);
  }
}

ServeProcess::~ServeProcess() {
  stop();
  if (m_stdout >= 0) {
    ::close(m_stdout);
  }
}

int ServeProcess::stop() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
    m_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m_pid = -1;
  }
  return m_status;
}

std::string ServeProcess::more_stdout(int quiet_ms) {
  std::string text;
  char buffer[4096];
  pollfd p{m_stdout, POLLIN, 0};
  while (m_stdout >= 0 && ::poll(&p, 1, quiet_ms) > 0) {
    ssize_t got = ::read(m_stdout, buffer, sizeof buffer);
    if (got <= 0) {
      break;
    }
    text.append(buffer, static_cast<std::size_t>(got));
  }
  return text;
}

std::string ServeProcess::access_log() const {
  std::error_code ec;
  return fs::exists(m_dir / "stderr.log", ec) ? read_file(m_dir / "stderr.log") : "";
}

ProcessResult curl(const std::vector<std::string>& args) {
  std::vector<std::string> argv{"curl", "-s", "--path-as-is", "--max-time", "20"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv);
}

} // namespace distbuild::testutil
