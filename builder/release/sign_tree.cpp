// Re-signing a whole tree (sign_tree.hpp).
#include "builder/release/sign_tree.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "builder/tree/tree_signing.hpp"
#include "builder/tuf/repository.hpp"
#include "builder/web/index_page.hpp"
#include "signing/signer.hpp"

#include <algorithm>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

SignTreeResult sign_tree(signing::Signer& signer, const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root / "dist", ec)) {
    throw Error(root, "is not a distbuild tree (no dist/ directory)");
  }
  // The lock every writer of a tree takes: re-signing while dist or mirror publishes would
  // sign files that are being replaced, and leave signatures of bytes that no longer exist.
  TreeLock lock(root);
  // The key files and the index page (which shows the fingerprint) first, so the page is
  // signed with the rest.
  write_key_files(signer, root);
  refresh_index_page(root);
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(root); it != fs::recursive_directory_iterator();
       ++it) {
    if (it->is_directory() && it->path().filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && is_signed_file(root, it->path())) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    sign_one_file(signer, file);
  }
  tuf::refresh_if_present(root);
  return {files.size(), signer.fingerprint()};
}

} // namespace distbuild::builder
