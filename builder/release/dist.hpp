// `distbuild dist`: component sources in, a complete static tree out. run_dist (dist.cpp) is the
// recipe, one call per step, in this order:
//   1. check the options                 5. write each name's manifest files and SHA256SUMS
//   2. open the tree (Publisher: check,     into staging, then sign them
//      lock, clean dead runs, work dir);  6. the tree's next generation (hard links); in it:
//      gather sources and check every       rename staging to dist/<date>/ (publisher.hpp)
//      option against them              7. the top level, moved forward only, manifests last
//      (input_checks.hpp)                8. manifests.txt, key files, index.html, tuf/
//   3. pack images / take tarballs into  9. swap the next generation in (one rename)
//      dist/.staging-<date>-<pid>
//   4. compose + validate the manifest
// A failure or a kill before step 9 leaves the tree exactly as it was (tree/publish.hpp).
#pragma once

#include "builder/tree/dist_tree.hpp"
#include "builder/tree/publish.hpp"
#include "builder/pack/pack.hpp"
#include "builder/release/pack_jobs.hpp"
#include "builder/release/release_inputs.hpp"
#include "manifest/channel.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

struct DistOptions {
  GatherOptions inputs;                 // work_dir is set by run_dist
  // Empty: what the inputs say (input_checks.hpp), else stable / today (UTC).
  std::string channel;                  // stable | beta | nightly
  std::string version;                  // "1.95.0", "1.96.0-beta.3"
  std::string date;                     // YYYY-MM-DD
  std::string base_url = "https://static.rust-lang.org/dist";
  std::vector<Format> formats{Format::Gz, Format::Xz, Format::Zst};
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;
  std::uint64_t memory_limit = 0;       // --memory-limit; 0: half the RAM (pack_schedule.hpp)
  // Pack cache (pack_cache.hpp): --cache-dir, else $DISTBUILD_CACHE_DIR, $XDG_CACHE_HOME/distbuild/
  // pack, ~/.cache/distbuild/pack; off with no_cache (--no-cache) or DISTBUILD_NO_CACHE=1.
  std::optional<std::filesystem::path> cache_dir;
  bool no_cache = false;
  std::filesystem::path out;
  signing::Signer* signer = nullptr;    // when set: every published file gets <file>.asc
  bool rotate_keys = false;             // the signer's keys may replace the tree's (tree_keys.hpp)
  std::function<void(const std::string&)> log;  // one line per step; may be empty
  ProgressSink* progress = nullptr;     // told each pack's progress (progress.hpp); may be null
};

struct DistResult {
  std::filesystem::path tree;
  std::filesystem::path dated_dir;
  std::string channel, version, date;
  std::vector<std::string> manifest_names;          // channel-rust-<name>.toml published
  std::vector<std::string> top_level_updated;       // names whose dist/ copy now points here
  std::string manifest_sha256;
  std::vector<PublishedArtifact> artifacts;
  std::vector<std::string> notes;                   // e.g. symlinks resolved, channel kept newer
  std::vector<std::string> warnings;                // input files left out (dangling links)
  std::string signing_fingerprint;                  // empty when unsigned
};

DistResult run_dist(const DistOptions& options);

struct ReleaseIdentity {
  std::string channel, version, date, base_url;
};

// The validated manifest of a release whose tarballs exist: URLs are <base_url>/<date>/<file>.
// Throws builder::Error listing every rule the result would break (nothing is written).
manifest::Channel compose_release(const ReleaseIdentity& release,
                                  const std::vector<ComponentSource>& sources,
                                  const std::vector<PublishedArtifact>& artifacts);

// A --base-url without trailing slashes; throws unless it is absolute (rustup rejects relative).
std::string check_base_url(std::string base_url);

// The knobs of packing, as pack_and_collect (pack_jobs.hpp) takes them.
PackJobOptions pack_job_options(const DistOptions& options);

} // namespace distbuild::builder
