// select_targets() and splice_packages(); see splice.hpp for the rules and why.
#include "manifest/splice.hpp"

#include "manifest/artifact_format.hpp"
#include "targets/components.hpp"

#include <algorithm>
#include <set>
#include <sstream>

namespace distbuild::manifest {

namespace {

bool has_any_ref(const TargetEntry& entry) {
  for (const auto& format : artifact_formats()) {
    if (format.entry_ref != nullptr && (entry.*format.entry_ref).has_value()) {
      return true;
    }
  }
  return false;
}

} // namespace

namespace {

using targets::ComponentScope;

// The `components` (not extensions) of [pkg.rust.target.<host>], as upstream lists them.
const std::set<std::string> k_host_components = {"rustc", "rust-std", "cargo", "rust-docs",
                                                 "rust-mingw"};

ComponentScope scope_of(const std::string& package, const std::string& target) {
  if (auto kind = targets::find_component(package)) {
    return kind->scope;
  }
  return target == "*" ? ComponentScope::Any : ComponentScope::Host;
}

bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// `all_hosts`: the channel's hosts, which are served when no --hosts narrows them.
bool keeps(const TargetSelection& selection, const std::set<std::string>& all_hosts,
           const std::string& package, const std::string& target) {
  if (target == "*" || selection.everything()) {
    return true;
  }
  bool host_selected = selection.hosts.empty() ? all_hosts.count(target) != 0
                                               : contains(selection.hosts, target);
  if (package == "rust" || scope_of(package, target) != ComponentScope::Target) {
    return selection.hosts.empty() || host_selected;
  }
  // A served host always needs its own standard library.
  return selection.targets.empty() || contains(selection.targets, target) || host_selected;
}

bool lists(const TargetEntry& entry, const std::string& pkg, const std::string& target) {
  auto match = [&](const ComponentRef& ref) {
    return ref.pkg == pkg && ref.target == target;
  };
  return std::any_of(entry.components.begin(), entry.components.end(), match) ||
         std::any_of(entry.extensions.begin(), entry.extensions.end(), match);
}

// Lists (pkg, target) for `host` unless it already is: host components among the
// `components`, everything else among the extensions (where rustup looks for `target add`).
void list_for_host(TargetEntry& rust_entry, const std::string& host,
                   const std::string& pkg, const std::string& target) {
  if (lists(rust_entry, pkg, target)) {
    return;
  }
  bool component = k_host_components.count(pkg) != 0 && target == host;
  (component ? rust_entry.components : rust_entry.extensions).push_back({pkg, target});
}

// The lists of a host upstream never served: everything available that it can use.
TargetEntry lists_for_new_host(const Channel& channel,
                                         const std::string& host) {
  TargetEntry entry;
  for (const auto& [pkg, package] : channel.packages) {
    if (pkg == "rust") {
      continue;
    }
    for (const auto& [target, target_entry] : package.targets) {
      if (!is_available(target_entry)) {
        continue;
      }
      ComponentScope scope = scope_of(pkg, target);
      if (scope == ComponentScope::Target || scope == ComponentScope::Any || target == host) {
        list_for_host(entry, host, pkg, target);
      }
    }
  }
  return entry;
}

} // namespace

std::vector<ComponentRef> select_targets(Channel& channel,
                                                   const TargetSelection& selection) {
  std::vector<ComponentRef> dropped;
  if (selection.everything()) {
    return dropped;
  }
  std::set<std::string> all_hosts;
  if (auto rust = channel.packages.find("rust"); rust != channel.packages.end()) {
    for (const auto& [host, entry] : rust->second.targets) {
      all_hosts.insert(host);
    }
  }
  for (auto& [pkg, package] : channel.packages) {
    for (auto it = package.targets.begin(); it != package.targets.end();) {
      if (keeps(selection, all_hosts, pkg, it->first)) {
        ++it;
        continue;
      }
      if (pkg == "rust") {
        it = package.targets.erase(it);  // an unserved host: nothing installs there
        continue;
      }
      if (it->second.available || has_any_ref(it->second)) {
        dropped.push_back({pkg, it->first});
      }
      it->second = TargetEntry{};
      ++it;
    }
  }
  for (auto& [name, by_target] : channel.artifacts) {
    std::erase_if(by_target, [&](const auto& item) {
      return !(item.first == "*" || selection.hosts.empty() || contains(selection.hosts, item.first));
    });
  }
  std::erase_if(channel.artifacts, [](const auto& item) { return item.second.empty(); });
  return dropped;
}

std::string_view splice_action_name(SpliceAction action) {
  switch (action) {
    case SpliceAction::Added: return "added";
    case SpliceAction::Filled: return "filled";
    case SpliceAction::Replaced: return "replaced";
  }
  return "";
}

SpliceResult splice_packages(const Channel& upstream,
                             const std::vector<AddedPackage>& added, bool replace) {
  SpliceResult result;
  result.channel = upstream;
  Channel& channel = result.channel;
  if (channel.packages.count("rust") == 0) {
    throw Error(std::string("pkg.rust"),
                "the upstream manifest has no [pkg.rust]; rustup cannot install from it");
  }
  std::vector<std::string> refused;
  for (const AddedPackage& item : added) {
    auto kind = targets::find_component(item.package);
    std::string pkg = kind ? std::string(kind->package) : item.package;
    std::string target = kind && kind->scope == ComponentScope::Any ? "*" : item.target;
    bool is_new_package = channel.packages.count(pkg) == 0;
    Package& package = channel.packages[pkg];
    auto existing = package.targets.find(target);
    SpliceAction action = SpliceAction::Added;
    if (existing != package.targets.end()) {
      action = is_available(existing->second) ? SpliceAction::Replaced
                                                        : SpliceAction::Filled;
    }
    if (action == SpliceAction::Replaced && !replace) {
      refused.push_back(pkg + " for " + target + " (from " + item.origin + ")");
      continue;
    }
    TargetEntry entry;
    entry.available = false;
    for (const auto& format : artifact_formats()) {
      if (format.entry_ref != nullptr) {
        entry.*format.entry_ref = item.*format.component_ref;
        entry.available = entry.available || (entry.*format.entry_ref).has_value();
      }
    }
    package.targets[target] = std::move(entry);
    if (package.version.empty() || is_new_package) {
      package.version = item.version;
    } else if (!item.version.empty() && item.version != package.version) {
      result.notes.push_back("[pkg." + pkg + "] keeps upstream's version '" + package.version +
                             "'; the added " + target + " says '" + item.version + "'");
    }
    if (!package.git_commit_hash && item.git_commit_hash) {
      package.git_commit_hash = item.git_commit_hash;
    }
    result.changes.push_back({pkg, target, action, item.origin});
  }
  if (!refused.empty()) {
    std::ostringstream text;
    text << "available upstream; pass --replace to replace:";
    for (const auto& line : refused) {
      text << "\n  " << line;
    }
    throw Error(std::string("--add"), text.str());
  }

  // The `rust` lists: what rustup installs by profile and accepts in `target/component add`.
  Package& rust = channel.packages.at("rust");
  for (const SpliceChange& change : result.changes) {
    if (change.package == "rustc" && rust.targets.count(change.target) == 0) {
      rust.targets[change.target] = lists_for_new_host(channel, change.target);
    }
  }
  for (const SpliceChange& change : result.changes) {
    ComponentScope scope = scope_of(change.package, change.target);
    for (auto& [host, rust_entry] : rust.targets) {
      if (scope != ComponentScope::Host || change.target == host) {
        list_for_host(rust_entry, host, change.package, change.target);
      }
    }
    const std::string suffix = "-preview";
    if (change.package.size() > suffix.size() && change.package.ends_with(suffix)) {
      std::string old_name = change.package.substr(0, change.package.size() - suffix.size());
      channel.renames.emplace(old_name, change.package);
    }
  }
  return result;
}

} // namespace distbuild::manifest
