// Re-signing a whole tree (sign_tree.hpp).
#include "builder/release/sign_tree.hpp"

#include "builder/release/publisher.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/tree_keys.hpp"
#include "signing/signer.hpp"

namespace distbuild::builder {

namespace fs = std::filesystem;

SignTreeResult sign_tree(signing::Signer& signer, const fs::path& root, bool rotate_keys) {
  std::error_code ec;
  if (!fs::is_directory(root / "dist", ec)) {
    throw Error(root, "is not a distbuild tree (no dist/ directory)");
  }
  SignTreeResult result;
  const std::vector<std::string> before = tree_signing_keys(fs::absolute(root));
  // Signing an unsigned tree whole is what `sign` is for: that is never refused.
  const bool unsigned_tree = before.empty();
  PublisherOptions options{root, &signer, ".distbuild-work-", TreeKind::DistOrRustup, {}};
  options.rotate_keys = rotate_keys || unsigned_tree;
  // The Publisher holds the tree lock every writer takes: re-signing while dist or mirror
  // publishes would sign files that are being replaced.
  Publisher tree(options);
  result.signed_files = tree.resign_tree();
  tree.write_key_files();
  tree.refresh_tuf();
  result.fingerprint = signer.fingerprint();
  result.fingerprints = signer.fingerprints();
  if (tree.changes_keys() && !unsigned_tree) {
    result.previous_keys = before;
  }
  return result;
}

} // namespace distbuild::builder
