// check_tree_tuf() (tree_check.hpp): the client walk over the tree's own tuf/ files, then every
// file of the tree hashed afresh (never from the publisher's hash cache) against targets.json.
#include "builder/tuf/tree_check.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tuf/client.hpp"
#include "builder/tuf/target_scan.hpp"
#include "signing/digests.hpp"

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

bool has_tuf_metadata(const fs::path& tree) {
  std::error_code ec;
  return fs::is_directory(tree / k_metadata_dir, ec);
}

namespace {

void check_root_copy(const fs::path& tree, std::uint64_t version, TreeCheckReport& report) {
  const fs::path dir = tree / k_metadata_dir;
  const std::string newest = std::to_string(version) + ".root.json";
  std::error_code ec;
  if (!fs::exists(dir / "root.json", ec)) {
    report.problems.push_back({"tuf/root.json", "is missing (it must be a copy of tuf/" + newest +
                                                    ")"});
  } else if (fs::exists(dir / newest, ec) &&
             read_file(dir / "root.json") != read_file(dir / newest)) {
    report.problems.push_back({"tuf/root.json", "differs from tuf/" + newest +
                                                    ", the newest root"});
  }
}

void check_files(const fs::path& tree, const std::map<std::string, FileInfo>& listed,
                 TreeCheckReport& report) {
  const auto files = target_files(tree);
  for (const auto& [target, file] : files) {
    auto entry = listed.find(target);
    if (entry == listed.end()) {
      report.problems.push_back(
          {target, "is not listed in tuf/targets.json (a TUF client cannot verify it)"});
      continue;
    }
    ++report.targets;
    std::string mismatch = file_info_mismatch(entry->second, signing::digest_file(file));
    if (!mismatch.empty()) {
      report.problems.push_back({target, mismatch + " in tuf/targets.json"});
    }
  }
  for (const auto& [target, info] : listed) {
    if (!files.count(target)) {
      report.problems.push_back({"tuf/targets.json", "lists " + target +
                                                         ", which is not in the tree"});
    }
  }
}

} // namespace

TreeCheckReport check_tree_tuf(const TreeCheckOptions& options) {
  TreeCheckReport report;
  const fs::path tree = fs::absolute(options.tree).lexically_normal();
  const fs::path dir = tree / k_metadata_dir;
  const fs::path root_file = options.trusted_root.value_or(dir / "1.root.json");
  report.trusted_root = root_file.string();
  std::error_code ec;
  if (!fs::exists(root_file, ec)) {
    report.problems.push_back({options.trusted_root ? root_file.string() : "tuf/1.root.json",
                               "is missing, so there is no root to trust"});
    return report;
  }
  ClientOptions client;
  client.trusted_root = read_file(root_file);
  client.trusted_root_label = options.trusted_root ? root_file.string() : "1.root.json";
  client.state_dir = options.state_dir;
  client.now = options.now;
  ClientResult result = run_client(client, [&](const std::string& name) {
    std::error_code missing;
    return fs::exists(dir / name, missing) ? std::optional<std::string>(read_file(dir / name))
                                           : std::nullopt;
  });
  for (const auto& issue : result.problems) {
    bool outside = options.trusted_root && issue.file == client.trusted_root_label;
    report.problems.push_back({outside ? issue.file : "tuf/" + issue.file, issue.problem});
  }
  if (result.root) {
    report.root_version = result.root->version;
    check_root_copy(tree, result.root->version, report);
  }
  if (result.timestamp) {
    report.timestamp_version = result.timestamp->version;
    report.timestamp_expires = result.timestamp->expires;
  }
  if (result.snapshot) {
    report.snapshot_version = result.snapshot->version;
  }
  if (result.targets) {
    report.targets_version = result.targets->version;
    check_files(tree, result.targets->targets, report);
  }
  if (options.state_dir && report.ok() && result.ok()) {
    save_client_state(*options.state_dir, result);
  }
  return report;
}

} // namespace distbuild::builder::tuf
