// A metadata file as it travels: {"signed": {…}, "signatures": [{"keyid", "sig"}, …]}. The
// signatures are Ed25519 over canonical_json(signed) (canonical_json.hpp), so any indentation of
// the file verifies; a role is trusted when at least `threshold` distinct keys the root lists
// for it have a valid signature (TUF 1.0, section 5.4 ff.).
#pragma once

#include "builder/tuf/metadata.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace distbuild::signing {
class Ed25519Key;
}

namespace distbuild::builder::tuf {

struct Signature {
  std::string keyid;
  std::string sig;
};

struct Envelope {
  nlohmann::json signed_part;
  std::vector<Signature> signatures;
};

// Throws builder::Error naming `file` when the bytes are not JSON of that shape.
Envelope parse_envelope(const std::string& bytes, const std::string& file);

// The file's bytes: `signed_part` signed by every key, indented, ending in a newline.
std::string sign_envelope(const nlohmann::json& signed_part,
                          const std::vector<const signing::Ed25519Key*>& keys);

// How many distinct keys of `role` in `root` signed `envelope` validly.
std::size_t valid_signatures(const Envelope& envelope, const RootMeta& root, Role role);

// Empty when the threshold is met; else e.g. "signed by 1 of the 3 root keys of root version 2,
// which requires 2".
std::string threshold_problem(const Envelope& envelope, const RootMeta& root, Role role);

} // namespace distbuild::builder::tuf
