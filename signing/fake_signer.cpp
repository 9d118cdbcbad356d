// See fake_signer.hpp.
#include "signing/fake_signer.hpp"

#include "signing/sha256.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <vector>

namespace distbuild::signing {

namespace {

std::string base64(std::string_view bytes) {
  std::vector<unsigned char> out(4 * ((bytes.size() + 2) / 3) + 1);
  int n = EVP_EncodeBlock(out.data(), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  return std::string(reinterpret_cast<const char*>(out.data()), static_cast<std::size_t>(n));
}

// RFC 4880 section 6.1.
std::uint32_t crc24(std::string_view bytes) {
  constexpr std::uint32_t k_init = 0xB704CEu;
  constexpr std::uint32_t k_poly = 0x1864CFBu;
  std::uint32_t crc = k_init;
  for (unsigned char c : bytes) {
    crc ^= static_cast<std::uint32_t>(c) << 16;
    for (int i = 0; i < 8; ++i) {
      crc <<= 1;
      if (crc & 0x1000000u) {
        crc ^= k_poly;
      }
    }
  }
  return crc & 0xFFFFFFu;
}

} // namespace

std::string armor(std::string_view type, std::string_view payload) {
  std::string out = "-----BEGIN " + std::string(type) + "-----\n\n";
  std::string encoded = base64(payload);
  for (std::size_t i = 0; i < encoded.size(); i += 64) {
    out += encoded.substr(i, 64) + "\n";
  }
  std::uint32_t crc = crc24(payload);
  const char crc_bytes[3] = {static_cast<char>(crc >> 16), static_cast<char>(crc >> 8),
                             static_cast<char>(crc)};
  out += "=" + base64(std::string_view(crc_bytes, 3)) + "\n";
  out += "-----END " + std::string(type) + "-----\n";
  return out;
}

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
