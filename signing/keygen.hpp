// Making distbuild's own signing key: ed25519, signing only, no expiry, in the GnuPG home every
// command uses (signer_setup.hpp: --gnupg-home, else GNUPGHOME, else distbuild's own), so a
// user's personal keyring is only touched when they name it. The home gets a gpg.conf asking for SHA-512 signatures, which
// GnuPG 2.2 would not otherwise use with ed25519 (see gpgme_signer.cpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::signing {

struct GeneratedKey {
  std::string fingerprint;
  std::filesystem::path gnupg_home;
};

// Creates the key in `gnupg_home` (the directory is created 0700 if needed); an empty
// passphrase leaves the key unprotected. Throws signing::Error naming the home.
GeneratedKey generate_signing_key(const std::filesystem::path& gnupg_home,
                                  const std::string& user_id, const std::string& passphrase = "");

// Fingerprints of the usable secret signing keys in `gnupg_home` (none when it does not exist).
std::vector<std::string> existing_signing_keys(const std::filesystem::path& gnupg_home);

struct KeygenResult {
  GeneratedKey key;
  bool created = false; // false: an existing key was kept
};

// `distbuild keygen`: keeps the first existing signing key of the home unless `force`.
KeygenResult ensure_signing_key(const std::filesystem::path& gnupg_home, const std::string& user_id,
                                const std::string& passphrase, bool force);

} // namespace distbuild::signing
