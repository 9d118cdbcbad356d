// Signing and checking metadata envelopes (envelope.hpp).
#include "builder/tuf/envelope.hpp"

#include "builder/tree/error.hpp"
#include "builder/tuf/canonical_json.hpp"
#include "signing/ed25519.hpp"

#include <set>

namespace distbuild::builder::tuf {

using nlohmann::json;

Envelope parse_envelope(const std::string& bytes, const std::string& file) {
  json document;
  try {
    document = json::parse(bytes);
  } catch (const json::exception& e) {
    throw Error(file, std::string("is not JSON: ") + e.what());
  }
  if (!document.is_object() || !document.contains("signed") ||
      !document["signed"].is_object() || !document.contains("signatures") ||
      !document["signatures"].is_array()) {
    throw Error(file, "is not TUF metadata (no \"signed\" object and \"signatures\" array)");
  }
  Envelope envelope;
  envelope.signed_part = document["signed"];
  for (const auto& entry : document["signatures"]) {
    if (!entry.is_object() || !entry.contains("keyid") || !entry["keyid"].is_string() ||
        !entry.contains("sig") || !entry["sig"].is_string()) {
      throw Error(file, "has a signature without a \"keyid\" and \"sig\" string");
    }
    envelope.signatures.push_back({entry["keyid"].get<std::string>(),
                                   entry["sig"].get<std::string>()});
  }
  return envelope;
}

std::string sign_envelope(const json& signed_part,
                          const std::vector<const signing::Ed25519Key*>& keys) {
  const std::string message = canonical_json(signed_part);
  json signatures = json::array();
  for (const signing::Ed25519Key* key : keys) {
    signatures.push_back({{"keyid", key->key_id()}, {"sig", key->sign_hex(message)}});
  }
  return json{{"signed", signed_part}, {"signatures", signatures}}.dump(1) + "\n";
}

std::size_t valid_signatures(const Envelope& envelope, const RootMeta& root, Role role) {
  auto entry = root.roles.find(role);
  if (entry == root.roles.end()) {
    return 0;
  }
  std::string message;
  try {
    message = canonical_json(envelope.signed_part);
  } catch (const Error&) {
    return 0;  // a float in `signed`: nobody can have signed its canonical form
  }
  const std::set<std::string> allowed(entry->second.keyids.begin(), entry->second.keyids.end());
  std::set<std::string> good;
  for (const Signature& signature : envelope.signatures) {
    if (!allowed.count(signature.keyid) || good.count(signature.keyid)) {
      continue;
    }
    auto key = root.keys.find(signature.keyid);
    if (key != root.keys.end() && signing::ed25519_verify(key->second, message, signature.sig)) {
      good.insert(signature.keyid);
    }
  }
  return good.size();
}

std::string threshold_problem(const Envelope& envelope, const RootMeta& root, Role role) {
  std::size_t good = valid_signatures(envelope, root, role);
  const RoleKeys& keys = root.roles.at(role);
  if (good >= keys.threshold) {
    return {};
  }
  return "signed by " + std::to_string(good) + " of the " + std::to_string(keys.keyids.size()) +
         " " + role_name(role) + " keys of root version " + std::to_string(root.version) +
         ", which requires " + std::to_string(keys.threshold);
}

} // namespace distbuild::builder::tuf
