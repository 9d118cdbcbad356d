// One component a build produced, as compose_channel (compose.hpp) and the splicer
// (splice.hpp) take it: its package, target, version and the tarballs that hold it.
#pragma once

#include "manifest/channel.hpp"

#include <optional>
#include <string>

namespace distbuild::manifest {

struct BuiltComponent {
  std::string package;  // manifest package name ("rustc", "rust-std", "clippy-preview", "rust-src");
                        // a tarball name ("clippy") is accepted and mapped to its package
  std::string target;   // triple, or "*" (or empty) for rust-src
  std::string version;  // content of the tarball's `version` file, e.g. "1.95.0 (59807616e 2026-04-14)"
  std::optional<std::string> git_commit_hash;
  std::optional<ArtifactRef> gz, xz, zst; // none at all: listed as available = false
};

} // namespace distbuild::manifest
