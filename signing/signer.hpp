// Detached OpenPGP signatures, the `.asc` files next to every dist artifact: bytes or a file
// in, an ASCII-armored `BEGIN PGP SIGNATURE` block out, exactly what
// `gpg --armor --detach-sign --digest-algo SHA512` writes (v4, binary document, SHA-512).
// rustup does not read them (dist-format.md section 4); mirrors and people do, with gpg --verify.
//
// Two implementations: the GPGME one (make_gpgme_signer) and FakeSigner (fake_signer.hpp), a
// deterministic stand-in for tests that must not depend on gpg. A Signer wraps one GPGME
// context and is used from one thread at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace distbuild::signing {

struct KeyOptions {
  std::string key; // fingerprint, key id or email; empty = the only secret key in the home
  std::optional<std::filesystem::path> gnupg_home;      // empty = GNUPGHOME / default keyring
  std::optional<std::filesystem::path> passphrase_file; // first line is the passphrase
  std::optional<std::string> passphrase_env;            // name of an env var holding the passphrase
};

class Signer {
public:
  virtual ~Signer() = default;
  // The primary key's fingerprint: 40 uppercase hex digits.
  virtual std::string fingerprint() const = 0;
  // Streams the file through gpg; a 400 MB tarball is never held in memory.
  virtual std::string sign_file(const std::filesystem::path& file) = 0;
  virtual std::string sign_bytes(std::string_view bytes) = 0;
  // The armored public key block (`BEGIN PGP PUBLIC KEY BLOCK`) that verifies the signatures.
  virtual std::string export_public_key() const = 0;
};

// Finds the secret key, reads the passphrase and makes one probe signature now, so a wrong key,
// a wrong passphrase or a key that would not sign with SHA-512 fails before a long build starts.
// Throws signing::Error: key not found, ambiguous, public key only, passphrase missing or
// wrong, passphrase source unreadable, digest not SHA-512.
std::unique_ptr<Signer> make_gpgme_signer(const KeyOptions& options);

} // namespace distbuild::signing
