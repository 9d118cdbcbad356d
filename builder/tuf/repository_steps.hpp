// The steps the writing runs of repository.hpp are made of, shared by repository.cpp (refresh,
// timestamp) and key_rotation.cpp (init, rotate): loading what is on disk, finding the keys a
// root names, signing the targets -> snapshot -> timestamp chain, and writing files in order.
#pragma once

#include "builder/tuf/key_store.hpp"
#include "builder/tuf/run_options.hpp"
#include "builder/tuf/tree_config.hpp"

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace distbuild::builder::tuf {

// The tree's metadata as the writer finds it.
struct OnDisk {
  std::filesystem::path tree;  // absolute
  TreeConfig config;           // with the run's options applied
  RootMeta root;
  std::map<Role, std::uint64_t> versions;
  std::map<Role, std::string> expires;
  std::string snapshot_bytes;
};

// The tree's config with the options' directories and periods applied (and to be recorded).
TreeConfig effective_config(const std::filesystem::path& tree, const RepoOptions& options);

// Reads tuf/root.json, targets.json, snapshot.json, timestamp.json. Throws builder::Error naming
// the file when one is missing or unreadable: a writer never guesses a version.
OnDisk load_on_disk(const std::filesystem::path& tree, const RepoOptions& options);

// What a command reports about the tree it found: directories, versions, expiry dates.
TufStatus status_of(const OnDisk& disk);

// Keys of `role` in `root` found in the config's directories: all that are there, and at least
// the threshold, else builder::Error saying which key ids are needed and where they were sought.
std::vector<StoredKey> role_keys(const TreeConfig& config, const RootMeta& root, Role role,
                                 const std::string& passphrase);
std::vector<const signing::Ed25519Key*> key_pointers(const std::vector<StoredKey>& keys);

// The signed files of one run, by file name under tuf/, in the order they are to be written.
using Outputs = std::vector<std::pair<std::string, std::string>>;

// Appends targets.json, snapshot.json and timestamp.json for the tree as it is now, one version
// above `versions`, signed with the keys `root` names; fills status (versions, expiry, counts).
void sign_chain(const OnDisk& disk, const RootMeta& root, const RepoOptions& options,
                Outputs& outputs, TufStatus& status);

// Appends timestamp.json for `snapshot_bytes` (snapshot version `snapshot_version`).
void sign_timestamp(const OnDisk& disk, const RootMeta& root, const RepoOptions& options,
                    const std::string& snapshot_bytes, std::uint64_t snapshot_version,
                    Outputs& outputs, TufStatus& status);

// Writes every output into `dir` (each a temp file first, then renamed in order).
void write_outputs(const std::filesystem::path& dir, const Outputs& outputs);

void log_status(const RepoOptions& options, const TufStatus& status);

} // namespace distbuild::builder::tuf
