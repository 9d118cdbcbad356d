// `distbuild build-manifest`: Rust's build-manifest, so that promote-release (and `x.py dist
// hash-and-sign`) can run distbuild in its place. Same command line
// (`<input-dir> <output-dir> <date> <upload-addr> <channel>`), same environment
// (BUILD_MANIFEST_CHECKSUM_CACHE read and written, BUILD_MANIFEST_SHIPPED_FILES_PATH written,
// BUILD_MANIFEST_NUM_THREADS), same output: channel-rust-<name>.toml, -date.txt and
// -git-commit-hash.txt for the channel and its pins, with upstream's rules for which packages,
// targets, renames, artifacts and `rust` lists a manifest has (build_manifest_rules.hpp). Like
// upstream it writes no .sha256/.asc (promote-release's step) and ignores .zst files.
//
// Unlike `dist`, which lists exactly what was built for any target, this follows upstream's
// target table: every tier 1/2 triple is listed, unbuilt ones as `available = false`, and the
// combined rust-<V>-x86_64-unknown-linux-gnu tarball must be there (it names the version).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct BuildManifestOptions {
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  std::string date;
  std::string upload_addr;  // e.g. https://static.rust-lang.org/dist; URLs <addr>/<date>/<file>
  std::string channel;
  std::optional<std::filesystem::path> checksum_cache;  // BUILD_MANIFEST_CHECKSUM_CACHE
  std::optional<std::filesystem::path> shipped_files;   // BUILD_MANIFEST_SHIPPED_FILES_PATH
  unsigned threads = 0;                                 // BUILD_MANIFEST_NUM_THREADS; 0: cores
  // `rustc -Z unstable-options --print=all-target-specs-json` of the release's compiler, for
  // the target lists upstream's build.rs would make; none: distbuild's table (1.95.0's).
  std::optional<std::filesystem::path> target_specs;
};

struct BuildManifestResult {
  std::vector<std::filesystem::path> written;  // in the output dir
  std::vector<std::string> shipped;            // sorted file names, as in the shipped-files list
  std::vector<std::string> warnings;           // what manifest::validate() says (upstream writes
                                               // its manifest regardless)
  std::size_t hashed = 0, hashes_reused = 0;
};

// Checks and hashes everything before writing; throws builder::Error naming the file on bad
// input, with nothing written.
BuildManifestResult build_manifest(const BuildManifestOptions& options);

} // namespace distbuild::builder
