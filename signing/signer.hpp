// Detached OpenPGP signatures, the `.asc` files next to every dist artifact: bytes or a file
// in, an ASCII-armored `BEGIN PGP SIGNATURE` block out, exactly what
// `gpg --armor --detach-sign` writes (v4, binary document, SHA-512 or SHA-256 as gpg chooses for
// the key; never weaker, see gpgme_signer.cpp).
// rustup does not read them (dist-format.md section 4); mirrors and people do, with gpg --verify.
//
// Two implementations: the GPGME one (make_gpgme_signer) and FakeSigner (tests/signing/fake_signer.hpp), a
// deterministic stand-in for tests that must not depend on gpg. A Signer wraps one GPGME
// context and is used from one thread at a time.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::signing {

struct KeyOptions {
  std::string key; // fingerprint, key id or email; empty = the only secret key in the home
  std::optional<std::filesystem::path> gnupg_home;      // empty = GNUPGHOME / distbuild's home
  std::optional<std::filesystem::path> passphrase_file; // first line is the passphrase
  std::optional<std::string> passphrase_env;            // name of an env var holding the passphrase
};

class Signer {
public:
  virtual ~Signer() = default;
  // The primary key's fingerprint: 40 uppercase hex digits.
  virtual std::string fingerprint() const = 0;
  // Every key that signs (one, or several during a key rotation; multi_signer.hpp).
  virtual std::vector<std::string> fingerprints() const { return {fingerprint()}; }
  // The digest the signatures use, as GnuPG names it ("SHA512"); empty when not OpenPGP.
  virtual std::string digest_name() const { return {}; }
  // Streams the file through gpg; a 400 MB tarball is never held in memory.
  virtual std::string sign_file(const std::filesystem::path& file) = 0;
  virtual std::string sign_bytes(std::string_view bytes) = 0;
  // The armored public key block (`BEGIN PGP PUBLIC KEY BLOCK`) that verifies the signatures.
  virtual std::string export_public_key() const = 0;
};

// Resolves the GnuPG home (signer_setup.hpp), finds the secret key, reads the passphrase and makes
// one probe signature now, so a wrong key, a wrong passphrase or a digest weaker than SHA-256
// fails before a long build starts. Throws signing::Error naming the home: key not found,
// ambiguous, public key only, passphrase missing or wrong, passphrase source unreadable, weak
// digest.
std::unique_ptr<Signer> make_gpgme_signer(const KeyOptions& options);

} // namespace distbuild::signing
