// Checking `.asc` detached signatures against given public keys only. The keys are imported into
// a private temporary GnuPG home, so the user's keyring is never consulted or changed and "valid"
// means exactly "made by one of these keys". The home and its gpg-agent go with the Verifier.
// One Verifier is used from one thread at a time (it owns one GPGME context).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::signing {

// One signature of a block (a .asc may hold several: one per key during a key rotation).
struct SignatureInfo {
  std::string fingerprint; // primary key fingerprint when known, else what the sig names
  std::string digest;      // as GnuPG names it: "SHA512", "SHA256", "SHA1", ...
  std::string problem;     // empty when good; else as SignatureCheck::problem
};

struct SignatureCheck {
  bool valid = false;             // there are signatures and every one is good
  std::string signer_fingerprint; // the first failing signature's key, else the last good one's
  // Empty when valid, else one of: "no signature", "bad signature",
  // "signed by unknown key <id>", "signed by expired key <fpr>", "signed by revoked key <fpr>",
  // "signature expired", "signed with <digest>, which is too weak (SHA256 or stronger is
  // required)", or "cannot check signature: <reason>".
  std::string problem;
  std::vector<SignatureInfo> signatures; // every signature of the block, in order
};

class Verifier {
public:
  // Throws signing::Error when the text holds no OpenPGP public key.
  explicit Verifier(const std::string& armored_public_keys);
  ~Verifier();
  Verifier(const Verifier&) = delete;
  Verifier& operator=(const Verifier&) = delete;

  // Primary fingerprints of the imported keys.
  std::vector<std::string> fingerprints() const;
  // Streams the file; throws signing::Error naming it when it cannot be read.
  SignatureCheck verify_file(const std::filesystem::path& file,
                             const std::string& armored_signature);
  SignatureCheck verify_bytes(std::string_view bytes, const std::string& armored_signature);
  // The private home (for diagnostics and tests); gone once the Verifier is.
  const std::filesystem::path& gnupg_home() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace distbuild::signing
