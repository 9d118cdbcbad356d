// Packing the components of one release: image sources are packed into tarballs (largest first,
// as many at once as cores and memory allow (pack_schedule.hpp), unchanged ones from the pack
// cache) and tarball sources are taken as they
// are, each into a staging dir with its .sha256. Shared by dist and overlay.
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/pack.hpp"
#include "builder/release/release_inputs.hpp"
#include "builder/tree/progress.hpp"
#include "manifest/built_component.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct PackJobOptions {
  std::vector<Format> formats{Format::Gz, Format::Xz, Format::Zst};
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;                          // 0: all cores
  std::uint64_t memory_limit = 0;                // encoders' budget; 0: pack_schedule.hpp's default
  std::optional<std::filesystem::path> cache_dir;  // pack_cache.hpp's resolution applies
  bool no_cache = false;
  std::function<void(const std::string&)> log;   // one line per step; may be empty
  ProgressSink* progress = nullptr;              // told each pack's progress; may be null
};

struct PublishedArtifact {
  std::string package;
  std::string target;
  Format format;
  std::filesystem::path path;           // in dist/<date>/
  std::uint64_t size = 0;
  std::string sha256;
  bool packed = false;                  // false: taken from an existing tarball
};

// Packs the image sources and takes the tarball sources into `staging`, each with its .sha256.
// Artifacts keep the sources' order whatever finishes first.
std::vector<PublishedArtifact> pack_and_collect(const PackJobOptions& options,
                                                const std::vector<ComponentSource>& sources,
                                                const std::string& label,
                                                const std::filesystem::path& staging);

// The one converter from packed artifacts to manifest entries: fills `component`'s url/hash pairs
// from the artifacts of its (package, target), URLs being <base_url>/<date>/<file name>. A format
// the manifest has no keys for (manifest/artifact_format.hpp) is left out.
void attach_artifacts(manifest::BuiltComponent& component,
                      const std::vector<PublishedArtifact>& artifacts,
                      const std::string& base_url, const std::string& date);

} // namespace distbuild::builder
