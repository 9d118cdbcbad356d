// `distbuild sign`: (re-)signing a whole existing tree with one key (tree_signing.hpp says which
// files of a tree carry a signature).
#pragma once

#include <filesystem>
#include <string>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

struct SignTreeResult {
  std::size_t signed_files = 0;
  std::string fingerprint;
};

// (Re-)signs every signed file of an existing tree and replaces the key files; changes nothing
// else (key rotation, or re-signing a toolchain someone else packed). Holds the tree lock
// (TreeLock) throughout: throws builder::Error when another run is writing the tree.
SignTreeResult sign_tree(signing::Signer& signer, const std::filesystem::path& root);

} // namespace distbuild::builder
