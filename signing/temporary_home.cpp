// See temporary_home.hpp.
#include "signing/temporary_home.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h> // environ (glibc, _GNU_SOURCE)

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

namespace distbuild::signing {

void stop_gpg_agent(const std::filesystem::path& gnupg_home) noexcept {
  try {
    initialise_gpgme();
    // The gpgconf that belongs to the gpg GPGME uses, not whichever is first in PATH.
    const char* gpgconf = gpgme_get_dirinfo("gpgconf-name");
    if (gpgconf == nullptr) {
      return;
    }
    std::vector<std::string> args{gpgconf, "--homedir", gnupg_home.string(), "--kill", "gpg-agent"};
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, gpgconf, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc == 0) {
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  } catch (...) {
    // Stopping an agent is cleanup; a failure here must not mask the real outcome.
  }
}

TemporaryGnupgHome::TemporaryGnupgHome(const std::string& prefix) {
  std::string pattern = (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw Error(pattern,
                std::string("cannot create a temporary GnuPG home: ") + std::strerror(errno));
  }
  m_path = pattern;
}

TemporaryGnupgHome::~TemporaryGnupgHome() {
  stop_gpg_agent(m_path);
  // gpgconf --kill returns before the agent has exited, and the exiting agent deletes its own
  // socket files; a removal racing with that fails half-way, so it is retried for a while.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
    if (!ec || !std::filesystem::exists(m_path, ec)) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

} // namespace distbuild::signing
