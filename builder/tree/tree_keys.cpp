// See tree_keys.hpp.
#include "builder/tree/tree_keys.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/text.hpp"
#include "builder/tree/tree_signing.hpp"
#include "signing/signer.hpp"

#include <algorithm>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

std::string joined(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& key : keys) {
    out += (out.empty() ? "" : " and ") + key;
  }
  return out;
}

std::vector<std::string> sorted(std::vector<std::string> keys) {
  std::sort(keys.begin(), keys.end());
  return keys;
}

} // namespace

std::vector<std::string> tree_signing_keys(const fs::path& root) {
  std::error_code ec;
  const fs::path file = root / k_fingerprint_file;
  if (!fs::is_regular_file(file, ec)) {
    return {};
  }
  std::vector<std::string> keys;
  for (const std::string& line : split_lines(read_file(file))) {
    const std::string key = trim(line);
    if (!key.empty()) {
      keys.push_back(key);
    }
  }
  return keys;
}

bool has_signable_content(const fs::path& root) {
  std::error_code ec;
  for (const char* dir : {"dist", "rustup"}) {
    if (!fs::is_directory(root / dir, ec)) {
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(root / dir, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        break;
      }
      if (it->path().filename().string().starts_with(".")) {
        if (it->is_directory(ec)) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (it->is_regular_file(ec) && is_signed_file(root, it->path())) {
        return true;
      }
    }
  }
  return false;
}

bool check_key_continuity(const fs::path& root, const signing::Signer* signer, bool rotate) {
  const std::vector<std::string> tree_keys = tree_signing_keys(root);
  if (tree_keys.empty()) {
    if (signer == nullptr || !has_signable_content(root)) {
      return false;
    }
    if (!rotate) {
      throw Error(root, "the tree is not signed but already has content; signing only what is "
                        "published now would leave it half-signed: sign it whole with "
                        "`distbuild sign` (or add --rotate-key, which signs every file)");
    }
    return true;
  }
  if (signer == nullptr) {
    throw Error(root, "the tree is signed with " + joined(tree_keys) + " (" + k_fingerprint_file +
                          "); give --sign-key for each, or the files published now would be "
                          "unsigned and the older signatures stale");
  }
  const std::vector<std::string> ours = signer->fingerprints();
  if (sorted(ours) == sorted(tree_keys)) {
    return false;
  }
  if (!rotate) {
    throw Error(root, "the tree is signed with " + joined(tree_keys) + ", not with " +
                          joined(ours) + "; nothing was changed. Publish with the tree's key(s), "
                          "or change keys with --rotate-key, which re-signs every file (README: "
                          "Keys)");
  }
  return true;
}

} // namespace distbuild::builder
