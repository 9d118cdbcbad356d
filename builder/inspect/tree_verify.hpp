// `distbuild verify`: everything a consumer of a tree relies on, checked end to end, and every
// problem reported (not only the first):
//   - each channel manifest parses and passes rustup's rules (manifest::validate);
//   - each .sha256 and SHA256SUMS entry matches its file;
//   - every URL of every manifest maps (https://static.rust-lang.org -> the tree) to a file of
//     the tree whose SHA-256 is the manifest's hash, for every format listed;
//   - every tarball has the structure rustup needs and its `components` names the package;
//   - top-level manifests equal their dated copies, pins equal their channel's manifest;
//   - every signed file has a .asc that verifies with the key given (or the tree's own key).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct VerifyOptions {
  std::filesystem::path tree;
  std::optional<std::filesystem::path> key;  // armored public key; default <tree>/release-key.asc
  bool allow_unsigned = false;               // no key anywhere: skip the signature checks
  // URLs outside the tree (an `overlay --no-mirror` tree points rustup at upstream's server)
  // are listed in VerifyReport::external instead of being problems; nothing fetches them.
  bool allow_external = false;
  std::string base_url = "https://static.rust-lang.org/dist";  // what maps to <tree>/dist
};

struct VerifyProblem {
  std::string path;     // relative to the tree ("" for the tree itself)
  std::string problem;
};

struct VerifyReport {
  std::vector<VerifyProblem> problems;
  std::size_t manifests = 0;
  std::size_t tarballs = 0;
  std::size_t checksums = 0;
  std::size_t signatures = 0;
  std::vector<std::string> external;  // with allow_external: URLs not checked, sorted, unique
  std::string key_fingerprint;
  bool ok() const { return problems.empty(); }
};

VerifyReport verify_tree(const VerifyOptions& options);

} // namespace distbuild::builder
