// The four TUF 1.0 roles as distbuild writes and reads them (theupdateframework.io/specification,
// version 1.0.31), one file each under <tree>/tuf/:
//
//   <N>.root.json, root.json   which keys may sign each role, and how many must (threshold)
//     {"signed": {"_type": "root", "spec_version": "1.0.31", "version": N,
//                 "expires": "2027-04-16T12:00:00Z", "consistent_snapshot": false,
//                 "keys": {"<keyid>": {"keytype": "ed25519", "scheme": "ed25519",
//                                      "keyval": {"public": "<64 hex>"}}},
//                 "roles": {"root": {"keyids": ["<keyid>"], "threshold": 1},
//                           "targets": …, "snapshot": …, "timestamp": …}},
//      "signatures": [{"keyid": "<keyid>", "sig": "<128 hex>"}]}
//   targets.json     every file of the tree: "targets": {"dist/channel-rust-stable.toml":
//                    {"length": 1234, "hashes": {"sha256": …, "sha512": …}}, …}
//   snapshot.json    "meta": {"targets.json": {"version": T, "length": …, "hashes": …}}
//   timestamp.json   "meta": {"snapshot.json": {"version": S, "length": …, "hashes": …}}
//
// Parsing is strict about what a client relies on and names the file and the field at fault;
// fields it does not know are kept out of the model (they are still covered by the signature,
// which is checked over the parsed `signed` object, see envelope.hpp).
#pragma once

#include "signing/digests.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder::tuf {

inline constexpr const char* k_spec_version = "1.0.31";

enum class Role { Root, Targets, Snapshot, Timestamp };
inline constexpr Role k_roles[] = {Role::Root, Role::Targets, Role::Snapshot, Role::Timestamp};

std::string role_name(Role role);  // "root", "targets", …
// Throws builder::Error naming `what` when `name` is not one of the four.
Role parse_role(const std::string& name, const std::string& what);
std::string role_file(Role role);  // "root.json", "targets.json", …

struct RoleKeys {
  std::vector<std::string> keyids;
  std::uint64_t threshold = 1;
};

struct RootMeta {
  std::uint64_t version = 1;
  std::string expires;
  bool consistent_snapshot = false;
  std::map<std::string, std::string> keys;  // keyid -> ed25519 public key (hex)
  std::map<Role, RoleKeys> roles;
};

// A file of the repository as a parent role records it: an exact length and its digests.
struct FileInfo {
  std::optional<std::uint64_t> length;          // targets always have one
  std::map<std::string, std::string> hashes;    // "sha256" -> hex, "sha512" -> hex
};

// An entry of snapshot's or timestamp's "meta".
struct MetaFile {
  std::uint64_t version = 1;
  FileInfo file;  // optional for snapshot entries; distbuild always writes length and sha256
};

struct TargetsMeta {
  std::uint64_t version = 1;
  std::string expires;
  std::map<std::string, FileInfo> targets;  // path relative to the tree root
};

struct SnapshotMeta {
  std::uint64_t version = 1;
  std::string expires;
  std::map<std::string, MetaFile> meta;  // "targets.json" -> …
};

struct TimestampMeta {
  std::uint64_t version = 1;
  std::string expires;
  MetaFile snapshot;  // meta["snapshot.json"]
};

// The `signed` objects. to_json never fails; from_json throws builder::Error naming `file`.
nlohmann::json to_json(const RootMeta& root);
nlohmann::json to_json(const TargetsMeta& targets);
nlohmann::json to_json(const SnapshotMeta& snapshot);
nlohmann::json to_json(const TimestampMeta& timestamp);
RootMeta root_from_json(const nlohmann::json& signed_part, const std::string& file);
TargetsMeta targets_from_json(const nlohmann::json& signed_part, const std::string& file);
SnapshotMeta snapshot_from_json(const nlohmann::json& signed_part, const std::string& file);
TimestampMeta timestamp_from_json(const nlohmann::json& signed_part, const std::string& file);

FileInfo file_info_of(const signing::Digests& digests);  // length, sha256 and sha512

// Empty when `actual` has the length and every digest `expected` records that distbuild can
// compute (sha256, sha512; at least one must be recorded); else what differs, e.g.
// "length 13, not 12 as recorded" or "sha256 differs from the recorded one".
std::string file_info_mismatch(const FileInfo& expected, const signing::Digests& actual);

} // namespace distbuild::builder::tuf
