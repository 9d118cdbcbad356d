// The overlay pipeline (see overlay.hpp for the order and why it is that order).
#include "builder/upstream/overlay.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/release/dist.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/tree/safe_path.hpp"
#include "builder/tree/scoped_dir.hpp"
#include "builder/tree/tree_signing.hpp"
#include "builder/upstream/upstream_paths.hpp"
#include "manifest/validate.hpp"
#include "signing/sha256.hpp"
#include "signing/signer.hpp"
#include "signing/verifier.hpp"
#include "targets/components.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <algorithm>
#include <map>
#include <regex>
#include <set>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// rustup rewrites this prefix to RUSTUP_DIST_SERVER (spec 3.1); so do we, to the upstream server.
constexpr std::string_view k_static_server = "https://static.rust-lang.org";

void log_line(const OverlayOptions& options, const std::string& line) {
  if (options.log) {
    options.log(line);
  }
}

// The manifest name of "…/channel-rust-<name>.toml".
std::string manifest_name_of(const std::string& location) {
  static const std::regex k_name(R"(^channel-rust-(.+)\.toml$)");
  std::string file = location.substr(location.find_last_of('/') + 1);
  std::smatch match;
  if (!std::regex_match(file, match, k_name)) {
    throw Error(location, "is not a channel-rust-<name>.toml manifest");
  }
  return match[1].str();
}

std::string channel_of(const std::string& name, const std::string& location) {
  static const std::regex k_stable(R"(^[0-9]+\.[0-9]+(\.[0-9]+)?$)");
  static const std::regex k_beta(R"(^[0-9]+\.[0-9]+(\.[0-9]+)?-beta(\.[0-9]+)?$)");
  if (name == "stable" || name == "beta" || name == "nightly") {
    return name;
  }
  if (std::regex_match(name, k_stable)) {
    return "stable";
  }
  if (std::regex_match(name, k_beta)) {
    return "beta";
  }
  throw Error(location, "cannot tell the channel from the manifest name '" + name + "'");
}

struct Upstream {
  std::string bytes;
  std::optional<std::string> signature;  // its .asc when verified
  manifest::Channel channel;
  std::string name, channel_name, version;
};

Upstream fetch_upstream(const OverlayOptions& options, Fetcher& fetcher,
                        signing::Verifier* verifier, OverlayResult& result) {
  Upstream up;
  log_line(options, "fetch " + options.upstream);
  up.bytes = fetcher.get(options.upstream);
  result.upstream_url = options.upstream;
  result.upstream_manifest_sha256 = signing::sha256_hex(up.bytes);
  std::string sidecar =
      fetcher.get(options.upstream + ".sha256", k_max_sha256_sidecar_bytes, "a .sha256 file");
  if (sidecar.size() < 64 || sidecar.substr(0, 64) != result.upstream_manifest_sha256) {
    throw Error(options.upstream, "SHA-256 " + result.upstream_manifest_sha256 +
                                      " does not match its .sha256 ('" +
                                      sidecar.substr(0, std::min<std::size_t>(64, sidecar.size())) +
                                      "')");
  }
  result.upstream_signature = "not checked";
  if (verifier != nullptr) {
    std::string asc_url = options.upstream + ".asc";
    auto asc = fetcher.get_optional(asc_url, k_max_signature_bytes, "a signature (.asc)");
    if (!asc) {
      throw Error(asc_url, "not found, so the upstream manifest cannot be checked with " +
                               options.upstream_key->string());
    }
    auto check = verifier->verify_bytes(up.bytes, *asc);
    if (!check.valid) {
      throw Error(asc_url, "the upstream manifest does not verify with " +
                               options.upstream_key->string() + ": " + check.problem);
    }
    result.upstream_signature = "verified";
    result.upstream_signer = check.signer_fingerprint;
    up.signature = *asc;
  }
  up.channel = manifest::parse_channel(up.bytes, options.upstream);
  up.name = manifest_name_of(options.upstream);
  up.channel_name = channel_of(up.name, options.upstream);
  auto rust = up.channel.packages.find("rust");
  std::string version_text = rust == up.channel.packages.end() ? "" : rust->second.version;
  up.version = up.channel_name == "nightly" ? "nightly"
                                            : version_text.substr(0, version_text.find(' '));
  if (up.version.empty() || !is_valid_date(up.channel.date)) {
    throw Error(options.upstream, "has no usable [pkg.rust] version or date");
  }
  return up;
}

// Packs (or takes) the added packages into `staging`; their URLs point into dist/<date>/.
std::vector<AddedPackage> prepare_added(const OverlayOptions& options, const Upstream& up,
                                        const fs::path& work, std::vector<PublishedArtifact>& out) {
  const GatherOptions& add = options.add;
  if (add.stage_dirs.empty() && add.toolchain_dirs.empty() && add.tarball_dirs.empty()) {
    return {};
  }
  GatherOptions gather = add;
  gather.work_dir = work / "split";
  fs::create_directories(gather.work_dir);
  log_line(options, "gather the packages to add");
  std::vector<ComponentSource> sources = gather_sources(gather);
  DistOptions packing;
  packing.formats = options.formats;
  packing.profile = options.profile;
  packing.mtime = options.mtime;
  packing.threads = options.threads;
  packing.log = options.log;
  packing.progress = options.progress;
  fs::create_directories(work / "staging");
  out = pack_and_collect(packing, sources, targets::version_label(up.channel_name, up.version),
                         work / "staging");
  std::vector<AddedPackage> added;
  for (const auto& source : sources) {
    AddedPackage item;
    item.package = source.package;
    item.target = source.target;
    item.version = source.version.value_or("");
    item.git_commit_hash = source.git_commit_hash;
    item.origin = source.origin;
    for (const auto& artifact : out) {
      if (artifact.package != source.package || artifact.target != source.target) {
        continue;
      }
      manifest::ArtifactRef ref{
          options.base_url + "/" + up.channel.date + "/" + artifact.path.filename().string(),
          artifact.sha256};
      switch (artifact.format) {
        case Format::Gz: item.gz = ref; break;
        case Format::Xz: item.xz = ref; break;
        case Format::Zst: item.zst = ref; break;
      }
    }
    added.push_back(std::move(item));
  }
  return added;
}

struct MirrorJob {
  std::string source;  // upstream URL or path
  std::string rel;     // below dist/
  std::string sha256;
};

// Points every upstream file the manifest still references at the new tree (or, without
// mirroring, at the upstream server itself) and lists what has to be fetched.
std::vector<MirrorJob> rewrite_upstream_urls(manifest::Channel& channel,
                                             const std::set<std::pair<std::string, std::string>>& ours,
                                             const OverlayOptions& options,
                                             const UpstreamServer& server) {
  std::map<std::string, MirrorJob> jobs;
  auto take = [&](std::string& url, const std::string& hash) {
    if (!options.mirror) {
      url = upstream_download_url(server.source_of(url, options.upstream));
      return;
    }
    MirrorJob job{server.source_of(url, options.upstream),
                  mirror_path_of(url, channel.date, options.upstream), hash};
    auto [it, inserted] = jobs.emplace(job.rel, job);
    if (!inserted && it->second.sha256 != hash) {
      throw Error(url, "is listed twice with different hashes (" + it->second.sha256 + ", " +
                           hash + ")");
    }
    url = options.base_url + "/" + job.rel;
  };
  for (auto& [pkg, package] : channel.packages) {
    for (auto& [target, entry] : package.targets) {
      if (ours.count({pkg, target}) || !entry.available) {
        continue;
      }
      for (auto* ref : {&entry.gz, &entry.xz, &entry.zst}) {
        if (*ref && !(*ref)->url.empty() && !(*ref)->hash.empty()) {
          take((*ref)->url, (*ref)->hash);
        }
      }
    }
  }
  for (auto& [name, by_target] : channel.artifacts) {
    for (auto& [target, files] : by_target) {
      for (auto& file : files) {
        take(file.url, file.hash_sha256);
      }
    }
  }
  std::vector<MirrorJob> list;
  for (auto& [rel, job] : jobs) {
    list.push_back(std::move(job));
  }
  return list;
}

// rustup's rules must hold for what we publish; problems upstream already had are its own
// choice (a tool that failed to build, say) and are reported, not fatal.
void validate_result(const manifest::Channel& result, const manifest::Channel& upstream,
                     const std::string& name, std::vector<std::string>& notes) {
  auto inherited = manifest::validate(upstream);
  std::vector<std::string> fatal;
  for (const auto& problem : manifest::validate(result)) {
    if (std::find(inherited.begin(), inherited.end(), problem) == inherited.end()) {
      fatal.push_back(problem);
    } else {
      notes.push_back("kept from upstream: " + problem);
    }
  }
  if (!fatal.empty()) {
    std::string text = "the overlaid manifest breaks rustup's rules; nothing was published:";
    for (const auto& problem : fatal) {
      text += "\n  " + problem;
    }
    throw Error("channel-rust-" + name + ".toml", text);
  }
}

class Publisher {
public:
  Publisher(const OverlayOptions& options, Fetcher& fetcher, signing::Verifier* verifier,
            OverlayResult& result)
      : m_options(options), m_fetcher(fetcher), m_verifier(verifier), m_result(result) {}

  void mirror(const std::vector<MirrorJob>& jobs, const fs::path& dist) {
    std::size_t left = jobs.size();
    for (const auto& job : jobs) {
      m_fetcher.set_files_left(--left);
      fs::path dest = dist / job.rel;  // job.rel passed safe_path.hpp's rule (mirror_path_of)
      create_directories_inside(dist, fs::path(job.rel).parent_path());
      FetchOutcome outcome = m_fetcher.fetch_file(job.source, dest, job.sha256);
      MirroredFile file{job.source, dest, job.sha256, fs::file_size(dest),
                        outcome == FetchOutcome::Downloaded, false};
      if (outcome == FetchOutcome::Downloaded) {
        log_line(m_options, "mirrored " + job.rel);
      }
      fs::path sidecar = dest.string() + ".sha256";
      std::string line = sha256_line(job.sha256, dest.filename().string());
      std::error_code ec;
      // Compared only when the size matches: a huge planted sidecar is replaced, never read.
      if (!fs::exists(sidecar, ec) || fs::file_size(sidecar, ec) != line.size() ||
          read_file(sidecar) != line) {
        write_file_atomically(sidecar, line);
      }
      file.upstream_signature = sign_mirrored(job.source, dest, outcome);
      m_result.mirrored.push_back(std::move(file));
    }
  }

  // Upstream's .asc when it verifies with the upstream key; else ours; else (no key at all)
  // upstream's unchecked one, as a plain mirror would.
  bool sign_mirrored(const std::string& source, const fs::path& dest, FetchOutcome outcome) {
    fs::path asc_path = dest.string() + ".asc";
    std::error_code ec;
    if (outcome == FetchOutcome::Present && fs::exists(asc_path, ec)) {
      return false;  // checked when it was written
    }
    if (m_verifier != nullptr) {
      if (auto asc = m_fetcher.get_optional(source + ".asc", k_max_signature_bytes,
                                            "a signature (.asc)")) {
        if (m_verifier->verify_file(dest, *asc).valid) {
          write_file_atomically(asc_path, *asc);
          return true;
        }
        m_result.notes.push_back(source + ".asc does not verify with the upstream key; signed "
                                          "with the local key instead");
      }
    }
    if (m_options.signer != nullptr) {
      sign_one_file(*m_options.signer, dest);
    } else if (m_verifier == nullptr) {
      if (auto asc = m_fetcher.get_optional(source + ".asc", k_max_signature_bytes,
                                            "a signature (.asc)")) {
        write_file_atomically(asc_path, *asc);
      }
    }
    return false;
  }

  void sign(const fs::path& file) {
    if (m_options.signer != nullptr) {
      sign_one_file(*m_options.signer, file);
    }
  }

  // bytes -> dir/name with .sha256 and .asc written first, so the file is never newer.
  std::string write_signed(const fs::path& dir, const std::string& name, const std::string& bytes,
                           const std::optional<std::string>& kept_signature = std::nullopt) {
    fs::path path = dir / name;
    if (kept_signature) {
      write_file_atomically(path.string() + ".asc", *kept_signature);
    } else if (m_options.signer != nullptr) {
      write_file_atomically(path.string() + ".asc", m_options.signer->sign_bytes(bytes));
    }
    return write_with_sha256(dir, name, bytes);
  }

private:
  const OverlayOptions& m_options;
  Fetcher& m_fetcher;
  signing::Verifier* m_verifier;
  OverlayResult& m_result;
};

void write_key_files(const OverlayOptions& options, const fs::path& root) {
  if (options.signer == nullptr) {
    return;
  }
  std::string keys = options.signer->export_public_key();
  if (options.upstream_key) {
    // Upstream's signatures kept beside unchanged files verify with this one.
    keys += "\n" + read_file_limited(*options.upstream_key, k_max_key_bytes, "a key file");
  }
  write_file_atomically(root / k_key_file, keys);
  write_file_atomically(root / k_fingerprint_file, options.signer->fingerprint() + "\n");
}

} // namespace

void add_input(GatherOptions& options, const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path / "lib/rustlib", ec)) {
    options.toolchain_dirs.push_back(path);
    return;
  }
  if (fs::is_directory(path, ec)) {
    for (const auto& entry : fs::directory_iterator(path)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() &&
          (name.ends_with(".tar.gz") || name.ends_with(".tar.xz") || name.ends_with(".tar.zst"))) {
        options.tarball_dirs.push_back(path);
        return;
      }
    }
  }
  options.stage_dirs.push_back(path);  // gather_sources reports it when it is not one either
}

std::string provenance_json(const OverlayResult& result) {
  nlohmann::json changes = nlohmann::json::array();
  for (const auto& change : result.changes) {
    nlohmann::json files = nlohmann::json::array();
    for (const auto& file : result.added_files) {
      if (file.package == change.package && file.target == change.target) {
        files.push_back({{"path", fs::relative(file.path, result.tree).generic_string()},
                         {"sha256", file.sha256},
                         {"size", file.size}});
      }
    }
    changes.push_back({{"package", change.package},
                       {"target", change.target},
                       {"action", std::string(splice_action_name(change.action))},
                       {"source", change.origin},
                       {"files", files}});
  }
  nlohmann::json dropped = nlohmann::json::array();
  for (const auto& ref : result.dropped) {
    dropped.push_back({{"package", ref.pkg}, {"target", ref.target}});
  }
  std::size_t kept_signatures = 0;
  for (const auto& file : result.mirrored) {
    kept_signatures += file.upstream_signature ? 1 : 0;
  }
  nlohmann::json doc = {
      {"tool", "distbuild"},
      {"upstream",
       {{"url", result.upstream_url},
        {"manifest_sha256", result.upstream_manifest_sha256},
        {"date", result.date},
        {"signature", result.upstream_signature},
        {"signer", result.upstream_signer}}},
      {"channel", result.channel},
      {"version", result.version},
      {"manifests", result.manifest_names},
      {"manifest_rewritten", result.manifest_rewritten},
      {"manifest_sha256", result.manifest_sha256},
      {"changes", changes},
      {"unavailable_targets", dropped},
      {"mirrored_files", result.mirrored.size()},
      {"upstream_signatures_kept", kept_signatures},
      {"signing_fingerprint", result.signing_fingerprint}};
  return doc.dump(2) + "\n";
}

std::string upstream_download_url(const std::string& source) {
  if (source.find("://") == std::string::npos) {
    return "file://" + fs::absolute(source).lexically_normal().string();
  }
  const std::string rewritten = std::string(k_static_server) + "/";
  if (source.rfind(rewritten, 0) == 0) {
    return "https://STATIC.RUST-LANG.ORG/" + source.substr(rewritten.size());
  }
  return source;
}

OverlayResult run_overlay(const OverlayOptions& requested, Fetcher& fetcher) {
  OverlayOptions options = requested;
  while (options.base_url.ends_with("/")) {
    options.base_url.pop_back();
  }
  if (options.base_url.find("://") == std::string::npos) {
    throw Error(std::string("--base-url"),
                "'" + options.base_url + "' is not an absolute URL (rustup rejects relative ones)");
  }
  // 1. The tree, then the upstream manifest, checked before anything is written.
  const fs::path root = fs::absolute(options.out);
  check_tree_root(root);
  OverlayResult result;
  result.tree = root;
  std::unique_ptr<signing::Verifier> verifier;
  if (options.upstream_key) {
    verifier = std::make_unique<signing::Verifier>(
        read_file_limited(*options.upstream_key, k_max_key_bytes, "a key file"));
  }
  Upstream up = fetch_upstream(options, fetcher, verifier.get(), result);
  fs::create_directories(root / "dist");
  TreeLock lock(root);
  result.channel = up.channel_name;
  result.version = up.version;
  result.date = up.channel.date;
  result.manifest_names = options.names.empty()
                              ? (up.name == up.channel_name
                                     ? channel_manifest_names(up.channel_name, up.version)
                                     : std::vector<std::string>{up.name})
                              : options.names;
  const fs::path dist = root / "dist";
  const fs::path dated = dist / result.date;
  result.dated_dir = dated;

  // 2. Selection, the added packages, the splice, rustup's rules.
  manifest::Channel selected = up.channel;
  result.dropped = select_targets(selected, options.selection);
  ScopedDir work(root / (".distbuild-overlay-" + std::to_string(::getpid())));
  std::vector<PublishedArtifact> artifacts;
  std::vector<AddedPackage> added = prepare_added(options, up, work.path(), artifacts);
  SpliceResult spliced = splice_packages(selected, added, options.replace);
  result.changes = spliced.changes;
  result.notes = spliced.notes;
  std::set<std::pair<std::string, std::string>> ours;
  for (const auto& change : spliced.changes) {
    ours.insert({change.package, change.target});
  }
  manifest::Channel channel = spliced.channel;
  std::vector<MirrorJob> jobs =
      rewrite_upstream_urls(channel, ours, options, server_of(options.upstream));
  validate_result(channel, up.channel, up.name, result.notes);
  result.manifest_rewritten = !(channel == up.channel);
  const std::string toml = result.manifest_rewritten ? manifest::to_toml(channel) : up.bytes;

  // 3. Files first: upstream's (each renamed into place once checked), then ours.
  Publisher publisher(options, fetcher, verifier.get(), result);
  log_line(options, "mirror " + std::to_string(jobs.size()) + " upstream files");
  publisher.mirror(jobs, dist);
  fs::create_directories(dated);
  for (const auto& artifact : artifacts) {
    fs::path dest = dated / artifact.path.filename();
    publisher.sign(artifact.path);
    for (const char* suffix : {".sha256", ".asc", ""}) {
      fs::path from = artifact.path.string() + suffix;
      if (fs::exists(from)) {
        link_or_copy_atomically(from, dest.string() + suffix);
      }
    }
    result.added_files.push_back(
        {artifact.package, artifact.target, dest, artifact.sha256, artifact.size});
  }

  // 4. The dated manifests, provenance and sums; the channel manifests last of each name.
  if (options.signer != nullptr) {
    result.signing_fingerprint = options.signer->fingerprint();
  }
  std::optional<std::string> kept_signature;
  if (!result.manifest_rewritten) {
    kept_signature = up.signature;
  }
  const auto rust = channel.packages.find("rust");
  const std::optional<std::string> git_hash =
      rust == channel.packages.end() ? std::nullopt : rust->second.git_commit_hash;
  for (const auto& name : result.manifest_names) {
    publisher.write_signed(dated, "channel-rust-" + name + "-date.txt", result.date);
    if (git_hash) {
      publisher.write_signed(dated, "channel-rust-" + name + "-git-commit-hash.txt", *git_hash);
    }
  }
  result.manifest_sha256 = signing::sha256_hex(toml);
  result.provenance = dated / ("distbuild-provenance-" + result.manifest_names.front() + ".json");
  publisher.write_signed(dated, result.provenance.filename().string(), provenance_json(result));
  for (const auto& name : result.manifest_names) {
    publisher.write_signed(dated, "channel-rust-" + name + ".toml", toml, kept_signature);
  }
  write_sha256sums(dated);
  publisher.sign(dated / "SHA256SUMS");

  // 5. The top level: never moved back to an older release.
  if (options.update_top_level) {
    for (const auto& name : result.manifest_names) {
      fs::path existing = dist / ("channel-rust-" + name + ".toml");
      if (!should_update_top_level(existing, channel, up.channel_name, name)) {
        result.notes.push_back("dist/channel-rust-" + name +
                               ".toml kept: it already points at a newer release");
        continue;
      }
      for (const auto& file : manifest_files(name, git_hash.has_value())) {
        link_with_sidecars(dated, dist, file);
      }
      result.top_level_updated.push_back(name);
    }
    write_sha256sums(dist);
    publisher.sign(dist / "SHA256SUMS");
  }
  write_key_files(options, root);
  return result;
}

} // namespace distbuild::builder
