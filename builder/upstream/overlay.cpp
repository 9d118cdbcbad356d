// The overlay pipeline (see overlay.hpp for the order and why it is that order).
#include "builder/upstream/overlay.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/release/dist.hpp"
#include "builder/release/publisher.hpp"
#include "builder/tree/tree_keys.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/tree/safe_path.hpp"
#include "builder/tree/tree_signing.hpp"
#include "builder/upstream/upstream_paths.hpp"
#include "manifest/validate.hpp"
#include "signing/sha256.hpp"
#include "signing/signer.hpp"
#include "signing/verifier.hpp"
#include "targets/components.hpp"
#include "manifest/release_name.hpp"

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
  auto name = manifest::name_of_manifest_file(location.substr(location.find_last_of('/') + 1));
  if (!name) {
    throw Error(location, "is not a channel-rust-<name>.toml manifest");
  }
  return *name;
}

std::string channel_of(const std::string& name, const std::string& location) {
  auto channel = manifest::channel_of_name(name);
  if (!channel) {
    throw Error(location, "cannot tell the channel from the manifest name '" + name + "'");
  }
  return *channel;
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
  if (options.check_upstream_manifest) {
    options.check_upstream_manifest(up.bytes);
  }
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
  if (up.version.empty() || !manifest::is_valid_date(up.channel.date)) {
    throw Error(options.upstream, "has no usable [pkg.rust] version or date");
  }
  return up;
}

// Packs (or takes) the added packages into `staging`; their URLs point into dist/<date>/.
std::vector<manifest::AddedPackage> prepare_added(const OverlayOptions& options, const Upstream& up,
                                        const fs::path& work, std::vector<PublishedArtifact>& out,
                                        std::vector<std::string>& notes) {
  const GatherOptions& add = options.add;
  if (add.stage_dirs.empty() && add.toolchain_dirs.empty() && add.tarball_dirs.empty()) {
    return {};
  }
  GatherOptions gather = add;
  gather.work_dir = work / "split";
  fs::create_directories(gather.work_dir);
  log_line(options, "gather the packages to add");
  std::vector<ComponentSource> sources = gather_sources(gather);
  PackJobOptions packing;
  packing.formats = options.formats;
  packing.profile = options.profile;
  packing.mtime = options.mtime;
  packing.threads = options.threads;
  packing.cache_dir = std::nullopt;
  packing.log = options.log;
  packing.progress = options.progress;
  fs::create_directories(work / "staging");
  out = pack_and_collect(packing, sources, targets::version_label(up.channel_name, up.version),
                         work / "staging");
  std::vector<manifest::AddedPackage> added;
  for (const auto& source : sources) {
    manifest::AddedPackage item;
    item.package = source.package;
    item.target = source.target;
    if (source.version && !source.version->empty()) {
      item.version = *source.version;
    } else {
      // The manifest needs a version; the release's own is the least surprising stand-in, and
      // the user is told (a new package would otherwise show `version = ""`).
      const auto rust = up.channel.packages.find("rust");
      item.version = rust != up.channel.packages.end() && !rust->second.version.empty()
                         ? rust->second.version
                         : up.version;
      notes.push_back("warning: " + source.origin + " has no version file: " + source.package +
                      " gets the release's version '" + item.version +
                      "' in the manifest (give the image a version file to choose)");
    }
    item.git_commit_hash = source.git_commit_hash;
    item.origin = source.origin;
    attach_artifacts(item, out, options.base_url, up.channel.date);
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
    throw Error(manifest::manifest_file(name), text);
  }
}

// Upstream's files, each fetched, hash-checked and renamed into place the moment it is complete
// (so a mirror resumes), with a .sha256 and the right signature beside it.
class UpstreamMirror {
public:
  UpstreamMirror(const OverlayOptions& options, Fetcher& fetcher, signing::Verifier* verifier,
                 const Publisher& tree, OverlayResult& result)
      : m_options(options), m_fetcher(fetcher), m_verifier(verifier), m_tree(tree),
        m_result(result) {}

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
    if (m_tree.signer() != nullptr) {
      m_tree.sign(dest);
    } else if (m_verifier == nullptr) {
      if (auto asc = m_fetcher.get_optional(source + ".asc", k_max_signature_bytes,
                                            "a signature (.asc)")) {
        write_file_atomically(asc_path, *asc);
      }
    }
    return false;
  }

private:
  const OverlayOptions& m_options;
  Fetcher& m_fetcher;
  signing::Verifier* m_verifier;
  const Publisher& m_tree;
  OverlayResult& m_result;
};

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
      if (entry.is_regular_file() && manifest::format_of_file(name)) {
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
                       {"action", std::string(manifest::splice_action_name(change.action))},
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

namespace {

std::unique_ptr<signing::Verifier> upstream_verifier(const OverlayOptions& options) {
  if (!options.upstream_key) {
    return nullptr;
  }
  return std::make_unique<signing::Verifier>(
      read_file_limited(*options.upstream_key, k_max_key_bytes, "a key file"));
}

// What the release is called here: upstream's channel, version and date, and the manifest names.
void name_release(const OverlayOptions& options, const Upstream& up, const Publisher& tree,
                  OverlayResult& result) {
  result.tree = tree.target();  // where this run writes (report_live_paths() sets the root)
  result.channel = up.channel_name;
  result.version = up.version;
  result.date = up.channel.date;
  result.manifest_names = options.names.empty()
                              ? (up.name == up.channel_name
                                     ? manifest::pins_for(up.channel_name, up.version)
                                     : std::vector<std::string>{up.name})
                              : options.names;
  result.dated_dir = tree.dist() / result.date;
}

struct Overlaid {
  manifest::Channel channel;
  std::string toml;
  std::vector<MirrorJob> jobs;                 // upstream files to mirror
  std::vector<PublishedArtifact> artifacts;    // ours, in the work dir
};

// Selection, the added packages, the splice, URLs pointed at our tree, rustup's rules.
Overlaid overlay_packages(const OverlayOptions& options, const Upstream& up,
                          const fs::path& work, OverlayResult& result) {
  Overlaid out;
  manifest::Channel selected = up.channel;
  result.dropped = manifest::select_targets(selected, options.selection);
  std::vector<std::string> version_notes;
  std::vector<manifest::AddedPackage> added =
      prepare_added(options, up, work, out.artifacts, version_notes);
  manifest::SpliceResult spliced = manifest::splice_packages(selected, added, options.replace);
  result.changes = spliced.changes;
  result.notes = version_notes;
  result.notes.insert(result.notes.end(), spliced.notes.begin(), spliced.notes.end());
  std::set<std::pair<std::string, std::string>> ours;
  for (const auto& change : spliced.changes) {
    ours.insert({change.package, change.target});
  }
  out.channel = spliced.channel;
  out.jobs = rewrite_upstream_urls(out.channel, ours, options, server_of(options.upstream));
  validate_result(out.channel, up.channel, up.name, result.notes);
  result.manifest_rewritten = !(out.channel == up.channel);
  out.toml = result.manifest_rewritten ? manifest::to_toml(out.channel) : up.bytes;
  return out;
}

// Our tarballs into dist/<date>/, each signed, with its sidecars.
void place_added(const Publisher& tree, const std::vector<PublishedArtifact>& artifacts,
                 const fs::path& dated, OverlayResult& result) {
  fs::create_directories(dated);
  for (const auto& artifact : artifacts) {
    fs::path dest = dated / artifact.path.filename();
    tree.sign(artifact.path);
    for (const char* suffix : {".sha256", ".asc", ""}) {
      fs::path from = artifact.path.string() + suffix;
      if (fs::exists(from)) {
        link_or_copy_atomically(from, dest.string() + suffix);
      }
    }
    result.added_files.push_back(
        {artifact.package, artifact.target, dest, artifact.sha256, artifact.size});
  }
}

std::optional<std::string> git_hash_of(const manifest::Channel& channel) {
  const auto rust = channel.packages.find("rust");
  return rust == channel.packages.end() ? std::nullopt : rust->second.git_commit_hash;
}

// The dated text files, provenance and SHA256SUMS; each name's channel manifest last. Upstream's
// signature is kept for a manifest whose bytes we did not change.
void write_dated_files(const Publisher& tree, const Upstream& up, const Overlaid& overlaid,
                       OverlayResult& result) {
  const fs::path& dated = result.dated_dir;
  result.signing_fingerprint = tree.fingerprint();
  std::optional<std::string> kept_signature;
  if (!result.manifest_rewritten) {
    kept_signature = up.signature;
  }
  const auto git_hash = git_hash_of(overlaid.channel);
  for (const auto& name : result.manifest_names) {
    tree.write_signed(dated, manifest::date_file(name), result.date);
    if (git_hash) {
      tree.write_signed(dated, manifest::git_hash_file(name), *git_hash);
    }
  }
  result.manifest_sha256 = signing::sha256_hex(overlaid.toml);
  result.provenance = dated / ("distbuild-provenance-" + result.manifest_names.front() + ".json");
  tree.write_signed(dated, result.provenance.filename().string(), provenance_json(result));
  for (const auto& name : result.manifest_names) {
    tree.write_signed(dated, manifest::manifest_file(name), overlaid.toml, kept_signature);
  }
  tree.write_sums(dated);
}

// Upstream's key beside ours: its signatures kept beside unchanged files verify with it.
std::vector<std::string> extra_public_keys(const OverlayOptions& options) {
  if (!options.upstream_key) {
    return {};
  }
  return {read_file_limited(*options.upstream_key, k_max_key_bytes, "a key file")};
}

} // namespace

namespace {

// The result names files where they were written, in the next generation; once it is swapped
// in they are at the same places under the tree's root.
void report_live_paths(const fs::path& written, const fs::path& root, OverlayResult& result) {
  const auto live = [&](fs::path& path) {
    const fs::path relative = path.lexically_relative(written);
    if (!path.empty() && !relative.empty() && *relative.begin() != "..") {
      path = root / relative;
    }
  };
  result.tree = root;
  live(result.dated_dir);
  live(result.provenance);
  for (auto& file : result.added_files) {
    live(file.path);
  }
  for (auto& file : result.mirrored) {
    live(file.path);
  }
}

} // namespace

OverlayResult run_overlay(const OverlayOptions& requested, Fetcher& fetcher) {
  OverlayOptions options = requested;
  options.base_url = check_base_url(options.base_url);
  check_tree_root(fs::absolute(options.out));  // before anything is fetched
  check_key_continuity(fs::absolute(options.out), options.signer, options.rotate_keys);
  OverlayResult result;
  const auto verifier = upstream_verifier(options);
  const Upstream up = fetch_upstream(options, fetcher, verifier.get(), result);
  Publisher tree({options.out, options.signer, ".distbuild-overlay-", TreeKind::Dist, options.log,
                  options.rotate_keys});
  // Everything is written in the tree's next generation, swapped in whole by commit_publish()
  // (tree/publish.hpp TreeGeneration), as dist does: a run that dies or fills the disk leaves
  // the tree as it was. Its downloads go with it; the next run fetches them again.
  tree.begin_publish();
  fs::create_directories(tree.dist());
  name_release(options, up, tree, result);
  const Overlaid overlaid = overlay_packages(options, up, tree.work_dir(), result);
  tree.log("mirror " + std::to_string(overlaid.jobs.size()) + " upstream files");
  UpstreamMirror(options, fetcher, verifier.get(), tree, result).mirror(overlaid.jobs, tree.dist());
  place_added(tree, overlaid.artifacts, result.dated_dir, result);
  write_dated_files(tree, up, overlaid, result);
  if (options.update_top_level) {
    result.top_level_updated = tree.update_top_level(
        result.dated_dir,
        {&overlaid.channel, up.channel_name, result.manifest_names,
         git_hash_of(overlaid.channel).has_value(), {}},
        result.notes);
  }
  // Complete like a dist tree: manifests.txt and the index page (which serve links to), each
  // with its .sha256 and, when signed, .asc.
  tree.append_manifests_txt(options.base_url, result.date, result.manifest_names);
  tree.write_key_files(extra_public_keys(options));
  tree.refresh_index_page();
  tree.refresh_tuf();
  const fs::path written = tree.target();
  tree.commit_publish();
  report_live_paths(written, tree.root(), result);
  return result;
}

} // namespace distbuild::builder
