// The manifest upstream's build-manifest makes from a promote-release input directory, before
// any hash is known (build_manifest.cpp fills them from the checksum cache). The directory is
// read the way upstream reads it: by looking up the file names its rules predict
// (<tarball>-<V>-<triple>.tar.{gz,xz}, rust-<V>-<host>.msi, ...), never by listing it, so files
// it has no rule for (rust-dev, build-manifest's own tarball, .zst, toolstates) are ignored and
// not shipped.
#pragma once

#include "builder/compat/build_manifest_rules.hpp"
#include "manifest/channel.hpp"

#include <filesystem>
#include <optional>
#include <set>
#include <string>

namespace distbuild::builder {

struct UpstreamInput {
  std::filesystem::path input_dir;
  std::string date;         // YYYY-MM-DD, also the directory of every URL
  std::string upload_addr;  // URLs are <upload_addr>/<date>/<file>, as given
  std::string channel;      // stable, beta, nightly; anything else is a "-dev" release
  UpstreamTargetLists lists;
};

struct UpstreamManifest {
  std::string label;         // the <V> of file names: 1.95.0, beta, nightly, 1.96.0-dev
  std::string rust_version;  // the combined rust tarball's `version`, as stored
  std::optional<std::string> git_commit_hash;  // its `git-commit-hash`, as stored
  std::filesystem::path rust_tarball;          // the file they were read from
  manifest::Channel channel;                   // every url set, every hash still empty
  std::set<std::string> shipped;               // names of the input files the manifest names
};

// Throws builder::Error when the input cannot give what upstream requires: the combined
// rust-<V>-x86_64-unknown-linux-gnu tarball with a `version`, readable version tarballs.
UpstreamManifest compose_upstream_manifest(const UpstreamInput& input);

// The name of the file a manifest url points at (its last path segment).
std::string url_file_name(const std::string& url);

} // namespace distbuild::builder
