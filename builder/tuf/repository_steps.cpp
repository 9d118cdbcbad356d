// The shared steps of the TUF writing runs (repository_steps.hpp).
#include "builder/tuf/repository_steps.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tuf/envelope.hpp"
#include "builder/tuf/target_scan.hpp"
#include "signing/digests.hpp"

#include <memory>

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

TreeConfig effective_config(const fs::path& tree, const RepoOptions& options) {
  TreeConfig config = load_tree_config(tree);
  if (options.keys_dir) {
    // A new key dir for the online keys also holds the root keys unless told otherwise.
    if (config.root_keys_dir == config.keys_dir && !options.root_keys_dir) {
      config.root_keys_dir = fs::absolute(*options.keys_dir);
    }
    config.keys_dir = fs::absolute(*options.keys_dir);
  }
  if (options.root_keys_dir) {
    config.root_keys_dir = fs::absolute(*options.root_keys_dir);
  }
  for (const auto& [role, period] : options.expires) {
    config.expires[role] = period;
  }
  return config;
}

namespace {

Envelope load_envelope(const fs::path& dir, const std::string& name) {
  const fs::path file = dir / name;
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    throw Error(file, "is missing; the tree's TUF metadata is incomplete (restore it from a "
                      "backup: a writer never guesses a version clients have seen)");
  }
  return parse_envelope(read_file(file), file.string());
}

} // namespace

TufStatus status_of(const OnDisk& disk) {
  TufStatus status;
  status.tree = disk.tree;
  status.keys_dir = disk.config.keys_dir;
  status.root_keys_dir = disk.config.root_keys_dir;
  status.versions = disk.versions;
  status.expires = disk.expires;
  return status;
}

OnDisk load_on_disk(const fs::path& tree, const RepoOptions& options) {
  OnDisk disk;
  disk.tree = fs::absolute(tree).lexically_normal();
  if (disk.tree.filename().empty()) {
    disk.tree = disk.tree.parent_path();
  }
  disk.config = effective_config(disk.tree, options);
  const fs::path dir = disk.tree / k_metadata_dir;
  disk.root = root_from_json(load_envelope(dir, "root.json").signed_part,
                             (dir / "root.json").string());
  auto targets = targets_from_json(load_envelope(dir, "targets.json").signed_part,
                                   (dir / "targets.json").string());
  disk.snapshot_bytes = read_file(dir / "snapshot.json");
  auto snapshot = snapshot_from_json(
      parse_envelope(disk.snapshot_bytes, (dir / "snapshot.json").string()).signed_part,
      (dir / "snapshot.json").string());
  auto timestamp = timestamp_from_json(load_envelope(dir, "timestamp.json").signed_part,
                                       (dir / "timestamp.json").string());
  disk.versions = {{Role::Root, disk.root.version}, {Role::Targets, targets.version},
                   {Role::Snapshot, snapshot.version}, {Role::Timestamp, timestamp.version}};
  disk.expires = {{Role::Root, disk.root.expires}, {Role::Targets, targets.expires},
                  {Role::Snapshot, snapshot.expires}, {Role::Timestamp, timestamp.expires}};
  return disk;
}

std::vector<StoredKey> role_keys(const TreeConfig& config, const RootMeta& root, Role role,
                                 const std::string& passphrase) {
  const RoleKeys& wanted = root.roles.at(role);
  // Root keys are sought in the root key dir first, the others in the online dir first.
  std::vector<fs::path> dirs = role == Role::Root
                                   ? std::vector<fs::path>{config.root_keys_dir, config.keys_dir}
                                   : std::vector<fs::path>{config.keys_dir, config.root_keys_dir};
  std::vector<StoredKey> found;
  std::string missing;
  for (const std::string& keyid : wanted.keyids) {
    if (auto key = find_key(dirs, keyid, passphrase)) {
      found.push_back(std::move(*key));
    } else {
      missing += (missing.empty() ? "" : ", ") + keyid.substr(0, 16);
    }
  }
  if (found.size() < wanted.threshold) {
    std::string where = dirs[0].string();
    if (dirs[1] != dirs[0]) {
      where += " or " + dirs[1].string();
    }
    throw Error(role_name(role) + " key",
                "signing " + role_file(role) + " needs " + std::to_string(wanted.threshold) +
                    " of the keys root version " + std::to_string(root.version) +
                    " names; found " + std::to_string(found.size()) + " in " + where +
                    " (missing: " + missing + "; --tuf-keys or --root-keys names the directory)");
  }
  return found;
}

std::vector<const signing::Ed25519Key*> key_pointers(const std::vector<StoredKey>& keys) {
  std::vector<const signing::Ed25519Key*> pointers;
  for (const StoredKey& key : keys) {
    pointers.push_back(&key.key);
  }
  return pointers;
}

namespace {

std::string sign_with_role(const nlohmann::json& signed_part, const OnDisk& disk,
                           const RootMeta& root, Role role, const RepoOptions& options) {
  auto keys = role_keys(disk.config, root, role,
                        role == Role::Root ? options.root_passphrase : std::string());
  return sign_envelope(signed_part, key_pointers(keys));
}

MetaFile meta_of(const std::string& bytes, std::uint64_t version) {
  signing::Digests digests = signing::digest_bytes(bytes);
  return {version, {digests.length, {{"sha256", digests.sha256}}}};
}

} // namespace

void sign_chain(const OnDisk& disk, const RootMeta& root, const RepoOptions& options,
                Outputs& outputs, TufStatus& status) {
  ScanStats stats;
  TargetsMeta targets;
  targets.version = disk.versions.at(Role::Targets) + 1;
  targets.expires = expires_after(options.now, disk.config.expires.at(Role::Targets));
  targets.targets = scan_targets(disk.tree, &stats);
  std::string targets_bytes = sign_with_role(to_json(targets), disk, root, Role::Targets, options);

  SnapshotMeta snapshot;
  snapshot.version = disk.versions.at(Role::Snapshot) + 1;
  snapshot.expires = expires_after(options.now, disk.config.expires.at(Role::Snapshot));
  snapshot.meta["targets.json"] = meta_of(targets_bytes, targets.version);
  std::string snapshot_bytes =
      sign_with_role(to_json(snapshot), disk, root, Role::Snapshot, options);

  outputs.emplace_back("targets.json", targets_bytes);
  outputs.emplace_back("snapshot.json", snapshot_bytes);
  status.versions[Role::Targets] = targets.version;
  status.expires[Role::Targets] = targets.expires;
  status.versions[Role::Snapshot] = snapshot.version;
  status.expires[Role::Snapshot] = snapshot.expires;
  status.written.push_back(Role::Targets);
  status.written.push_back(Role::Snapshot);
  status.targets = stats.files;
  status.hashed = stats.hashed;
  sign_timestamp(disk, root, options, snapshot_bytes, snapshot.version, outputs, status);
}

void sign_timestamp(const OnDisk& disk, const RootMeta& root, const RepoOptions& options,
                    const std::string& snapshot_bytes, std::uint64_t snapshot_version,
                    Outputs& outputs, TufStatus& status) {
  TimestampMeta timestamp;
  timestamp.version = disk.versions.at(Role::Timestamp) + 1;
  timestamp.expires = expires_after(options.now, disk.config.expires.at(Role::Timestamp));
  timestamp.snapshot = meta_of(snapshot_bytes, snapshot_version);
  outputs.emplace_back("timestamp.json",
                       sign_with_role(to_json(timestamp), disk, root, Role::Timestamp, options));
  status.versions[Role::Timestamp] = timestamp.version;
  status.expires[Role::Timestamp] = timestamp.expires;
  status.written.push_back(Role::Timestamp);
}

void write_outputs(const fs::path& dir, const Outputs& outputs) {
  std::vector<std::unique_ptr<AtomicFile>> files;
  for (const auto& [name, bytes] : outputs) {
    files.push_back(std::make_unique<AtomicFile>(dir / name));
    files.back()->write(bytes);
  }
  for (auto& file : files) {
    file->commit();
  }
}

void log_status(const RepoOptions& options, const TufStatus& status) {
  if (!options.log || status.written.empty()) {
    return;
  }
  std::string line = "tuf:";
  for (Role role : status.written) {
    line += " " + role_name(role) + " v" + std::to_string(status.versions.at(role));
  }
  if (status.targets != 0) {
    line += " (" + std::to_string(status.targets) + " targets, " +
            std::to_string(status.hashed) + " hashed)";
  }
  options.log(line);
}

} // namespace distbuild::builder::tuf
