#include "builder/tree/tree_signing.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "signing/signer.hpp"


namespace distbuild::builder {

namespace fs = std::filesystem;

void sign_one_file(signing::Signer& signer, const fs::path& file) {
  write_file_atomically(file.string() + ".asc", signer.sign_file(file));
}

void write_key_files(signing::Signer& signer, const fs::path& root) {
  write_file_atomically(root / k_key_file, signer.export_public_key());
  write_fingerprint_file(signer, root);
}

void write_fingerprint_file(const signing::Signer& signer, const fs::path& root) {
  std::string text;
  for (const auto& fingerprint : signer.fingerprints()) {
    text += fingerprint + "\n";
  }
  write_file_atomically(root / k_fingerprint_file, text);
}

bool is_signed_file(const fs::path& root, const fs::path& file) {
  if (is_sidecar(file)) {
    return false;
  }
  fs::path rel = fs::relative(file, root);
  if (rel.begin() != rel.end() && *rel.begin() == k_tuf_dir) {
    return false;
  }
  for (const auto& part : rel) {
    if (part.string().starts_with(".")) {
      return false;
    }
  }
  return rel != fs::path(k_key_file) && rel != fs::path(k_fingerprint_file);
}


} // namespace distbuild::builder
