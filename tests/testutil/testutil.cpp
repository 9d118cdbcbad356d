#include "tests/testutil/testutil.hpp"

#include "signing/sha256.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <thread>
#include <stdexcept>

extern char** environ;

namespace distbuild::testutil {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "distbuild-test-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp failed");
  }
  m_path = pattern;
}

TempDir::~TempDir() {
  if (std::getenv("DISTBUILD_KEEP_TEST_DIRS") == nullptr) {
    std::error_code ignored;
    // Read-only directories (tests of unwritable outputs) must be writable to be emptied.
    for (auto it = fs::recursive_directory_iterator(m_path, ignored);
         it != fs::recursive_directory_iterator(); it.increment(ignored)) {
      if (!it->is_symlink(ignored) && it->is_directory(ignored)) {
        fs::permissions(it->path(), fs::perms::owner_all, fs::perm_options::add, ignored);
      }
    }
    fs::remove_all(m_path, ignored);
  }
}

ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env,
                          const std::optional<fs::path>& cwd, bool env_clear) {
  std::map<std::string, std::string> merged;
  if (!env_clear) {
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry(*e);
      auto eq = entry.find('=');
      if (eq != std::string::npos) {
        merged[entry.substr(0, eq)] = entry.substr(eq + 1);
      }
    }
  }
  for (const auto& [k, v] : env) {
    merged[k] = v;
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) {
    env_strings.push_back(k + "=" + v);
  }
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& s : args) argp.push_back(s.data());
  argp.push_back(nullptr);

  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0 || ::pipe2(err_pipe, O_CLOEXEC) != 0) {
    throw std::runtime_error("pipe failed");
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (cwd) {
    posix_spawn_file_actions_addchdir_np(&actions, cwd->c_str());
  }
  // Resolve argv[0] against the PATH the child will see.
  std::string exe = args[0];
  if (exe.find('/') == std::string::npos) {
    std::string path = merged.count("PATH") ? merged["PATH"] : "/usr/bin:/bin";
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      if (::access((dir + "/" + exe).c_str(), X_OK) == 0) {
        exe = dir + "/" + exe;
        break;
      }
    }
  }
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argp.data(), envp.data());
  // ETXTBSY: a test thread that just copied an executable (rustup-init) closed its write fd, but
  // another thread's child forked in between still holds a copy until it execs; it passes.
  for (int attempt = 0; rc == ETXTBSY && attempt < 50; ++attempt) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argp.data(), envp.data());
  }
  posix_spawn_file_actions_destroy(&actions);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  ProcessResult result;
  if (rc != 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.exit_code = 127;
    result.err = "cannot spawn " + exe + ": " + std::strerror(rc);
    return result;
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  int open_count = 2;
  char buffer[65536];
  while (open_count > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd >= 0 && (fds[i].revents & (POLLIN | POLLHUP | POLLERR))) {
        ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n <= 0) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open_count;
        } else {
          (i == 0 ? result.out : result.err).append(buffer, static_cast<size_t>(n));
        }
      }
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string distbuild_binary() { return DISTBUILD_BINARY; }
fs::path source_dir() { return DISTBUILD_SOURCE_DIR; }

ProcessResult run_distbuild(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{distbuild_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  // Never the user's ~/.cache/distbuild: the pack cache is off unless the test sets up its own
  // (a cache dir, XDG_CACHE_HOME, or DISTBUILD_NO_CACHE itself).
  std::map<std::string, std::string> with_cache = env;
  if (!env.count("DISTBUILD_CACHE_DIR") && !env.count("XDG_CACHE_HOME") &&
      !env.count("DISTBUILD_NO_CACHE")) {
    with_cache["DISTBUILD_NO_CACHE"] = "1";
  }
  return run_process(argv, with_cache);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void write_file(const fs::path& path, const std::string& bytes, bool executable) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  fs::permissions(path,
                  executable ? fs::perms(0755) : fs::perms(0644), fs::perm_options::replace);
}

struct stat stat_of(const fs::path& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st;
}

std::string sha256_file(const fs::path& path) { return signing::sha256_file_hex(path); }

bool in_ci() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

std::optional<std::string> find_tool(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return std::nullopt;
}

std::optional<fs::path> installed_toolchain(const std::string& channel_prefix) {
  const char* home = std::getenv("HOME");
  if (home == nullptr) return std::nullopt;
  fs::path dir = fs::path(home) / ".rustup/toolchains";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind(channel_prefix + "-", 0) == 0 && fs::exists(entry.path() / "bin/rustc")) {
      return entry.path();
    }
  }
  return std::nullopt;
}

std::optional<fs::path> rustup_binary() {
  const char* home = std::getenv("HOME");
  if (home == nullptr) return std::nullopt;
  fs::path p = fs::path(home) / ".cargo/bin/rustup";
  if (fs::exists(p)) return p;
  return std::nullopt;
}

void copy_component_image(const fs::path& toolchain, const std::string& manifest_name,
                          const fs::path& image_dir) {
  std::ifstream list(toolchain / "lib/rustlib" / ("manifest-" + manifest_name));
  if (!list) throw std::runtime_error("no manifest for " + manifest_name);
  std::string line;
  while (std::getline(list, line)) {
    if (line.rfind("file:", 0) != 0) continue;
    fs::path rel = line.substr(5);
    fs::create_directories((image_dir / rel).parent_path());
    fs::copy_file(toolchain / rel, image_dir / rel, fs::copy_options::overwrite_existing);
  }
}

} // namespace distbuild::testutil
