// The writing side of TUF for a distbuild tree: making the metadata (`tuf init`), keeping it in
// step with the tree after every publishing command (refresh_if_present), renewing the timestamp
// (`tuf timestamp`, a cron job) and rotating keys (`tuf rotate`). The file formats are in
// metadata.hpp, where the keys live in key_store.hpp and tree_config.hpp.
//
// Order and atomicity: everything a run writes is computed and signed in memory first, so a
// missing key or an unreadable file fails the run before any metadata changes. Then the files
// are written, each to a temp name and renamed, in the order a client reads them backwards:
// <N>.root.json, root.json, targets.json, snapshot.json, timestamp.json. A client that reads in
// between sees either the old timestamp (and old, still consistent, snapshot and targets) or a
// snapshot version that does not match the timestamp it fetched, which it refuses and retries;
// it never trusts a mix. Versions only grow: each is the version on disk plus one.
//
// Consistent snapshots are off (root.json "consistent_snapshot": false; see README "TUF"):
// rustup reads the plain paths (dist/channel-rust-stable.toml and the tarball URLs in it), so
// the targets are the tree's own files, not hash-prefixed copies.
#pragma once

#include "builder/tuf/run_options.hpp"

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

namespace distbuild::builder::tuf {

struct InitOptions {
  RepoOptions repo;
  std::size_t root_keys = 1;       // how many root keys to make
  std::size_t root_threshold = 1;  // how many of them must sign a new root
};

// `tuf init`: keys for every role and version 1 of all four files, tuf/ appearing in one rename.
// Refuses a tree that is not a distbuild tree or already has tuf/. Takes the tree lock.
TufStatus init_tuf(const std::filesystem::path& tree, const InitOptions& options);

// targets, snapshot and timestamp from the tree as it is now. Takes the tree lock.
TufStatus refresh_tuf(const std::filesystem::path& tree, const RepoOptions& options);

// Only a new timestamp (same snapshot), for the online timestamp key. Takes the tree lock.
TufStatus renew_timestamp(const std::filesystem::path& tree, const RepoOptions& options);

struct RotateOptions {
  RepoOptions repo;
  Role role = Role::Root;
  bool same_keys = false;  // root only: a new root version with the same keys (renew expiry)
  std::optional<std::size_t> root_keys, root_threshold;  // root: default as the current root
};

// `tuf rotate`: new key(s) for one role, a new root version signed by a threshold of the current
// root's keys and (for root) by every new root key, then targets, snapshot and timestamp signed
// again. Takes the tree lock.
TufStatus rotate_keys(const std::filesystem::path& tree, const RotateOptions& options);

// Versions and expiry of the metadata on disk; reads only.
TufStatus read_tuf_status(const std::filesystem::path& tree);

// The hook every publishing recipe calls last, while it still holds the tree lock: when the
// tree has tuf/, refresh targets, snapshot and timestamp (as refresh_tuf, without locking);
// otherwise do nothing and return nullopt. Throws when the metadata cannot be brought up to
// date, leaving the previous metadata in place.
std::optional<TufStatus> refresh_if_present(const std::filesystem::path& tree,
                                            const RepoOptions& options = {});
// The same with the recipe's step log (one "tuf: targets v… snapshot v… timestamp v…" line).
std::optional<TufStatus> refresh_if_present(const std::filesystem::path& tree,
                                            const std::function<void(const std::string&)>& log);

} // namespace distbuild::builder::tuf
