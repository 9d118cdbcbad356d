// Shared by the signing tests: a throw-away GnuPG home driven by the real gpg command line (the
// independent checker of what GPGME produced), and parsers for the bits of gpg output the tests
// assert on. Every home stops its gpg-agent when the test ends.
#pragma once

#include "signing/temporary_home.hpp"
#include "tests/testutil/testutil.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing::test {

namespace fs = std::filesystem;

// gpg, gpgv, gpgconf and gpg-connect-agent are all on PATH.
bool have_gnupg_tools();

class GpgHome {
public:
  // Writes a gpg-agent.conf with the smallest S2K count: protecting and unlocking a key with a
  // passphrase then takes milliseconds instead of seconds (the agent's calibrated default).
  GpgHome();
  const fs::path& path() const { return m_home.path(); }

  // gpg --homedir <home> --batch --no-tty <args>
  testutil::ProcessResult gpg(const std::vector<std::string>& args) const;
  // `gpg --quick-gen-key` (algo e.g. "ed25519" or "rsa2048"), returns the fingerprint.
  std::string quick_gen_key(const std::string& user_id, const std::string& algo,
                            const std::string& passphrase = "") const;
  // Fingerprints of the secret keys, in gpg's order.
  std::vector<std::string> secret_fingerprints() const;
  // Writes the gpg.conf that makes GnuPG 2.2 sign with SHA-512 for ed25519 keys.
  void prefer_sha512() const;

private:
  TemporaryGnupgHome m_home{"distbuild-test-gpg-"};
};

// Stops the agent of a home the test did not make with GpgHome, however the test ends.
struct StopAgentAtEnd {
  fs::path home;
  ~StopAgentAtEnd() { stop_gpg_agent(home); }
};

// Sets (or, with nullptr, unsets) an environment variable until the end of the scope.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value);
  ~ScopedEnv();
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

// All "digest algo N" values of `gpg --list-packets <file>` (10 = SHA512).
std::vector<int> digest_algos_of(const fs::path& armored_file);
// The whole `gpg --list-packets` output, for further checks.
std::string list_packets(const fs::path& armored_file);

// Armored public key -> binary keyring file usable with `gpgv --keyring`.
void dearmor_to_keyring(const std::string& armored_key, const fs::path& keyring);

} // namespace distbuild::signing::test
