// What a release is made of, before anything is packed: one ComponentSource per (package,
// target), gathered from any mix of the three kinds of input `dist` accepts:
//   (a) staged images  <stage>/<package>/<target>/          install-prefix layout, packed here;
//       <stage>/<package>/<target>.overlay/ (optional)       non-installed files (version, README)
//   (b) installed toolchains (rustup's, install.sh's)         split by lib/rustlib/manifest-* lists
//   (c) directories of installer tarballs made by `pack`    used as they are, never recompressed
//   (d) a porter's build tree (build/<host>/stage2...) or install prefix, split by cross/
// Every image (not tarballs: they are packed already) is checked to hold binaries for its own
// target (cross::check_image_arch) unless the check is turned off.
// Gathering checks everything first and reports every problem at once (duplicate package and
// target, unparseable triple, unknown package directory, a --targets triple the inputs do not
// hold, a host binary whose shared libraries would not be found), so
// `dist` never starts half-way. A distro prefix (a /usr tree, lib/<multiarch>/) is split by
// cross/distro_prefix.hpp, and its libraries completed by cross/host_libraries.hpp.
#pragma once

#include "builder/inspect/installer_facts.hpp"
#include "builder/pack/pack.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct ComponentSource {
  std::string package;  // manifest package name ("rustc", "rust-std", "clippy-preview", ...)
  std::string target;   // triple, or "*" for rust-src
  std::optional<std::string> version;          // the `version` text ("1.95.0 (59807616e 2026-04-14)")
  std::optional<std::string> git_commit_hash;
  std::string origin;   // where it came from, for messages

  // Either an image to pack ...
  std::optional<std::filesystem::path> image_dir;
  std::vector<std::string> bulk_dirs;
  std::optional<std::filesystem::path> overlay_dir;
  std::vector<std::string> resolved_links;
  // Keeps a reused split's work dir locked while the image is in use (split_slot.hpp).
  std::shared_ptr<const void> image_lease;
  // ... or tarballs that already exist (one per format), with the size and hash of those that
  // pack's facts file vouches for (installer_facts.hpp): never read again.
  std::map<Format, std::filesystem::path> tarballs;
  std::map<Format, KnownTarball> known_tarballs;
};

struct GatherOptions {
  std::vector<std::filesystem::path> stage_dirs;
  std::vector<std::filesystem::path> toolchain_dirs;
  std::vector<std::filesystem::path> tarball_dirs;
  std::vector<std::filesystem::path> from_dirs;   // build trees or install prefixes
  bool arch_check = true;
  std::vector<std::string> only_packages;   // empty: every package found (names or tarball names)
  std::vector<std::string> skip_packages;
  std::vector<std::string> only_targets;    // empty: every target found
  std::string host;                         // host triple of a prefix; empty: detected
  std::filesystem::path work_dir;           // where installed toolchains are split into images
  // With a cache: splits go to a slot under this dir instead and are reused by the next run
  // (split_slot.hpp).
  std::optional<std::filesystem::path> split_cache;
};

// What gathering learnt besides the sources.
struct GatherFacts {
  std::vector<std::string> held_targets;  // every triple the inputs hold, before --targets
  std::vector<std::string> warnings;      // files left out (dangling links), prefix one level down
  std::vector<std::string> notes;         // libraries packed from elsewhere in the input
  std::optional<std::string> toolchain_date;  // `date` of an installed toolchain's stored manifest
  std::string toolchain_date_origin;
};

// Every problem found, one per line, with nothing thrown; `facts` is filled.
std::vector<ComponentSource> collect_sources(const GatherOptions& options, GatherFacts& facts,
                                             std::vector<std::string>& problems);

// Throws builder::Error listing every problem found, one per line.
std::vector<ComponentSource> gather_sources(const GatherOptions& options);

// A whole release (not an overlay's additions) needs rustc: adds the problem when `sources`
// hold none, saying what they hold and how to add a host toolchain.
void check_has_rustc(const std::vector<ComponentSource>& sources,
                     std::vector<std::string>& problems);

// "<first problem>\n  <second>..." as builder::Error's text.
std::string problem_list(const std::vector<std::string>& problems);

// The rust version text to publish: rustc's `version` when any source knows it.
std::optional<std::string> rustc_version_text(const std::vector<ComponentSource>& sources);

} // namespace distbuild::builder
