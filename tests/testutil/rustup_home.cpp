#include "tests/testutil/rustup_home.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <thread>

extern char** environ;

namespace distbuild::testutil {

namespace {

std::string home_dir() {
  const char* home = std::getenv("HOME");
  return home ? home : "/root";
}

} // namespace

RustupHome::RustupHome() {
  auto rustup = rustup_binary();
  if (!rustup) {
    m_init.err = "no ~/.cargo/bin/rustup";
    return;
  }
  // argv[0] decides rustup's mode. A symlink, not a copy: a copy's write fd, inherited by a
  // child another test thread spawns meanwhile, makes exec fail with ETXTBSY.
  fs::create_symlink(*rustup, m_dir / "rustup-init");
  m_init = run_process({(m_dir / "rustup-init").string(), "-y", "--no-modify-path",
                        "--default-toolchain", "none", "--profile", "minimal"},
                       env(), std::nullopt, true);
}

std::map<std::string, std::string> RustupHome::env() const {
  return {{"HOME", home_dir()},
          {"PATH", (m_dir / "cargo/bin").string() + ":/usr/bin:/bin"},
          {"RUSTUP_HOME", rustup_home().string()},
          {"CARGO_HOME", cargo_home().string()},
          {"RUSTUP_TERM_COLOR", "never"},
          {"CARGO_TERM_COLOR", "never"},
          {"TMPDIR", (m_dir.path()).string()}};
}

ProcessResult RustupHome::run(const std::vector<std::string>& argv,
                              const std::map<std::string, std::string>& extra_env,
                              const std::optional<fs::path>& cwd) const {
  auto environment = env();
  for (const auto& [k, v] : extra_env) {
    environment[k] = v;
  }
  return run_process(argv, environment, cwd, true);
}

ProcessResult RustupHome::rustup(const std::vector<std::string>& args,
                                 const std::string& dist_server,
                                 const std::map<std::string, std::string>& extra_env) const {
  std::vector<std::string> argv{(cargo_home() / "bin/rustup").string()};
  argv.insert(argv.end(), args.begin(), args.end());
  auto environment = extra_env;
  if (!dist_server.empty()) {
    environment["RUSTUP_DIST_SERVER"] = dist_server;
  }
  return run(argv, environment);
}

int free_loopback_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

bool wait_for_port(int port, int timeout_ms) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    int rc = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::close(fd);
    if (rc == 0) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

StaticServer::StaticServer(const fs::path& root) {
  int port = free_loopback_port();
  std::string port_text = std::to_string(port);
  std::string dir = root.string();
  std::vector<std::string> args{"/usr/bin/python3", "-m", "http.server", "--bind", "127.0.0.1",
                                port_text, "--directory", dir};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawn(&m_pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc == 0 && wait_for_port(port, 10000)) {
    m_port = port;
  }
}

StaticServer::~StaticServer() {
  if (m_pid > 0) {
    ::kill(m_pid, SIGTERM);
    int status = 0;
    ::waitpid(m_pid, &status, 0);
  }
}

} // namespace distbuild::testutil
