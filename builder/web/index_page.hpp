// <root>/index.html: the page a person opens to see what a tree holds before publishing it or
// pointing rustup at it. One static file with inline CSS, no external assets (it must work from
// file:// and from an offline mirror), readable on a phone:
//   - how to use the mirror (RUSTUP_DIST_SERVER, RUSTUP_UPDATE_ROOT, a rust-toolchain.toml);
//   - every channel manifest and pin at the top of dist/, with its release, date and SHA-256;
//   - per release, a targets x components matrix showing available / missing at a glance (like
//     the community's "rustup components history" page). Cells are machine-checkable:
//       <td data-host="<triple>" data-component="<package>" data-available="true|false">
//     inside <table class="matrix" data-channel="<first name>" data-names="stable 1.95.0 1.95">;
//   - the files of each release with sizes and SHA-256s, the dated archive, the rustup
//     self-update tree, and the signing key's fingerprint.
// The page is derived from the tree alone (no clock, no host name), so the same tree always
// gives the same bytes; it is rewritten whenever the tree changes (dist, sign, rustup).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace distbuild::builder {

inline constexpr const char* k_index_file = "index.html";

struct IndexFile {
  std::string name;      // file name (from the manifest URL)
  std::string format;    // gz, xz, zst
  std::string sha256;    // from the manifest
  std::optional<std::uint64_t> size;  // nullopt: not found in the tree
};

struct IndexCell {
  bool available = false;
  bool any_target = false;  // from a target "*" entry (rust-src)
  std::vector<IndexFile> files;
};

// One distinct channel manifest, under every name that has these bytes.
struct IndexRelease {
  std::vector<std::string> names;  // channel-rust-<name>.toml: stable, 1.95.0, 1.95
  std::string location;            // "dist" or "dist/2026-04-16"
  std::string date;
  std::string rust_version;        // pkg.rust.version
  std::string manifest_sha256;
  std::string error;               // set when the manifest does not parse (nothing else is)
  std::vector<std::string> hosts;      // targets of pkg.rust (where rustc runs)
  std::vector<std::string> targets;    // rows: every target any package lists, hosts first
  std::vector<std::string> packages;   // columns, without the `rust` meta-package
  std::map<std::string, std::string> display_names;  // package -> rustup's name (clippy)
  std::map<std::pair<std::string, std::string>, IndexCell> cells;  // (target, package)
};

struct IndexRustup {
  std::string version;                 // release-stable.toml
  std::vector<std::string> latest_targets;                          // rustup/dist/<triple>
  std::vector<std::pair<std::string, std::vector<std::string>>> archive;  // version -> triples
};

struct TreeSummary {
  std::vector<IndexRelease> top_level;  // dist/channel-rust-*.toml, grouped by content
  std::vector<IndexRelease> dated;      // dist/<date>/, newest first, grouped by content
  std::string fingerprint;              // release-key.fingerprint; empty when unsigned
  bool has_public_key = false;
  std::optional<IndexRustup> rustup;
  bool has_tuf = false;  // tuf/1.root.json and tuf/timestamp.json (README: TUF)
};

TreeSummary read_tree_summary(const std::filesystem::path& tree_root);
// The same without the dated archive (`dated` stays empty): what a quick look needs (serve's
// start lines), cheap even for a mirror with years of dated directories.
TreeSummary read_top_level_summary(const std::filesystem::path& tree_root);
std::string render_index_page(const TreeSummary& summary);

// Writes <root>/index.html and index.html.sha256 atomically. Signing it is the caller's job
// (like every published file): sign_one_file(signer, root / k_index_file).
void write_index_page(const std::filesystem::path& tree_root);

// Rewrites <root>/index.html from the tree as it now is, with its .sha256 (the caller signs it).
void refresh_index_page(const std::filesystem::path& root);

} // namespace distbuild::builder
