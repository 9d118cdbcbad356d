// Upstream build-manifest's tables (see the header). The package rows follow versions.rs's
// PkgType order, which is also the order in which `[pkg.rust.target.<host>]` lists them; the
// columns come from its targets(), should_use_rust_version(), use_docs_fallback() and main.rs's
// nightly-only list. enzyme is the one row with a start: 1.95.0's build-manifest does not know
// it, 1.97's nightly lists it.
#include "builder/compat/build_manifest_rules.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "targets/target_table.hpp"

#include <array>
#include <nlohmann/json.hpp>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

using enum UpstreamTriples;
using enum UpstreamRustRole;

// tarball name, preview, triples, role, rust version, nightly only, docs fallback, since 1.N
constexpr std::array k_packages{
    UpstreamPackage{"rust-src", false, Any, AnyExtension, true, false, false, 0},
    UpstreamPackage{"rustc", false, Hosts, Component, true, false, false, 0},
    UpstreamPackage{"rustc-dev", false, Hosts, AllHostsExtension, true, false, false, 0},
    UpstreamPackage{"rustc-docs", false, Hosts, HostExtension, true, false, true, 0},
    UpstreamPackage{"reproducible-artifacts", false, Hosts, None, true, false, false, 0},
    UpstreamPackage{"rust-mingw", false, Mingw, MingwComponent, true, false, false, 0},
    UpstreamPackage{"rust-std", false, Targets, StdComponent, true, false, false, 0},
    UpstreamPackage{"cargo", false, Hosts, Component, false, false, false, 0},
    UpstreamPackage{"rust-docs", false, Hosts, Component, true, false, true, 0},
    UpstreamPackage{"rust-analysis", false, Targets, HostExtension, true, false, false, 0},
    UpstreamPackage{"rust-analyzer", true, Hosts, HostExtension, false, false, false, 0},
    UpstreamPackage{"clippy", true, Hosts, HostExtension, false, false, false, 0},
    UpstreamPackage{"rustfmt", true, Hosts, HostExtension, false, false, false, 0},
    UpstreamPackage{"llvm-tools", true, Targets, HostExtension, false, false, false, 0},
    UpstreamPackage{"miri", true, Hosts, HostExtension, false, true, false, 0},
    UpstreamPackage{"rust-docs-json", true, Hosts, HostExtension, true, true, true, 0},
    UpstreamPackage{"rustc-codegen-cranelift", true, Hosts, HostExtension, false, true, false, 0},
    UpstreamPackage{"llvm-bitcode-linker", true, Hosts, HostExtension, true, false, false, 0},
    UpstreamPackage{"rustc-codegen-gcc", true, Hosts, HostExtension, false, true, false, 0},
    UpstreamPackage{"gcc-x86_64-unknown-linux-gnu", true, Hosts, HostExtension, false, true, false,
                    0},
    UpstreamPackage{"enzyme", true, Hosts, HostExtension, true, false, false, 97},
};

// Most specific first; the empty substring matches every host.
constexpr std::array<std::pair<std::string_view, std::string_view>, 4> k_docs_fallback{{
    {"-apple-", "aarch64-apple-darwin"},
    {"aarch64", "aarch64-unknown-linux-gnu"},
    {"arm-", "aarch64-unknown-linux-gnu"},
    {"", "x86_64-unknown-linux-gnu"},
}};

constexpr std::array<std::string_view, 2> k_pkg_installers{"x86_64-apple-darwin",
                                                           "aarch64-apple-darwin"};

std::vector<std::string> hosts_containing(const std::vector<std::string>& hosts,
                                          std::string_view part) {
  std::vector<std::string> out;
  for (const std::string& host : hosts) {
    if (host.find(part) != std::string::npos) {
      out.push_back(host);
    }
  }
  return out;
}

} // namespace

std::span<const UpstreamPackage> upstream_packages() {
  return k_packages;
}

std::string upstream_manifest_name(const UpstreamPackage& package) {
  std::string name(package.tarball_name);
  return package.preview ? name + "-preview" : name;
}

std::span<const std::pair<std::string_view, std::string_view>> upstream_docs_fallback() {
  return k_docs_fallback;
}

std::span<const std::string_view> upstream_pkg_installer_hosts() {
  return k_pkg_installers;
}

std::vector<std::string> UpstreamTargetLists::mingw() const {
  return hosts_containing(hosts, "-windows-gnu");
}

std::vector<std::string> UpstreamTargetLists::msi_installers() const {
  return hosts_containing(hosts, "-windows-");
}

UpstreamTargetLists builtin_upstream_targets() {
  UpstreamTargetLists lists;
  for (const targets::TargetInfo& row : targets::known_targets()) {
    lists.targets.push_back(row.triple);
    if (row.upstream_host) {
      lists.hosts.push_back(row.triple);
    }
  }
  return lists;
}

UpstreamTargetLists upstream_targets_from_specs(const fs::path& specs_json) {
  nlohmann::json specs;
  try {
    specs = nlohmann::json::parse(read_file(specs_json));
  } catch (const nlohmann::json::exception& e) {
    throw Error(specs_json, std::string("not JSON: ") + e.what());
  }
  if (!specs.is_object()) {
    throw Error(specs_json, "expected the object `rustc -Z unstable-options "
                            "--print=all-target-specs-json` prints (triple -> target spec)");
  }
  UpstreamTargetLists lists;
  // nlohmann's object is sorted by key, as serde_json's map is upstream.
  for (const auto& [triple, spec] : specs.items()) {
    if (!spec.is_object() || !spec.contains("metadata") || !spec["metadata"].is_object()) {
      continue;
    }
    const nlohmann::json& metadata = spec["metadata"];
    if (!metadata.contains("tier") || !metadata["tier"].is_number_unsigned()) {
      continue;  // upstream skips a target without a tier
    }
    auto tier = metadata["tier"].get<std::uint64_t>();
    if (tier != 1 && tier != 2) {
      continue;
    }
    bool host_tools = false;
    if (metadata.contains("host_tools") && !metadata["host_tools"].is_null()) {
      if (!metadata["host_tools"].is_boolean()) {
        throw Error(specs_json, triple + ": metadata.host_tools is not a boolean");
      }
      host_tools = metadata["host_tools"].get<bool>();
    }
    lists.targets.push_back(triple);
    if (host_tools) {
      lists.hosts.push_back(triple);
    }
  }
  if (lists.targets.empty() || lists.hosts.empty()) {
    throw Error(specs_json, "names no tier 1 or 2 target with host tools; build-manifest needs "
                            "at least one host");
  }
  return lists;
}

} // namespace distbuild::builder
