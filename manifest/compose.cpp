// compose_channel() in four steps: one [pkg.X] per built package, the `rust` meta-package per
// host (the lists rustup actually installs from), renames for the preview tools, and the
// profiles. The `rust` lists name only (pkg, target) pairs that exist and are available:
// rustup rejects a manifest naming a missing pair (spec 2.8) and refuses a default install
// when a listed profile component is unavailable, while unlisted ones are silently skipped.
#include "manifest/compose.hpp"

#include "manifest/toml_text.hpp"
#include "manifest/artifact_format.hpp"
#include "targets/components.hpp"

#include <algorithm>
#include <type_traits>
#include <set>

namespace distbuild::manifest {

namespace {

using targets::ComponentScope;

constexpr std::string_view k_preview_suffix = "-preview";

// The `components` (not extensions) of `[pkg.rust.target.<host>]`, in upstream's order.
constexpr std::string_view k_host_components[] = {"rustc", "rust-std", "cargo", "rust-docs", "rust-mingw"};

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string describe(const BuiltComponent& component) {
  const auto formats = artifact_formats();
  for (auto format = formats.rbegin(); format != formats.rend(); ++format) {  // zst first
    if (format->component_ref == nullptr) {
      continue;
    }
    const auto& ref = component.*format->component_ref;
    if (ref && !ref->url.empty()) {
      return ref->url;
    }
  }
  return "version " + toml_string(component.version);
}

// Copies every url/hash pair the manifest keeps; returns whether there was one.
template <typename From>
bool copy_refs(TargetEntry& entry, const From& from) {
  bool any = false;
  for (const auto& format : artifact_formats()) {
    if (format.entry_ref == nullptr) {
      continue;
    }
    if constexpr (std::is_same_v<From, TargetEntry>) {
      entry.*format.entry_ref = from.*format.entry_ref;
    } else {
      entry.*format.entry_ref = from.*format.component_ref;
    }
    any = any || (entry.*format.entry_ref).has_value();
  }
  return any;
}

// Keeps one value per package; a second, different one is an input error.
void merge_field(std::string& kept, const std::string& given, const std::string& package, std::string_view field) {
  if (given.empty() || kept == given) {
    return;
  }
  if (!kept.empty()) {
    throw Error(toml_path({"pkg", package}),
                "components disagree on " + std::string(field) + ": " + toml_string(kept) + " and " + toml_string(given));
  }
  kept = given;
}

std::string package_name(const std::string& given) {
  std::optional<targets::ComponentKind> kind = targets::find_component(given);
  return kind ? std::string(kind->package) : given;
}

void add_packages(Channel& channel, const std::vector<BuiltComponent>& components) {
  std::map<std::pair<std::string, std::string>, const BuiltComponent*> seen;
  for (const BuiltComponent& component : components) {
    std::string name = package_name(component.package);
    if (name == "rust") {
      throw Error("pkg.rust", "the combined rust tarball belongs in rust_combined, not in the components");
    }
    std::optional<targets::ComponentKind> kind = targets::find_component(name);
    std::string target = component.target;
    if (kind && kind->scope == ComponentScope::Any) {
      if (!target.empty() && target != "*") {
        throw Error(toml_path({"pkg", name}), "built for " + target + ", but it must have the target \"*\"");
      }
      target = "*";
    }
    if (target.empty()) {
      throw Error(toml_path({"pkg", name}), "component " + describe(component) + " has no target");
    }
    auto [it, inserted] = seen.emplace(std::pair{name, target}, &component);
    if (!inserted) {
      throw Error(toml_path({"pkg", name, "target", target}),
                  "given twice: " + describe(*it->second) + " and " + describe(component));
    }

    Package& package = channel.packages[name];
    merge_field(package.version, component.version, name, "version");
    if (component.git_commit_hash) {
      std::string kept = package.git_commit_hash.value_or("");
      merge_field(kept, *component.git_commit_hash, name, "git_commit_hash");
      package.git_commit_hash = kept;
    }
    TargetEntry entry;
    entry.available = copy_refs(entry, component);
    package.targets.emplace(target, std::move(entry));
  }
}

class RustLists {
public:
  RustLists(const Channel& channel, const std::string& host) : m_channel(channel), m_host(host) {}

  void add(std::vector<ComponentRef>& list, const std::string& pkg, const std::string& target) {
    auto package = m_channel.packages.find(pkg);
    if (package == m_channel.packages.end()) {
      return;
    }
    auto entry = package->second.targets.find(target);
    if (entry == package->second.targets.end() || !is_available(entry->second)) {
      return;
    }
    if (m_listed.emplace(pkg, target).second) {
      list.push_back(ComponentRef{pkg, target});
    }
  }

  // Every available target of `pkg` (in triple order) except those already listed.
  void add_all_targets(std::vector<ComponentRef>& list, const std::string& pkg) {
    auto package = m_channel.packages.find(pkg);
    if (package == m_channel.packages.end()) {
      return;
    }
    for (const auto& [target, entry] : package->second.targets) {
      add(list, pkg, target);
    }
  }

  TargetEntry build(const std::vector<std::string>& hosts) {
    TargetEntry rust;
    for (std::string_view name : k_host_components) {
      add(rust.components, std::string(name), m_host);
    }
    // Extensions in known-component order (which is upstream's), then unknown packages by name.
    std::set<std::string> handled{"rust"};
    for (const targets::ComponentKind& kind : targets::known_components()) {
      std::string pkg(kind.package);
      handled.insert(pkg);
      if (kind.scope == ComponentScope::Any) {
        add(rust.extensions, pkg, "*");
      } else if (kind.scope == ComponentScope::Target) {
        add_all_targets(rust.extensions, pkg);
      } else if (pkg == "rustc-dev") {
        // Upstream lets every host add rustc-dev for every other host (cross-compiling
        // compiler plugins); keep that.
        for (const std::string& other : hosts) {
          add(rust.extensions, pkg, other);
        }
      } else {
        add(rust.extensions, pkg, m_host);
      }
    }
    for (const auto& [pkg, package] : m_channel.packages) {
      if (handled.count(pkg) == 0) {
        add(rust.extensions, pkg, m_host);
        add(rust.extensions, pkg, "*");
      }
    }
    return rust;
  }

private:
  const Channel& m_channel;
  const std::string& m_host;
  std::set<std::pair<std::string, std::string>> m_listed;
};

void add_rust(Channel& channel, const ComposeInput& input) {
  std::vector<std::string> hosts;
  if (auto rustc = channel.packages.find("rustc"); rustc != channel.packages.end()) {
    for (const auto& [target, entry] : rustc->second.targets) {
      if (is_available(entry)) {
        hosts.push_back(target);
      }
    }
  }
  for (const auto& [host, entry] : input.rust_combined) {
    if (std::find(hosts.begin(), hosts.end(), host) == hosts.end()) {
      throw Error(toml_path({"pkg", "rust", "target", host}),
                  "a combined rust tarball is given, but there is no available rustc for " + host);
    }
  }

  Package rust;
  rust.version = input.rust_version;
  if (rust.version.empty() && channel.packages.count("rustc") > 0) {
    rust.version = channel.packages.at("rustc").version;
  }
  rust.git_commit_hash = input.git_commit_hash;
  for (const std::string& host : hosts) {
    TargetEntry entry = RustLists(channel, host).build(hosts);
    // rustup 1.29 never downloads the combined tarball; without one the host is still fully
    // installable from its lists, so it is only marked unavailable, as upstream does.
    if (auto combined = input.rust_combined.find(host); combined != input.rust_combined.end()) {
      entry.available = copy_refs(entry, combined->second);
    }
    rust.targets.emplace(host, std::move(entry));
  }
  channel.packages.emplace("rust", std::move(rust));
}

void add_renames(Channel& channel) {
  for (const auto& [name, package] : channel.packages) {
    if (ends_with(name, k_preview_suffix) && name.size() > k_preview_suffix.size()) {
      channel.renames.emplace(name.substr(0, name.size() - k_preview_suffix.size()), name);
    }
  }
}

} // namespace

std::map<std::string, std::vector<std::string>> upstream_profiles(const std::string& channel) {
  std::vector<std::string> minimal{"rustc", "cargo", "rust-std", "rust-mingw"};
  std::vector<std::string> standard = minimal;
  standard.insert(standard.end(), {"rust-docs", "rustfmt-preview", "clippy-preview"});
  std::vector<std::string> complete = standard;
  complete.insert(complete.end(), {"rust-analyzer-preview", "rust-src", "llvm-tools-preview", "rust-analysis",
                                   "miri-preview", "rustc-codegen-cranelift-preview"});
  if (channel == "nightly") {
    complete.push_back("rustc-dev");
  }
  return {{"minimal", minimal}, {"default", standard}, {"complete", complete}};
}

Channel compose_channel(const ComposeInput& input) {
  Channel channel;
  channel.date = input.date;
  add_packages(channel, input.components);
  add_rust(channel, input);
  add_renames(channel);
  channel.profiles = upstream_profiles(input.channel);
  channel.artifacts = input.artifacts;
  return channel;
}

} // namespace distbuild::manifest
