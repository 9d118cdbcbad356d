// See multi_signer.hpp.
#include "signing/multi_signer.hpp"

#include "signing/error.hpp"

#include <openssl/evp.h>

#include <algorithm>
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

std::string unbase64(std::string_view text) {
  if (text.size() % 4 != 0) {
    throw Error("armor", "broken base64 (length not a multiple of 4)");
  }
  std::vector<unsigned char> out(3 * (text.size() / 4) + 1);
  const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    throw Error("armor", "broken base64");
  }
  // EVP_DecodeBlock keeps the zero bytes that stand for "=" padding.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    --size;
  }
  return std::string(reinterpret_cast<const char*>(out.data()), size);
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

std::string crc_text(std::string_view payload) {
  const std::uint32_t crc = crc24(payload);
  const char bytes[3] = {static_cast<char>(crc >> 16), static_cast<char>(crc >> 8),
                         static_cast<char>(crc)};
  return "=" + base64(std::string_view(bytes, 3));
}

std::string_view trim_line(std::string_view line) {
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) {
    line.remove_suffix(1);
  }
  return line;
}

} // namespace

std::string armor(std::string_view type, std::string_view payload) {
  std::string out = "-----BEGIN " + std::string(type) + "-----\n\n";
  std::string encoded = base64(payload);
  for (std::size_t i = 0; i < encoded.size(); i += 64) {
    out += encoded.substr(i, 64) + "\n";
  }
  out += crc_text(payload) + "\n";
  out += "-----END " + std::string(type) + "-----\n";
  return out;
}

std::string dearmor(std::string_view type, std::string_view text) {
  const std::string begin = "-----BEGIN " + std::string(type) + "-----";
  const std::string end = "-----END " + std::string(type) + "-----";
  const std::size_t at = text.find(begin);
  if (at == std::string_view::npos) {
    throw Error("armor", "no " + std::string(type) + " block");
  }
  std::size_t pos = text.find('\n', at);
  bool in_headers = true;
  std::string body;
  std::string checksum;
  while (pos != std::string_view::npos && pos + 1 <= text.size()) {
    const std::size_t next = text.find('\n', pos + 1);
    const std::string_view line = trim_line(text.substr(
        pos + 1, (next == std::string_view::npos ? text.size() : next) - pos - 1));
    pos = next;
    if (line == end) {
      if (in_headers) {
        break;
      }
      std::string payload = unbase64(body);
      if (!checksum.empty() && checksum != crc_text(payload)) {
        throw Error("armor", "checksum mismatch in " + std::string(type) + " block");
      }
      return payload;
    }
    if (in_headers) {
      // "Key: value" header lines end at the first blank line.
      if (line.empty()) {
        in_headers = false;
      } else if (line.find(": ") == std::string_view::npos) {
        in_headers = false; // no headers and no blank line: tolerated, this is data
        body += line;
      }
      continue;
    }
    if (line.starts_with("=")) {
      checksum = line;
    } else {
      body += line;
    }
  }
  throw Error("armor", "unterminated " + std::string(type) + " block");
}

namespace {

constexpr const char* k_signature = "PGP SIGNATURE";
constexpr const char* k_public_key = "PGP PUBLIC KEY BLOCK";

} // namespace

MultiSigner::MultiSigner(std::vector<std::unique_ptr<Signer>> signers)
    : m_signers(std::move(signers)) {
  if (m_signers.empty()) {
    throw Error("signing", "no key to sign with");
  }
  std::vector<std::string> seen;
  for (const auto& signer : m_signers) {
    if (std::find(seen.begin(), seen.end(), signer->fingerprint()) != seen.end()) {
      throw Error(signer->fingerprint(), "key named twice");
    }
    seen.push_back(signer->fingerprint());
  }
}

std::string MultiSigner::fingerprint() const {
  return m_signers.front()->fingerprint();
}

std::vector<std::string> MultiSigner::fingerprints() const {
  std::vector<std::string> out;
  for (const auto& signer : m_signers) {
    out.push_back(signer->fingerprint());
  }
  return out;
}

std::string MultiSigner::digest_name() const {
  std::vector<std::string> names;
  for (const auto& signer : m_signers) {
    const std::string name = signer->digest_name();
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& name : names) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out;
}

std::string MultiSigner::sign_file(const std::filesystem::path& file) {
  std::vector<std::string> signatures;
  for (const auto& signer : m_signers) {
    signatures.push_back(signer->sign_file(file));
  }
  return combine(signatures);
}

std::string MultiSigner::sign_bytes(std::string_view bytes) {
  std::vector<std::string> signatures;
  for (const auto& signer : m_signers) {
    signatures.push_back(signer->sign_bytes(bytes));
  }
  return combine(signatures);
}

std::string MultiSigner::combine(const std::vector<std::string>& signatures) const {
  if (signatures.size() == 1) {
    return signatures.front();
  }
  std::string packets;
  for (const auto& signature : signatures) {
    packets += dearmor(k_signature, signature);
  }
  return armor(k_signature, packets);
}

std::string MultiSigner::export_public_key() const {
  if (m_signers.size() == 1) {
    return m_signers.front()->export_public_key();
  }
  std::string packets;
  for (const auto& signer : m_signers) {
    packets += dearmor(k_public_key, signer->export_public_key());
  }
  return armor(k_public_key, packets);
}

} // namespace distbuild::signing
