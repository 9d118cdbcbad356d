// `distbuild sign`: (re-)signing a whole existing tree (tree_signing.hpp says which files of a
// tree carry a signature), through the Publisher like every other write: under the tree lock,
// and with the tree's keys kept unless a key change is asked for (tree/tree_keys.hpp).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

struct SignTreeResult {
  std::size_t signed_files = 0;
  std::string fingerprint;                // the first key
  std::vector<std::string> fingerprints;  // every key that signed (two during a rotation)
  std::vector<std::string> previous_keys; // the tree's keys before, when they changed
};

// Re-signs every signed file of an existing tree and replaces the key files; changes nothing
// else. The tree must be unsigned or signed with the signer's keys, unless `rotate_keys`: then
// the signer's keys replace the tree's (README: Keys, rotation). Holds the tree lock throughout. Throws builder::Error.
SignTreeResult sign_tree(signing::Signer& signer, const std::filesystem::path& root,
                         bool rotate_keys = false);

} // namespace distbuild::builder
