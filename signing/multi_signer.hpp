// Signing with several keys at once, which is what a key rotation's transition period needs:
// every .asc then holds one signature per key (one armored block, the packets side by side), so
// a user who has only the old key and one who has only the new key both find a signature they
// can check, and the published key block holds every key.
//
// OpenPGP ASCII armor (RFC 4880 section 6) both ways is how: each signature (or public key) is
// dearmored, the packets are concatenated, and the whole is armored again. gpg reads such a block
// as it reads its own (`gpg --verify` checks every signature in it). The fake signer's
// signatures are armored the same way.
#pragma once

#include "signing/signer.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::signing {


// Header line, blank line, base64 in 64-column lines, "=" + base64 of the CRC24, footer line.
std::string armor(std::string_view type, std::string_view payload);

// The binary packets of the first armored block of `type` in `text` (armor headers such as
// "Comment:" are skipped). Throws signing::Error ("armor") when there is no such block, the
// base64 is broken or the checksum does not match.
std::string dearmor(std::string_view type, std::string_view text);

class MultiSigner final : public Signer {
public:
  // Throws signing::Error when `signers` is empty or names a key twice.
  explicit MultiSigner(std::vector<std::unique_ptr<Signer>> signers);

  // The first signer's key: the one named first (the new key, by the documented procedure).
  std::string fingerprint() const override;
  std::vector<std::string> fingerprints() const override;
  // Every distinct digest, comma-separated ("SHA512" or "SHA256, SHA512").
  std::string digest_name() const override;
  std::string sign_file(const std::filesystem::path& file) override;
  std::string sign_bytes(std::string_view bytes) override;
  // One armored block holding every key.
  std::string export_public_key() const override;

private:
  std::string combine(const std::vector<std::string>& signatures) const;
  std::vector<std::unique_ptr<Signer>> m_signers;
};

} // namespace distbuild::signing
