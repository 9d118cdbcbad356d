// The data behind `distbuild build-manifest`: Rust's build-manifest (src/tools/build-manifest/,
// its PkgType list in versions.rs, the constants of main.rs and the target lists its build.rs
// makes from rustc's tier metadata) written down as tables, so that build_manifest.cpp only
// walks them. These rules are upstream's, not distbuild's: `dist` composes its manifest from what
// was built (manifest/compose.hpp) and never reads this file.
//
// Facts were taken from the newest upstream sources and checked against the real 1.95.0 stable
// and 1.97 nightly manifests (tests/e2e/build_manifest_upstream_test.cpp compares entry for
// entry). Where upstream changed between releases, a row says since which 1.N it applies.
#pragma once

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace distbuild::builder {

// Which target list a package is published for.
enum class UpstreamTriples { Hosts, Targets, Mingw, Any };

// How the package appears in `[pkg.rust.target.<host>]` (builder.rs target_host_combination).
enum class UpstreamRustRole {
  None,             // the `rust` package itself, reproducible-artifacts: never listed
  Component,        // required, for the host (rustc, cargo, rust-docs)
  StdComponent,     // rust-std: a component for the host, an extension for every other target
  MingwComponent,   // rust-mingw, *-pc-windows-gnu hosts only: same, other windows-gnu targets
  HostExtension,    // the tools, rustc-docs, rust-analysis: an extension for the host
  AllHostsExtension, // rustc-dev: an extension for every host
  AnyExtension,     // rust-src: an extension with the target "*"
};

// One PkgType of upstream's versions.rs, in its order (which is the order of the `rust` lists).
struct UpstreamPackage {
  std::string_view tarball_name;  // file-name stem: "clippy", "gcc-x86_64-unknown-linux-gnu"
  bool preview;                   // manifest name is "<tarball_name>-preview", plus a rename
  UpstreamTriples triples;
  UpstreamRustRole role;
  bool rust_version;     // version and git hash are the combined rust tarball's
  bool nightly_only;     // listed on every channel, available only on nightly
  bool docs_fallback;    // a host without its own tarball takes another's (upstream_docs_fallback)
  unsigned since_minor;  // first 1.N whose build-manifest lists it; 0: every release
};

std::span<const UpstreamPackage> upstream_packages();
std::string upstream_manifest_name(const UpstreamPackage& package);

// Where upstream reads versions from: the x86_64-unknown-linux-gnu tarballs.
inline constexpr std::string_view k_upstream_version_host = "x86_64-unknown-linux-gnu";

// (substring of the host, host whose docs to take instead), first match that exists wins.
std::span<const std::pair<std::string_view, std::string_view>> upstream_docs_fallback();

// Hosts whose rust-<V>-<host>.pkg is looked for (a fixed list upstream).
std::span<const std::string_view> upstream_pkg_installer_hosts();

// HOSTS and TARGETS, sorted like upstream's (rustc prints its target specs sorted by name).
struct UpstreamTargetLists {
  std::vector<std::string> hosts;    // targets with host tools
  std::vector<std::string> targets;  // every tier 1 and 2 target (hosts included)
  std::vector<std::string> mingw() const;          // hosts containing "-windows-gnu"
  std::vector<std::string> msi_installers() const; // hosts containing "-windows-"
};

// The lists of distbuild's target table (targets/target_table.cpp, 1.95.0's).
UpstreamTargetLists builtin_upstream_targets();

// The lists the way upstream's build.rs derives them from
// `rustc -Z unstable-options --print=all-target-specs-json`: tier 1 and 2 targets, hosts when
// metadata.host_tools is true. Throws builder::Error naming the file when it is not that JSON.
UpstreamTargetLists upstream_targets_from_specs(const std::filesystem::path& specs_json);

} // namespace distbuild::builder
