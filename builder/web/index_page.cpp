// Reading a tree into the index page's summary, and writing the page (the HTML itself is in
// index_page_html.cpp). Everything comes from the files: manifests say what is available and
// with which hash, the tree says which files exist and how big they are.
#include "builder/web/index_page.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/tree/rustup_release.hpp"
#include "manifest/semver.hpp"
#include "builder/tree/tree_signing.hpp"
#include "builder/tree/text.hpp"
#include "manifest/channel.hpp"
#include "signing/sha256.hpp"
#include "manifest/release_name.hpp"
#include "manifest/artifact_format.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <stdexcept>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_manifest_prefix = "channel-rust-";
constexpr std::string_view k_manifest_suffix = ".toml";

// Column order: what people look for first, then the rest alphabetically.
constexpr std::string_view k_package_order[] = {
    "rustc", "cargo", "rust-std", "rust-src", "rust-docs", "clippy-preview", "rustfmt-preview",
    "rust-analyzer-preview", "rust-analysis", "llvm-tools-preview", "miri-preview",
    "rustc-dev", "rust-mingw"};

bool is_channel_name(const std::string& name) {
  return name == "stable" || name == "beta" || name == "nightly";
}

std::size_t package_rank(const std::string& package) {
  auto it = std::find(std::begin(k_package_order), std::end(k_package_order), package);
  return static_cast<std::size_t>(it - std::begin(k_package_order));
}

std::optional<std::uint64_t> size_of_url(const fs::path& root, const std::string& url) {
  std::size_t at = url.rfind("/dist/");
  if (at == std::string::npos) {
    return std::nullopt;
  }
  fs::path rel = fs::path("dist") / url.substr(at + 6);
  for (const auto& part : rel) {
    if (part == "..") {
      return std::nullopt;
    }
  }
  std::error_code ec;
  auto size = fs::file_size(root / rel, ec);
  if (ec) {
    return std::nullopt;
  }
  return size;
}

std::string basename_of(const std::string& url) {
  std::size_t slash = url.rfind('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

IndexCell make_cell(const fs::path& root, const manifest::TargetEntry& entry, bool any_target) {
  IndexCell cell;
  cell.available = manifest::is_available(entry);
  cell.any_target = any_target;
  const std::pair<const char*, const std::optional<manifest::ArtifactRef>*> refs[] = {
      {"gz", &entry.gz}, {"xz", &entry.xz}, {"zst", &entry.zst}};
  for (const auto& [format, ref] : refs) {
    if (*ref && !(*ref)->url.empty()) {
      cell.files.push_back(
          {basename_of((*ref)->url), format, (*ref)->hash, size_of_url(root, (*ref)->url)});
    }
  }
  return cell;
}

void fill_release(const fs::path& root, const manifest::Channel& channel, IndexRelease& release) {
  release.date = channel.date;
  std::set<std::string> hosts, others;
  if (auto rust = channel.packages.find("rust"); rust != channel.packages.end()) {
    release.rust_version = rust->second.version;
    for (const auto& [target, entry] : rust->second.targets) {
      if (target != "*") {
        hosts.insert(target);
      }
    }
  }
  for (const auto& [name, package] : channel.packages) {
    if (name == "rust") {
      continue;
    }
    release.packages.push_back(name);
    for (const auto& [target, entry] : package.targets) {
      if (target != "*" && !hosts.contains(target)) {
        others.insert(target);
      }
    }
  }
  std::stable_sort(release.packages.begin(), release.packages.end(),
                   [](const std::string& a, const std::string& b) {
                     return package_rank(a) < package_rank(b);
                   });
  release.hosts.assign(hosts.begin(), hosts.end());
  release.targets = release.hosts;
  release.targets.insert(release.targets.end(), others.begin(), others.end());
  for (const auto& [old_name, new_name] : channel.renames) {
    release.display_names[new_name] = old_name;
  }
  for (const auto& target : release.targets) {
    for (const auto& name : release.packages) {
      const auto& targets = channel.packages.at(name).targets;
      IndexCell cell;
      if (auto it = targets.find(target); it != targets.end()) {
        cell = make_cell(root, it->second, false);
      } else if (auto any = targets.find("*"); any != targets.end()) {
        cell = make_cell(root, any->second, true);
      }
      release.cells[{target, name}] = std::move(cell);
    }
  }
}

// Sort key for the names of one manifest: the channel, then exact pins, then tracking pins.
std::tuple<int, int, std::string> name_key(const std::string& name) {
  return {is_channel_name(name) ? 0 : 1, -static_cast<int>(name.size()), name};
}

std::vector<IndexRelease> read_releases(const fs::path& root, const fs::path& dir,
                                        const std::string& location) {
  std::map<std::string, IndexRelease> by_hash;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string file = entry.path().filename().string();
    if (!entry.is_regular_file() || !file.starts_with(k_manifest_prefix) ||
        !file.ends_with(k_manifest_suffix)) {
      continue;
    }
    std::string name = file.substr(k_manifest_prefix.size(),
                                   file.size() - k_manifest_prefix.size() -
                                       k_manifest_suffix.size());
    std::string bytes;
    std::string read_error;
    try {
      bytes = read_file_limited(entry.path(), k_max_manifest_bytes, "a channel manifest");
    } catch (const std::exception& e) {
      read_error = e.what();  // a tree someone else made may hold anything
    }
    std::string hash = signing::sha256_hex(bytes);
    auto [it, fresh] = by_hash.try_emplace(hash);
    IndexRelease& release = it->second;
    release.names.push_back(name);
    if (!fresh) {
      continue;
    }
    release.location = location;
    release.manifest_sha256 = hash;
    try {
      if (!read_error.empty()) {
        throw std::runtime_error(read_error);
      }
      fill_release(root, manifest::parse_channel(bytes, (fs::path(location) / file).string()),
                   release);
    } catch (const std::exception& e) {
      release.error = e.what();
    }
  }
  std::vector<IndexRelease> releases;
  for (auto& [hash, release] : by_hash) {
    std::sort(release.names.begin(), release.names.end(),
              [](const std::string& a, const std::string& b) { return name_key(a) < name_key(b); });
    releases.push_back(std::move(release));
  }
  std::sort(releases.begin(), releases.end(), [](const IndexRelease& a, const IndexRelease& b) {
    return name_key(a.names.front()) < name_key(b.names.front());
  });
  return releases;
}

std::vector<std::string> triples_in(const fs::path& dir) {
  std::vector<std::string> triples;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && !name.starts_with(".")) {
      triples.push_back(name);
    }
  }
  std::sort(triples.begin(), triples.end());
  return triples;
}

std::optional<IndexRustup> read_rustup(const fs::path& root) {
  const fs::path dir = root / "rustup";
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::nullopt;
  }
  IndexRustup info;
  if (fs::is_regular_file(dir / k_rustup_release_file, ec)) {
    info.version = parse_rustup_release(read_file(dir / k_rustup_release_file)).value_or("");
  }
  info.latest_targets = triples_in(dir / "dist");
  std::vector<std::string> versions = triples_in(dir / "archive");
  std::sort(versions.begin(), versions.end(), [](const std::string& a, const std::string& b) {
    return manifest::compare_versions(a, b).value_or(a < b ? -1 : 1) > 0;
  });
  for (const auto& version : versions) {
    info.archive.emplace_back(version, triples_in(dir / "archive" / version));
  }
  return info;
}

} // namespace

namespace {

// What a TUF client starts from (1.root.json, obtained out of band) and refreshes first.
bool has_tuf_metadata(const fs::path& tree_root) {
  std::error_code ec;
  return fs::is_regular_file(tree_root / k_tuf_dir / "1.root.json", ec) &&
         fs::is_regular_file(tree_root / k_tuf_dir / "timestamp.json", ec);
}

} // namespace

TreeSummary read_tree_summary(const fs::path& tree_root) {
  TreeSummary summary = read_top_level_summary(tree_root);
  const fs::path dist = tree_root / "dist";
  std::vector<std::string> dates;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dist, ec)) {
    std::string name = entry.path().filename().string();
    if (entry.is_directory() && manifest::is_valid_date(name)) {
      dates.push_back(name);
    }
  }
  std::sort(dates.rbegin(), dates.rend());
  for (const auto& date : dates) {
    for (auto& release : read_releases(tree_root, dist / date, "dist/" + date)) {
      summary.dated.push_back(std::move(release));
    }
  }
  return summary;
}

TreeSummary read_top_level_summary(const fs::path& tree_root) {
  TreeSummary summary;
  summary.top_level = read_releases(tree_root, tree_root / "dist", "dist");
  std::error_code ec;
  if (fs::is_regular_file(tree_root / k_fingerprint_file, ec)) {
    summary.fingerprint = trim(read_file(tree_root / k_fingerprint_file));
  }
  summary.has_public_key = fs::is_regular_file(tree_root / k_key_file, ec);
  summary.rustup = read_rustup(tree_root);
  summary.has_tuf = has_tuf_metadata(tree_root);
  return summary;
}

void write_index_page(const fs::path& tree_root) {
  write_with_sha256(tree_root, k_index_file, render_index_page(read_tree_summary(tree_root)));
}

void refresh_index_page(const fs::path& root) {
  write_index_page(root);
  write_sha256_sidecar(root / k_index_file, signing::sha256_file_hex(root / k_index_file));
}

} // namespace distbuild::builder
