// See agent_cache.hpp.
#include "signing/agent_cache.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h> // environ (glibc, _GNU_SOURCE)

#include <array>
#include <cerrno>
#include <sstream>

namespace distbuild::signing {

namespace {

std::string tool_path(const std::string& name) {
  initialise_gpgme();
  if (name == "gpgconf") {
    const char* gpgconf = gpgme_get_dirinfo("gpgconf-name");
    return gpgconf != nullptr ? gpgconf : "";
  }
  const char* bindir = gpgme_get_dirinfo("bindir");
  return bindir != nullptr ? std::string(bindir) + "/" + name : "";
}

// Closes a descriptor when it goes.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

} // namespace

ToolResult run_gnupg_tool(const std::string& name, const std::vector<std::string>& args) noexcept {
  ToolResult result;
  try {
    const std::string path = tool_path(name);
    if (path.empty()) {
      return result;
    }
    std::vector<std::string> strings{path};
    strings.insert(strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : strings) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return result;
    }
    Fd read_end{fds[0]};
    Fd write_end{fds[1]};
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(write_end.fd);
    write_end.fd = -1;
    if (rc != 0) {
      return result;
    }
    std::array<char, 4096> buffer{};
    while (true) {
      const ssize_t n = ::read(read_end.fd, buffer.data(), buffer.size());
      if (n > 0) {
        result.out.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        break;
      }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.ran = true;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } catch (...) {
    // A helper that cannot run is reported through `ran`.
  }
  return result;
}

void forget_cached_passphrases(const std::filesystem::path& gnupg_home,
                               const std::vector<std::string>& keygrips) {
  if (keygrips.empty()) {
    return;
  }
  std::vector<std::string> args{"--homedir", gnupg_home.string(), "--no-autostart"};
  for (const std::string& keygrip : keygrips) {
    args.push_back("CLEAR_PASSPHRASE --mode=normal " + keygrip);
  }
  args.emplace_back("/bye");
  const ToolResult result = run_gnupg_tool("gpg-connect-agent", args);
  if (!result.ran || result.exit_code != 0) {
    throw Error(gnupg_home.string(),
                "cannot make gpg-agent forget cached passphrases (gpg-connect-agent " +
                    std::string(result.ran ? "failed" : "did not run") + ")");
  }
  // One "OK" per command when an agent runs, nothing when none does.
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("ERR", 0) == 0) {
      throw Error(gnupg_home.string(), "gpg-agent would not forget a cached passphrase: " + line);
    }
  }
}

} // namespace distbuild::signing
