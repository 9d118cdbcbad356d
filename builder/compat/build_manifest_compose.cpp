// compose_upstream_manifest() in upstream's order: the file-name version, the versions (from the
// x86_64-unknown-linux-gnu tarballs), every package of the rules table for every triple of its
// list, the artifacts, profiles and renames, and last the `rust` package, whose lists keep only
// (package, target) pairs that the packages above have an entry for.
#include "builder/compat/build_manifest_compose.hpp"

#include "builder/inspect/installer_reader.hpp"
#include "builder/tree/error.hpp"
#include "manifest/compose.hpp"

#include <algorithm>
#include <map>
#include <regex>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

struct VersionInfo {
  std::optional<std::string> version, git_commit_hash;
  bool present = false;
  fs::path tarball;  // where they were read
};

// The release's minor number (97 for "1.97.0-nightly (...)"), 0 when the text has none.
unsigned minor_of(const std::string& version_text) {
  static const std::regex k_version(R"(^[0-9]+\.([0-9]+)\.)");
  std::smatch match;
  return std::regex_search(version_text, match, k_version) ? std::stoul(match[1].str()) : 0;
}

// Upstream compiles the version into build-manifest; without that, stable and dev releases take
// it from the name of the one combined x86_64 rust tarball.
std::string file_label(const fs::path& input_dir, const std::string& channel) {
  if (channel == "beta" || channel == "nightly") {
    return channel;
  }
  bool stable = channel == "stable";
  const std::regex k_name(std::string(R"(^rust-([0-9]+\.[0-9]+\.[0-9]+))") +
                          (stable ? "" : "-dev") + "-" + std::string(k_upstream_version_host) +
                          R"(\.tar\.(gz|xz)$)");
  std::set<std::string> versions;
  for (const auto& entry : fs::directory_iterator(input_dir)) {
    std::smatch match;
    std::string name = entry.path().filename().string();
    if (std::regex_match(name, match, k_name)) {
      versions.insert(match[1].str());
    }
  }
  std::string expected = std::string("rust-<version>") + (stable ? "" : "-dev") + "-" +
                         std::string(k_upstream_version_host) + ".tar.xz (or .tar.gz)";
  if (versions.empty()) {
    throw Error(input_dir, "no " + expected + ": build-manifest reads the release's version from "
                           "that combined tarball");
  }
  if (versions.size() > 1) {
    std::string list;
    for (const auto& version : versions) {
      list += (list.empty() ? "" : ", ") + version;
    }
    throw Error(input_dir, "holds " + expected + " for several versions (" + list +
                               "); a release directory holds one");
  }
  return *versions.begin() + (stable ? "" : "-dev");
}

class Composer {
public:
  explicit Composer(const UpstreamInput& input) : m_in(input) {}

  UpstreamManifest run() {
    m_out.label = file_label(m_in.input_dir, m_in.channel);
    VersionInfo rust = version_of("rust");
    if (!rust.present) {
      throw Error(m_in.input_dir / stem("rust", k_upstream_version_host), "missing (.tar.xz or "
                  ".tar.gz): build-manifest reads the release's version from it");
    }
    if (!rust.version) {
      throw Error(rust.tarball, "has no version file: build-manifest takes the release's "
                                "version from it");
    }
    m_out.rust_version = *rust.version;
    m_out.git_commit_hash = rust.git_commit_hash;
    m_out.rust_tarball = rust.tarball;
    m_out.channel.date = m_in.date;
    unsigned minor = minor_of(m_out.rust_version);
    for (const UpstreamPackage& package : upstream_packages()) {
      if (package.since_minor == 0 || minor >= package.since_minor) {
        add_package(package, package.rust_version ? rust : version_of(package.tarball_name));
        m_listed.push_back(&package);
      }
    }
    add_artifacts();
    m_out.channel.profiles = manifest::upstream_profiles(m_in.channel);
    for (const UpstreamPackage* package : m_listed) {
      if (package->preview) {
        m_out.channel.renames[std::string(package->tarball_name)] =
            upstream_manifest_name(*package);
      }
    }
    add_rust(rust);
    return std::move(m_out);
  }

private:
  // <tarball>-<V>-<triple>, or <tarball>-<V> for rust-src.
  std::string stem(std::string_view tarball, std::string_view triple) const {
    std::string name = std::string(tarball) + "-" + m_out.label;
    return triple == "*" ? name : name + "-" + std::string(triple);
  }

  std::string url(const std::string& file) const {
    return m_in.upload_addr + "/" + m_in.date + "/" + file;
  }

  // The file when it exists, recorded as shipped.
  std::optional<std::string> ship(const std::string& file) {
    std::error_code ec;
    if (!fs::is_regular_file(m_in.input_dir / file, ec)) {
      return std::nullopt;
    }
    m_out.shipped.insert(file);
    return file;
  }

  // Upstream's Target::from_compressed_tar: available when the .gz or the .xz exists.
  manifest::TargetEntry from_tarballs(const std::string& file_stem) {
    manifest::TargetEntry entry;
    if (auto gz = ship(file_stem + ".tar.gz")) {
      entry.gz = manifest::ArtifactRef{url(*gz), ""};
    }
    if (auto xz = ship(file_stem + ".tar.xz")) {
      entry.xz = manifest::ArtifactRef{url(*xz), ""};
    }
    entry.available = entry.gz || entry.xz;
    return entry;
  }

  // Read once per tarball name; "present" means the x86_64-unknown-linux-gnu tarball exists.
  VersionInfo version_of(std::string_view tarball) {
    auto cached = m_versions.find(std::string(tarball));
    if (cached != m_versions.end()) {
      return cached->second;
    }
    VersionInfo info;
    for (const char* ext : {".tar.xz", ".tar.gz"}) {
      fs::path file = m_in.input_dir / (stem(tarball, k_upstream_version_host) + ext);
      std::error_code ec;
      if (fs::is_regular_file(file, ec)) {
        InstallerVersion read = read_installer_version(file);
        info = {read.version, read.git_commit_hash, true, file};
        break;
      }
    }
    m_versions.emplace(std::string(tarball), info);
    return info;
  }

  const std::vector<std::string>& triples(const UpstreamPackage& package) {
    switch (package.triples) {
      case UpstreamTriples::Hosts: return m_in.lists.hosts;
      case UpstreamTriples::Targets: return m_in.lists.targets;
      case UpstreamTriples::Mingw: return m_mingw;
      case UpstreamTriples::Any: break;
    }
    return m_any;
  }

  manifest::TargetEntry with_fallback(const UpstreamPackage& package, const std::string& triple) {
    manifest::TargetEntry entry = from_tarballs(stem(package.tarball_name, triple));
    if (entry.available || !package.docs_fallback) {
      return entry;
    }
    for (const auto& [part, instead] : upstream_docs_fallback()) {
      if (triple.find(part) != std::string::npos) {
        entry = from_tarballs(stem(package.tarball_name, instead));
        if (entry.available) {
          return entry;
        }
      }
    }
    return manifest::TargetEntry{};
  }

  void add_package(const UpstreamPackage& package, const VersionInfo& version) {
    // Nightly-only packages are listed everywhere but never shipped on other channels.
    bool present = version.present && (m_in.channel == "nightly" || !package.nightly_only);
    manifest::Package out;
    out.version = version.version.value_or("");
    out.git_commit_hash = version.git_commit_hash;
    for (const std::string& triple : triples(package)) {
      out.targets[triple] = present ? with_fallback(package, triple) : manifest::TargetEntry{};
    }
    m_out.channel.packages[upstream_manifest_name(package)] = std::move(out);
  }

  void add_artifacts() {
    auto& artifacts = m_out.channel.artifacts;
    auto& source = artifacts["source-code"]["*"];
    for (const char* ext : {".tar.gz", ".tar.xz"}) {
      if (auto file = ship("rustc-" + m_out.label + "-src" + ext)) {
        source.push_back({url(*file), ""});
      }
    }
    auto& msi = artifacts["installer-msi"];
    for (const std::string& host : m_in.lists.msi_installers()) {
      if (auto file = ship(stem("rust", host) + ".msi")) {
        msi[host].push_back({url(*file), ""});
      }
    }
    auto& pkg = artifacts["installer-pkg"];
    for (std::string_view host : upstream_pkg_installer_hosts()) {
      if (auto file = ship(stem("rust", host) + ".pkg")) {
        pkg[std::string(host)].push_back({url(*file), ""});
      }
    }
  }

  // Upstream's target_host_combination: the lists in package order, then only the pairs that
  // have an entry.
  void add_rust_lists(const std::string& host, manifest::TargetEntry& entry) {
    auto add_all = [](std::vector<manifest::ComponentRef>& list, const std::string& pkg,
                      const std::vector<std::string>& triples, const std::string& except,
                      std::string_view part) {
      for (const std::string& triple : triples) {
        if (triple != except && triple.find(part) != std::string::npos) {
          list.push_back({pkg, triple});
        }
      }
    };
    for (const UpstreamPackage* package : m_listed) {
      std::string pkg = upstream_manifest_name(*package);
      switch (package->role) {
        case UpstreamRustRole::None: break;
        case UpstreamRustRole::Component: entry.components.push_back({pkg, host}); break;
        case UpstreamRustRole::StdComponent:
          entry.components.push_back({pkg, host});
          add_all(entry.extensions, pkg, m_in.lists.targets, host, "");
          break;
        case UpstreamRustRole::MingwComponent:
          if (host.find("pc-windows-gnu") != std::string::npos) {
            entry.components.push_back({pkg, host});
            add_all(entry.extensions, pkg, m_in.lists.targets, host, "pc-windows-gnu");
          }
          break;
        case UpstreamRustRole::HostExtension: entry.extensions.push_back({pkg, host}); break;
        case UpstreamRustRole::AllHostsExtension:
          add_all(entry.extensions, pkg, m_in.lists.hosts, "", "");
          break;
        case UpstreamRustRole::AnyExtension: entry.extensions.push_back({pkg, "*"}); break;
      }
    }
    auto missing = [this](const manifest::ComponentRef& ref) {
      if (ref.target == "*") {
        return false;
      }
      auto package = m_out.channel.packages.find(ref.pkg);
      return package == m_out.channel.packages.end() ||
             package->second.targets.count(ref.target) == 0;
    };
    std::erase_if(entry.components, missing);
    std::erase_if(entry.extensions, missing);
  }

  void add_rust(const VersionInfo& rust) {
    manifest::Package out;
    out.version = *rust.version;
    out.git_commit_hash = rust.git_commit_hash;
    for (const std::string& host : m_in.lists.hosts) {
      manifest::TargetEntry entry = from_tarballs(stem("rust", host));
      if (entry.available) {
        add_rust_lists(host, entry);
      }
      out.targets[host] = std::move(entry);
    }
    m_out.channel.packages["rust"] = std::move(out);
  }

  const UpstreamInput& m_in;
  UpstreamManifest m_out;
  std::map<std::string, VersionInfo> m_versions;
  std::vector<const UpstreamPackage*> m_listed;
  std::vector<std::string> m_mingw = m_in.lists.mingw();
  std::vector<std::string> m_any{"*"};
};

} // namespace

UpstreamManifest compose_upstream_manifest(const UpstreamInput& input) {
  std::error_code ec;
  if (!fs::is_directory(input.input_dir, ec)) {
    throw Error(input.input_dir, "not a directory (the release's tarballs were expected)");
  }
  return Composer(input).run();
}

std::string url_file_name(const std::string& url) {
  std::size_t slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

} // namespace distbuild::builder
