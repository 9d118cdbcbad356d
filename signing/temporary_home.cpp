// See temporary_home.hpp.
#include "signing/temporary_home.hpp"

#include "signing/error.hpp"
#include "signing/agent_cache.hpp"

#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

namespace distbuild::signing {

void stop_gpg_agent(const std::filesystem::path& gnupg_home) noexcept {
  // Cleanup: a failure here must not mask the real outcome, so the result is not looked at.
  run_gnupg_tool("gpgconf", {"--homedir", gnupg_home.string(), "--kill", "gpg-agent"});
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
