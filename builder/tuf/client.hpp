// The reading side: a TUF client's update walk (TUF 1.0 section 5, as tuf-js and python-tuf do
// it), from a trusted root to the targets it vouches for:
//
//   5.2  trusted root (the file the user trusts; or a newer one this client trusted before)
//   5.3  <N+1>.root.json, <N+2>.root.json, … until one is missing: each signed by a threshold of
//        the previous root's root keys and of its own, version exactly one more; the final
//        root must not be expired
//   5.4  timestamp.json: threshold of the timestamp keys, never older than a timestamp seen
//        before (nor naming an older snapshot), not expired
//   5.5  snapshot.json (<V>.snapshot.json with consistent snapshots): length and hashes as the
//        timestamp says, threshold, the version the timestamp names, no entry older than seen
//        before, not expired
//   5.6  targets.json likewise against the snapshot
//
// "Seen before" is a state directory (the client's metadata dir, as tuf-js keeps one) holding the
// last trusted root.json, timestamp.json, snapshot.json and targets.json; save_client_state()
// writes it after a walk without problems. A client stops at the first problem; this walk goes
// on wherever the data allows and reports every problem by file, so `distbuild verify` can list
// them all. Its verdict (ok or not) is the client's.
#pragma once

#include "builder/tuf/expiry.hpp"
#include "builder/tuf/metadata.hpp"

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder::tuf {

// Fetches one metadata file by name ("timestamp.json", "3.root.json"); nullopt when the
// repository does not have it. Throws when it cannot tell (a network error).
using MetadataSource = std::function<std::optional<std::string>(const std::string& name)>;

struct ClientOptions {
  std::string trusted_root;  // bytes of the root.json the user trusts
  std::string trusted_root_label;  // for messages: the file it came from
  std::optional<std::filesystem::path> state_dir;
  Clock::time_point now = Clock::now();
};

struct ClientProblem {
  std::string file;  // the metadata file's name ("timestamp.json"), or the trusted root's label
  std::string problem;
};

struct ClientResult {
  std::vector<ClientProblem> problems;
  std::optional<RootMeta> root;              // the final trusted root
  std::optional<TimestampMeta> timestamp;
  std::optional<SnapshotMeta> snapshot;
  std::optional<TargetsMeta> targets;
  std::map<std::string, std::string> bytes;  // the files trusted, for save_client_state()
  bool ok() const { return problems.empty() && targets.has_value(); }
};

ClientResult run_client(const ClientOptions& options, const MetadataSource& source);

// Keeps what `result` trusted as the new "seen before" (only an ok() result). Files are written
// atomically; the directory is created.
void save_client_state(const std::filesystem::path& dir, const ClientResult& result);

} // namespace distbuild::builder::tuf
