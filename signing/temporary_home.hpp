// A private, throw-away GnuPG home (0700, under the temp dir) and the one way to stop the
// gpg-agent that gpg starts for a home. Every temporary home ends with its agent stopped:
// otherwise each Verifier or test would leave a daemon behind, bound to a deleted directory.
#pragma once

#include <filesystem>
#include <string>

namespace distbuild::signing {

// `gpgconf --homedir <home> --kill gpg-agent`; does nothing when no agent runs. Never throws.
void stop_gpg_agent(const std::filesystem::path& gnupg_home) noexcept;

class TemporaryGnupgHome {
public:
  // Creates <temp>/<prefix>XXXXXX. Kept short: gpg-agent's socket lives inside the home, and a
  // Unix socket path may not exceed 107 bytes.
  explicit TemporaryGnupgHome(const std::string& prefix = "distbuild-gnupg-");
  // Stops the home's agent, then removes the directory.
  ~TemporaryGnupgHome();
  TemporaryGnupgHome(const TemporaryGnupgHome&) = delete;
  TemporaryGnupgHome& operator=(const TemporaryGnupgHome&) = delete;

  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

} // namespace distbuild::signing
