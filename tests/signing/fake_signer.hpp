// A Signer for tests that must not need gpg: each "signature" is an armored block (valid
// base64 and CRC24 checksum, so armor parsers accept it) whose payload names the fake key and
// the SHA-256 of what was signed. Same input, same output, on every machine; it is not
// OpenPGP and gpg rejects it.
#pragma once

#include "signing/multi_signer.hpp" // armor(), which the fake signature is
#include "signing/signer.hpp"

namespace distbuild::signing {

class FakeSigner final : public Signer {
public:
  static constexpr const char* k_default_fingerprint = "FA4E0000000000000000000000000000D157B11D";

  explicit FakeSigner(std::string fingerprint = k_default_fingerprint);

  std::string fingerprint() const override { return m_fingerprint; }
  std::string sign_file(const std::filesystem::path& file) override;
  std::string sign_bytes(std::string_view bytes) override;
  std::string export_public_key() const override;

private:
  std::string signature_of(const std::string& sha256_hex) const;
  std::string m_fingerprint;
};

} // namespace distbuild::signing
