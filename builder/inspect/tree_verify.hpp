// `distbuild verify`: everything a consumer of a tree relies on, checked end to end, and every
// problem reported (not only the first):
//   - each channel manifest parses and passes rustup's rules (manifest::validate);
//   - each .sha256 and SHA256SUMS entry matches its file;
//   - every URL of every manifest maps (https://static.rust-lang.org -> the tree) to a file of
//     the tree whose SHA-256 is the manifest's hash, for every format listed;
//   - every tarball has the structure rustup needs and its `components` names the package;
//   - top-level manifests equal their dated copies, pins equal their channel's manifest;
//   - every signed file has a .asc that verifies with the tree's own release-key.asc (every
//     signature in it good, by a key of that file, with SHA-256 or stronger), or, with --key,
//     holds a good signature by the key given (other signatures may be by keys not given: a key
//     rotation's transition signs each file with the old and the new key).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct VerifyOptions {
  std::filesystem::path tree;
  std::optional<std::filesystem::path> key;  // armored public key; default <tree>/release-key.asc
  // No key anywhere: skip the signature checks. With a key: a file without .asc is no problem,
  // the .asc files there are are checked (an unsigned mirror keeps upstream's signatures).
  bool allow_unsigned = false;
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
  std::string key_fingerprint;                // first key of the key file (kept for scripts)
  std::vector<std::string> key_fingerprints;  // every key of the key file
  std::vector<std::string> signed_by;  // primary fingerprints of good signatures, sorted, unique
  std::vector<std::string> digests;    // digests of good signatures ("SHA512"), sorted, unique
  bool ok() const { return problems.empty(); }
};

VerifyReport verify_tree(const VerifyOptions& options);

} // namespace distbuild::builder
