// Refreshing and renewing a tree's TUF metadata (repository.hpp); init and rotate are in
// key_rotation.cpp.
#include "builder/tuf/repository.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "builder/tuf/repository_steps.hpp"
#include "builder/tuf/target_scan.hpp"

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

namespace {

TufStatus refresh_unlocked(const fs::path& tree, const RepoOptions& options) {
  OnDisk disk = load_on_disk(tree, options);
  TufStatus status = status_of(disk);
  Outputs outputs;
  sign_chain(disk, disk.root, options, outputs, status);
  if (!options.expires.empty() || options.keys_dir || options.root_keys_dir) {
    save_tree_config(disk.tree, disk.config);
  }
  write_outputs(disk.tree / k_metadata_dir, outputs);
  log_status(options, status);
  return status;
}

void require_metadata(const fs::path& tree) {
  std::error_code ec;
  if (!fs::is_directory(tree / k_metadata_dir, ec)) {
    throw Error(tree, "has no TUF metadata (tuf/); make it with `distbuild tuf init`");
  }
}

} // namespace

TufStatus refresh_tuf(const fs::path& tree, const RepoOptions& options) {
  require_metadata(tree);
  TreeLock lock(tree);
  return refresh_unlocked(tree, options);
}

TufStatus renew_timestamp(const fs::path& tree, const RepoOptions& options) {
  require_metadata(tree);
  TreeLock lock(tree);
  OnDisk disk = load_on_disk(tree, options);
  TufStatus status = status_of(disk);
  Outputs outputs;
  sign_timestamp(disk, disk.root, options, disk.snapshot_bytes, disk.versions.at(Role::Snapshot),
                 outputs, status);
  if (options.expires.count(Role::Timestamp) || options.keys_dir) {
    save_tree_config(disk.tree, disk.config);
  }
  write_outputs(disk.tree / k_metadata_dir, outputs);
  log_status(options, status);
  return status;
}

TufStatus read_tuf_status(const fs::path& tree) {
  require_metadata(tree);
  OnDisk disk = load_on_disk(tree, {});
  return status_of(disk);
}

std::optional<TufStatus> refresh_if_present(const fs::path& tree, const RepoOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(tree / k_metadata_dir, ec)) {
    return std::nullopt;
  }
  return refresh_unlocked(tree, options);
}

std::optional<TufStatus> refresh_if_present(const fs::path& tree,
                                            const std::function<void(const std::string&)>& log) {
  RepoOptions options;
  options.log = log;
  return refresh_if_present(tree, options);
}

} // namespace distbuild::builder::tuf
