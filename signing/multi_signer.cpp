// See multi_signer.hpp.
#include "signing/multi_signer.hpp"

#include "signing/armor.hpp"
#include "signing/error.hpp"

#include <algorithm>

namespace distbuild::signing {

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
