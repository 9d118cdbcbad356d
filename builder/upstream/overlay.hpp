// `distbuild overlay`: an upstream channel manifest plus locally built packages in, a signed
// tree of our own out. The steps, top to bottom (overlay.cpp reads the same way):
//   fetch the manifest, check it against its .sha256 (and its .asc with --upstream-key)
//   -> keep the selected hosts/targets (manifest/splice.hpp) -> pack/take the added packages
//   -> splice them in -> re-validate with rustup's rules -> mirror every upstream file the
//   manifest still references into dist/ (fetch.hpp: hash-checked, resumable, skipped when
//   present) -> added tarballs into dist/<date>/ -> manifests, pins, provenance, SHA256SUMS,
//   signatures in dist/<date>/ -> the top-level copies, channel manifests last.
//
// Unlike `dist`, the dated directory is filled file by file rather than renamed in whole: a
// mirror must be able to resume, so every file is renamed into place the moment it is complete
// and checked, and the manifests that reference them come last. The upstream date and version
// strings are kept; the manifest keeps upstream's bytes when nothing in it changed.
//
// Signatures: with a local key every file gets a .asc; upstream's .asc is kept instead for
// bytes we did not change, but only when --upstream-key verified it (a signature nobody here
// can check is never republished), and the key files at the root then hold both keys.
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/pack.hpp"
#include "builder/upstream/fetch.hpp"
#include "manifest/splice.hpp"
#include "builder/tree/progress.hpp"
#include "builder/release/release_inputs.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

inline constexpr const char* k_default_base_url = "https://static.rust-lang.org/dist";

struct OverlayOptions {
  std::string upstream;                                 // URL or path of a channel-rust-*.toml
  std::optional<std::filesystem::path> upstream_key;    // armored key(s) for the upstream .asc
  // Called with the upstream manifest's bytes before anything is written; throws to refuse them
  // (mirror's check against the upstream's TUF targets). May be empty.
  std::function<void(const std::string&)> check_upstream_manifest;
  GatherOptions add;                                    // what to splice in; empty: mirror only
  bool replace = false;
  manifest::TargetSelection selection;
  bool mirror = true;                                   // false: reference upstream's files
  std::vector<std::string> names;                       // manifest names; empty: from the file
  bool update_top_level = true;                         // false: only dist/<date>/
  std::string base_url = k_default_base_url;            // URL prefix written for our files
  std::vector<Format> formats{Format::Xz, Format::Zst};  // for packing added images
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;
  std::filesystem::path out;
  signing::Signer* signer = nullptr;
  bool rotate_keys = false;  // the signer's keys may replace the tree's (tree/tree_keys.hpp)
  std::function<void(const std::string&)> log;
  ProgressSink* progress = nullptr;  // told each pack of an added image (progress.hpp); may be null
};

// With --no-mirror, where rustup fetches upstream's file `source` (an upstream URL or path):
// a path becomes a file:// URL (rustup refuses relative ones), and a URL on
// https://static.rust-lang.org gets its host in capitals, which names the same host: rustup
// replaces the lower-case prefix in every manifest URL with RUSTUP_DIST_SERVER (spec 3.1), so
// kept as it is, it would send rustup to our tree, where the file is not.
std::string upstream_download_url(const std::string& source);

struct MirroredFile {
  std::string url;                 // where it came from
  std::filesystem::path path;      // in the tree
  std::string sha256;
  std::uint64_t size = 0;
  bool downloaded = false;         // false: already present with the right hash
  bool upstream_signature = false; // its .asc is upstream's (verified), not ours
};

struct AddedFile {
  std::string package, target;
  std::filesystem::path path;
  std::string sha256;
  std::uint64_t size = 0;
};

struct OverlayResult {
  std::filesystem::path tree, dated_dir;
  std::string channel, version, date;
  std::string upstream_url, upstream_manifest_sha256;
  std::string upstream_signature;   // "verified", "not checked", "not available"
  std::string upstream_signer;      // fingerprint when verified
  std::vector<std::string> manifest_names, top_level_updated;
  std::string manifest_sha256;
  bool manifest_rewritten = false;
  std::vector<manifest::SpliceChange> changes;
  std::vector<AddedFile> added_files;
  std::vector<MirroredFile> mirrored;
  std::vector<manifest::ComponentRef> dropped;
  std::filesystem::path provenance;
  std::vector<std::string> notes;
  std::string signing_fingerprint;
};

// Sorts an --add input into `options`: an installed toolchain (has lib/rustlib), a directory of
// installer tarballs (holds *.tar.gz/xz/zst), else a directory of staged images.
void add_input(GatherOptions& options, const std::filesystem::path& path);

// Throws builder::Error (or manifest::/signing::Error) naming the file or URL at fault.
OverlayResult run_overlay(const OverlayOptions& options, Fetcher& fetcher);

// The provenance record written into dist/<date>/ (also what --json prints for it).
std::string provenance_json(const OverlayResult& result);

} // namespace distbuild::builder
