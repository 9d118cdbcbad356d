// Making keys and roots: `tuf init` (version 1 of everything) and `tuf rotate` (a new root
// version that clients holding the old one accept: signed by a threshold of the old root's keys,
// and by the new root keys themselves, TUF 1.0 section 5.3.4-5.3.5).
#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "builder/tree/scoped_dir.hpp"
#include "builder/tuf/envelope.hpp"
#include "builder/tuf/repository.hpp"
#include "builder/tuf/repository_steps.hpp"
#include "builder/tuf/target_scan.hpp"

#include <unistd.h>

#include <set>

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

namespace {

void check_root_counts(std::size_t count, std::size_t threshold) {
  if (count < 1 || count > 32) {
    throw Error(std::string("--root-key-count"),
                std::to_string(count) + " is not between 1 and 32");
  }
  if (threshold < 1 || threshold > count) {
    throw Error(std::string("--root-threshold"),
                std::to_string(threshold) + " is not between 1 and the number of root keys (" +
                    std::to_string(count) + ")");
  }
}

// Keys no role names any more leave the root's key list.
void drop_unused_keys(RootMeta& root) {
  std::set<std::string> used;
  for (const auto& [role, keys] : root.roles) {
    used.insert(keys.keyids.begin(), keys.keyids.end());
  }
  for (auto it = root.keys.begin(); it != root.keys.end();) {
    it = used.count(it->first) ? std::next(it) : root.keys.erase(it);
  }
}

void add_key(RootMeta& root, Role role, const StoredKey& key, TufStatus& status) {
  root.keys[key.key.key_id()] = key.key.public_hex();
  root.roles[role].keyids.push_back(key.key.key_id());
  status.created_keys.push_back({role, key.key.key_id(), key.file});
}

} // namespace

TufStatus init_tuf(const fs::path& tree_arg, const InitOptions& options) {
  const fs::path tree = fs::absolute(tree_arg).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(tree / "dist", ec)) {
    throw Error(tree, "is not a distbuild tree (no dist/ directory)");
  }
  if (fs::exists(tree / k_metadata_dir, ec)) {
    throw Error(tree / k_metadata_dir,
                "already holds TUF metadata (tuf rotate changes keys, tuf refresh re-signs)");
  }
  check_root_counts(options.root_keys, options.root_threshold);
  TreeLock lock(tree);
  const RepoOptions& repo = options.repo;
  OnDisk disk;
  disk.tree = tree;
  disk.config = effective_config(tree, repo);
  disk.versions = {{Role::Root, 0}, {Role::Targets, 0}, {Role::Snapshot, 0},
                   {Role::Timestamp, 0}};
  TufStatus status;
  status.tree = tree;
  status.keys_dir = disk.config.keys_dir;
  status.root_keys_dir = disk.config.root_keys_dir;

  // Keys first, so a failure (a directory we cannot write) leaves no tuf/ behind.
  RootMeta root;
  root.version = 1;
  root.expires = expires_after(repo.now, disk.config.expires.at(Role::Root));
  root.roles[Role::Root].threshold = options.root_threshold;
  std::vector<StoredKey> root_keys;
  for (std::size_t i = 0; i < options.root_keys; ++i) {
    root_keys.push_back(create_key(disk.config.root_keys_dir, Role::Root, repo.root_passphrase));
    add_key(root, Role::Root, root_keys.back(), status);
  }
  for (Role role : {Role::Targets, Role::Snapshot, Role::Timestamp}) {
    add_key(root, role, create_key(disk.config.keys_dir, role, ""), status);
  }
  const std::string root_bytes = sign_envelope(to_json(root), key_pointers(root_keys));
  Outputs outputs{{"1.root.json", root_bytes}, {"root.json", root_bytes}};
  status.versions[Role::Root] = 1;
  status.expires[Role::Root] = root.expires;
  status.written.push_back(Role::Root);
  sign_chain(disk, root, repo, outputs, status);

  save_tree_config(tree, disk.config);
  // tuf/ appears whole: written into a hidden dir, then renamed.
  ScopedDir staging(tree / (std::string(".distbuild-tuf-staging-") + std::to_string(::getpid())));
  write_outputs(staging.path(), outputs);
  fs::rename(staging.path(), tree / k_metadata_dir);
  staging.release();
  log_status(repo, status);
  return status;
}

TufStatus rotate_keys(const fs::path& tree_arg, const RotateOptions& options) {
  const fs::path tree = fs::absolute(tree_arg).lexically_normal();
  std::error_code ec;
  if (!fs::is_directory(tree / k_metadata_dir, ec)) {
    throw Error(tree, "has no TUF metadata (tuf/); make it with `distbuild tuf init`");
  }
  const RepoOptions& repo = options.repo;
  if (options.same_keys && options.role != Role::Root) {
    throw Error(std::string("--same-keys"), "only renews the root (--role root)");
  }
  TreeLock lock(tree);
  OnDisk disk = load_on_disk(tree, repo);
  TufStatus status = status_of(disk);

  // The current root's keys sign the new root: clients that trust it follow.
  std::vector<StoredKey> signers =
      role_keys(disk.config, disk.root, Role::Root, repo.root_passphrase);
  RootMeta next = disk.root;
  next.version = disk.root.version + 1;
  next.expires = expires_after(repo.now, disk.config.expires.at(Role::Root));
  if (options.role == Role::Root) {
    const RoleKeys& current = disk.root.roles.at(Role::Root);
    std::size_t count = options.root_keys.value_or(current.keyids.size());
    std::size_t threshold =
        options.root_threshold.value_or(std::min<std::size_t>(current.threshold, count));
    if (options.same_keys) {
      count = current.keyids.size();
    }
    check_root_counts(count, threshold);
    next.roles[Role::Root].threshold = threshold;
    if (!options.same_keys) {
      next.roles[Role::Root].keyids.clear();
      for (std::size_t i = 0; i < count; ++i) {
        StoredKey key = create_key(disk.config.root_keys_dir, Role::Root, repo.root_passphrase);
        add_key(next, Role::Root, key, status);
        signers.push_back(std::move(key));  // the new root must be signed by its own keys too
      }
    }
  } else {
    next.roles[options.role] = RoleKeys{{}, 1};
    add_key(next, options.role, create_key(disk.config.keys_dir, options.role, ""), status);
  }
  drop_unused_keys(next);
  const std::string root_bytes = sign_envelope(to_json(next), key_pointers(signers));
  Outputs outputs{{std::to_string(next.version) + ".root.json", root_bytes},
                  {"root.json", root_bytes}};
  status.versions[Role::Root] = next.version;
  status.expires[Role::Root] = next.expires;
  status.written.push_back(Role::Root);
  sign_chain(disk, next, repo, outputs, status);
  save_tree_config(disk.tree, disk.config);
  write_outputs(disk.tree / k_metadata_dir, outputs);
  log_status(repo, status);
  return status;
}

} // namespace distbuild::builder::tuf
