// A test double (see fake_signer.hpp); it lives with the tests, never in the product.
#include "tests/signing/fake_signer.hpp"

#include "signing/multi_signer.hpp"
#include "signing/sha256.hpp"

namespace distbuild::signing {

FakeSigner::FakeSigner(std::string fingerprint) : m_fingerprint(std::move(fingerprint)) {}

std::string FakeSigner::sign_file(const std::filesystem::path& file) {
  return signature_of(sha256_file_hex(file));
}

std::string FakeSigner::sign_bytes(std::string_view bytes) {
  return signature_of(sha256_hex(bytes));
}

std::string FakeSigner::export_public_key() const {
  return armor("PGP PUBLIC KEY BLOCK", "distbuild fake public key " + m_fingerprint + "\n");
}

std::string FakeSigner::signature_of(const std::string& sha256_hex) const {
  return armor("PGP SIGNATURE",
               "distbuild fake signature " + m_fingerprint + " sha256 " + sha256_hex + "\n");
}

} // namespace distbuild::signing
