// Turns the components a build produced into a channel manifest the way upstream's
// build-manifest does (spec 2.4-2.6, 5.1), minus its assumptions: no host is required to
// exist (an armv7-only channel is fine) and only what was built is listed, so the result
// passes validate() and a plain `rustup toolchain install` works on every host.
#pragma once

#include "manifest/built_component.hpp"
#include "manifest/channel.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::manifest {

struct ComposeInput {
  std::string date;         // YYYY-MM-DD
  std::string channel;      // stable|beta|nightly
  std::string rust_version; // [pkg.rust].version (rustc's version string); empty: rustc's version
  std::optional<std::string> git_commit_hash;
  std::vector<BuiltComponent> components;
  std::map<std::string, std::map<std::string, std::vector<ArtifactFile>>> artifacts; // optional source tarballs etc.
  std::map<std::string, TargetEntry> rust_combined; // host -> combined rust-<v>-<host> tarball entry, if made
};

// Throws manifest::Error on conflicting input: the same package+target twice, one package with
// two versions, a combined tarball for a triple without rustc, rust-src for a real triple.
Channel compose_channel(const ComposeInput& input);

// Upstream's profile lists (spec 2.6); nightly appends rustc-dev to `complete`.
std::map<std::string, std::vector<std::string>> upstream_profiles(const std::string& channel);

} // namespace distbuild::manifest
