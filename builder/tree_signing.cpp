#include "builder/tree_signing.hpp"

#include "builder/atomic_file.hpp"
#include "builder/dist_tree.hpp"
#include "builder/error.hpp"
#include "builder/index_page.hpp"
#include "signing/signer.hpp"

#include <algorithm>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

void sign_one_file(signing::Signer& signer, const fs::path& file) {
  write_file_atomically(file.string() + ".asc", signer.sign_file(file));
}

void write_key_files(signing::Signer& signer, const fs::path& root) {
  write_file_atomically(root / k_key_file, signer.export_public_key());
  write_file_atomically(root / k_fingerprint_file, signer.fingerprint() + "\n");
}

bool is_signed_file(const fs::path& root, const fs::path& file) {
  if (is_sidecar(file)) {
    return false;
  }
  fs::path rel = fs::relative(file, root);
  for (const auto& part : rel) {
    if (part.string().starts_with(".")) {
      return false;
    }
  }
  return rel != fs::path(k_key_file) && rel != fs::path(k_fingerprint_file);
}

SignTreeResult sign_tree(signing::Signer& signer, const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root / "dist", ec)) {
    throw Error(root, "is not a distbuild tree (no dist/ directory)");
  }
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
  return {files.size(), signer.fingerprint()};
}

} // namespace distbuild::builder
