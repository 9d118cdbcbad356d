// Component kinds of a Rust distribution and the names derived from them. One component has up
// to three names, and mixing them up is the classic way to break an install:
//   - the manifest package ("clippy-preview"), what `[pkg.*]`, profiles and rustup use;
//   - the tarball name ("clippy"), the stem of the file name (spec 1.1);
//   - the installer component name inside the tarball ("clippy-preview",
//     "rust-std-x86_64-unknown-linux-gnu"), the `components` line rustup looks for (spec 1.4).
// The table is the single place that knows these conventions; everything else asks it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace distbuild::targets {

// Host: rustc/cargo/tools, one per host triple. Target: rust-std, rust-analysis, one per
// compilation target. Any: rust-src, published once under the wildcard target "*".
enum class ComponentScope { Host, Target, Any };

struct ComponentKind {
  std::string_view package;      // manifest package name: "rustc", "rust-std", "clippy-preview"
  std::string_view tarball_name; // file-name stem: "rustc", "rust-std", "clippy", "rust-src"
  ComponentScope scope;
  bool target_in_component_name; // rust-std, rust-analysis: `components` line "<package>-<target>"
  bool nightly_only;             // miri-preview, rust-docs-json-preview, rustc-codegen-cranelift-preview
};

// Accepts the manifest package ("clippy-preview") or the tarball name ("clippy").
std::optional<ComponentKind> find_component(std::string_view name);

// Every known component, in the order upstream lists them in `[pkg.rust]` (rustc, rust-std,
// cargo, rust-docs, rust-mingw first, then the extensions).
std::span<const ComponentKind> known_components();

// The combined `rust-<V>-<host>` tarball. Not a component (rustup never installs it), so it is
// not in known_components(); here only so that its file name is built the same way.
const ComponentKind& rust_combined_kind();

// Name inside the tarball (`components` line and directory): "rust-std-x86_64-unknown-linux-gnu",
// "clippy-preview", "rustc".
std::string installer_component_name(const ComponentKind& kind, std::string_view target);

// The `<V>` of file names (spec 1.1): stable -> the version number ("1.95.0"), beta -> "beta",
// nightly -> "nightly", anything else -> "<version>-dev". A full version string such as
// "1.95.0 (59807616e 2026-04-14)" is accepted; only its first word is used.
std::string version_label(std::string_view channel, std::string_view version);

// File stem without extension: "clippy-1.95.0-x86_64-unknown-linux-gnu"; Any scope drops the
// target: "rust-src-1.95.0".
std::string tarball_stem(const ComponentKind& kind, std::string_view label, std::string_view target);

} // namespace distbuild::targets
