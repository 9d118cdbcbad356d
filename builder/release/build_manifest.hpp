// build-manifest's job, with its command line (spec 5.1): a flat directory of installer
// tarballs in, channel-rust-<name>.toml, -date.txt and -git-commit-hash.txt out (for the channel
// and its pins), URLs <upload-addr>/<date>/<file>. Like upstream it writes no .sha256/.asc (that
// is the publisher's step); unlike upstream it needs no x86_64 tarball and knows no fixed target
// list, so tier-3-only and armv7-only releases work.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::builder {

struct BuildManifestOptions {
  std::filesystem::path input_dir;
  std::filesystem::path output_dir;
  std::string date;
  std::string upload_addr;  // e.g. https://static.rust-lang.org/dist
  std::string channel;
};

// Returns the files written.
std::vector<std::filesystem::path> build_manifest(const BuildManifestOptions& options);

} // namespace distbuild::builder
