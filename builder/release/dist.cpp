// The dist pipeline (see dist.hpp for the order and why it is that order).
#include "builder/release/dist.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/publish.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/scoped_dir.hpp"
#include "builder/pack/pack_cache.hpp"
#include "manifest/channel.hpp"
#include "manifest/compose.hpp"
#include "manifest/validate.hpp"
#include "signing/sha256.hpp"
#include "builder/web/index_page.hpp"
#include "builder/tree/tree_signing.hpp"
#include "signing/signer.hpp"
#include "targets/components.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

namespace distbuild::builder {

namespace fs = std::filesystem;


namespace {

void log_line(const DistOptions& options, const std::string& line) {
  if (options.log) {
    options.log(line);
  }
}

} // namespace


namespace {

std::string derive_version(const DistOptions& options,
                           const std::vector<ComponentSource>& sources) {
  if (!options.version.empty()) {
    return options.version;
  }
  if (auto text = rustc_version_text(sources)) {
    return text->substr(0, text->find(' '));
  }
  if (options.channel == "nightly") {
    return "nightly";
  }
  throw Error(std::string("--version"),
              "no version given and no source records rustc's version; pass --version");
}


} // namespace


namespace {

// One release per channel per day (as upstream): republishing the same version is allowed
// (the bytes are reproducible), another version for the same date is refused.
void check_dated_slot(const fs::path& dated, const std::string& channel,
                      const std::string& version) {
  fs::path existing = dated / ("channel-rust-" + channel + ".toml");
  std::error_code ec;
  if (!fs::exists(existing, ec)) {
    return;
  }
  auto old = manifest::parse_channel(read_file(existing), existing.string());
  auto rust = old.packages.find("rust");
  std::string old_version = rust == old.packages.end() ? "" : rust->second.version;
  if (channel != "nightly" && old_version.substr(0, old_version.find(' ')) != version) {
    throw Error(existing, "already holds " + channel + " " + old_version +
                              " for this date; publish " + version + " with another --date");
  }
}

} // namespace

namespace {

// Bytes of the files below an image dir: the scheduling weight of a pack.
std::uint64_t image_bytes(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      std::uintmax_t size = it->file_size(size_ec);
      total += size_ec ? 0 : size;
    }
  }
  return total;
}

// How many packs run at once. Each pack already spreads its encoders over every core, but its
// tail (the last xz block, the last zstd job) runs on fewer; a second pack fills those cores.
// `best` packs one at a time: one best pack may take up to its 1 GiB bound
// (encoder_memory_bound(); README "Performance"), and two packs would double the peak.
unsigned concurrent_packs(const DistOptions& options, std::size_t jobs) {
  unsigned limit = options.profile == Profile::Best ? 1 : 2;
  return static_cast<unsigned>(std::min<std::size_t>(limit, std::max<std::size_t>(1, jobs)));
}

PackRequest dist_pack_request(const DistOptions& options, const ComponentSource& source,
                              const targets::ComponentKind& kind, const std::string& label,
                              const fs::path& staging,
                              const std::optional<fs::path>& cache_dir) {
  PackRequest request;
  request.package_name = targets::tarball_stem(kind, label, source.target);
  request.components.push_back({targets::installer_component_name(kind, source.target),
                                *source.image_dir, source.bulk_dirs});
  request.overlay_dir = source.overlay_dir;
  bool overlay_has_version = source.overlay_dir && fs::exists(*source.overlay_dir / "version");
  if (source.version && !overlay_has_version) {
    request.overlay_files["version"] = *source.version + "\n";
  }
  if (source.git_commit_hash &&
      !(source.overlay_dir && fs::exists(*source.overlay_dir / "git-commit-hash"))) {
    request.overlay_files["git-commit-hash"] = *source.git_commit_hash + "\n";
  }
  request.output_dir = staging;
  request.formats = options.formats;
  request.profile = options.profile;
  request.mtime = options.mtime;
  request.threads = options.threads;
  request.script.success_message = std::string(kind.tarball_name) + " installed.";
  request.cache_dir = cache_dir;
  request.progress = options.progress;
  return request;
}

} // namespace

// Image sources are packed largest first, up to concurrent_packs() at a time, so no core idles
// while the last component finishes; unchanged images come from the pack cache (pack_cache.hpp,
// off with --no-cache or DISTBUILD_NO_CACHE=1). Artifacts keep the sources' order whatever
// finishes first.
std::vector<PublishedArtifact> pack_and_collect(const DistOptions& options,
                                                const std::vector<ComponentSource>& sources,
                                                const std::string& label,
                                                const fs::path& staging) {
  std::vector<std::vector<PublishedArtifact>> per_source(sources.size());
  std::vector<std::optional<PackRequest>> requests(sources.size());
  const std::optional<fs::path> cache_dir =
      resolve_pack_cache_dir(options.cache_dir, options.no_cache);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const ComponentSource& source = sources[i];
    auto kind = targets::find_component(source.package);
    if (!kind) {
      throw Error(source.origin, "unknown package " + source.package);
    }
    if (source.image_dir) {
      requests[i] = dist_pack_request(options, source, *kind, label, staging, cache_dir);
      continue;
    }
    for (const auto& [format, path] : source.tarballs) {
      fs::path destination = staging / path.filename();
      log_line(options, "take " + path.string());
      link_or_copy_atomically(path, destination);
      std::string hex = signing::sha256_file_hex(destination);
      write_sha256_sidecar(destination, hex);
      per_source[i].push_back({source.package, source.target, format, destination,
                               fs::file_size(destination), hex, false});
    }
  }

  std::vector<std::pair<std::uint64_t, std::size_t>> order;  // (bytes, source index)
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (requests[i]) {
      order.emplace_back(image_bytes(*sources[i].image_dir), i);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  std::mutex mutex;  // guards the log and `failed`
  bool failed = false;
  std::vector<std::exception_ptr> errors(sources.size());
  std::atomic<std::size_t> next{0};
  auto log = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    log_line(options, line);
  };
  auto worker = [&] {
    for (std::size_t n = next++; n < order.size(); n = next++) {
      const std::size_t i = order[n].second;
      {
        std::lock_guard lock(mutex);
        if (failed) {
          return;
        }
      }
      try {
        const PackRequest& request = *requests[i];
        // A progress sink reports each pack itself (size, time, outputs, cache hits).
        if (options.progress == nullptr) {
          log("pack " + request.package_name);
        }
        PackResult result = pack(request);
        if (result.from_cache && options.progress == nullptr) {
          log("pack " + request.package_name + ": unchanged, taken from the cache");
        }
        if (result.cache_note) {
          log("pack " + request.package_name + ": " + *result.cache_note);
        }
        for (const auto& file : result.files) {
          write_sha256_sidecar(file.path, file.sha256);
          // A cache hit is a tarball taken as it was, like a --tarballs source: not packed now.
          per_source[i].push_back({sources[i].package, sources[i].target, file.format, file.path,
                                   file.size, file.sha256, !result.from_cache});
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  const unsigned workers = concurrent_packs(options, order.size());
  if (options.progress != nullptr) {
    options.progress->expect(order.size());
  }
  for (unsigned t = 1; t < workers; ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& thread : pool) {
    thread.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }

  std::vector<PublishedArtifact> artifacts;
  for (auto& list : per_source) {
    for (auto& artifact : list) {
      artifacts.push_back(std::move(artifact));
    }
  }
  return artifacts;
}

namespace {


std::optional<std::string> release_git_hash(const std::vector<ComponentSource>& sources) {
  for (const auto& source : sources) {
    if (source.package == "rustc" && source.git_commit_hash) {
      return source.git_commit_hash;
    }
  }
  return std::nullopt;
}


void sign_if_asked(const DistOptions& options, const fs::path& file) {
  if (options.signer != nullptr) {
    sign_one_file(*options.signer, file);
  }
}


} // namespace


namespace {

void regenerate_sums(const DistOptions& options, const fs::path& dir) {
  write_sha256sums(dir);
  sign_if_asked(options, dir / "SHA256SUMS");
}

// Renames the staging dir to dist/<date>, or merges into an existing dated dir (another channel
// published the same day): tarballs first, manifests last.
void publish_dated(const DistOptions& options, const fs::path& staging, const fs::path& dated,
                   const std::vector<std::string>& names, bool with_git_hash) {
  std::error_code ec;
  if (!fs::exists(dated, ec)) {
    fs::rename(staging, dated, ec);
    if (ec) {
      throw Error(dated, "cannot rename the staged release into place: " + ec.message());
    }
    return;
  }
  std::set<std::string> manifest_set;
  for (const auto& name : names) {
    for (const auto& file : manifest_files(name, with_git_hash)) {
      manifest_set.insert(file);
    }
  }
  std::vector<std::string> ordinary;
  for (const auto& entry : fs::directory_iterator(staging)) {
    std::string file = entry.path().filename().string();
    if (!is_sidecar(entry.path()) && file != "SHA256SUMS" && !manifest_set.count(file)) {
      ordinary.push_back(file);
    }
  }
  std::sort(ordinary.begin(), ordinary.end());
  for (const auto& file : ordinary) {
    move_with_sidecars(staging, dated, file);
  }
  for (const auto& name : names) {
    for (const auto& file : manifest_files(name, with_git_hash)) {
      move_with_sidecars(staging, dated, file);
    }
  }
  regenerate_sums(options, dated);
}

void append_manifests_txt(const DistOptions& options, const fs::path& root,
                          const std::vector<std::string>& names) {
  std::string prefix = options.base_url;
  auto scheme = prefix.find("://");
  if (scheme != std::string::npos) {
    prefix = prefix.substr(scheme + 3);
  }
  fs::path path = root / "manifests.txt";
  std::vector<std::string> lines;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::istringstream existing(read_file(path));
    for (std::string line; std::getline(existing, line);) {
      if (!line.empty()) {
        lines.push_back(line);
      }
    }
  }
  for (const auto& name : names) {
    std::string line = prefix + "/" + options.date + "/channel-rust-" + name + ".toml";
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
      lines.push_back(line);
    }
  }
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  write_with_sha256(root, "manifests.txt", text);
  sign_if_asked(options, path);
}

} // namespace

manifest::Channel compose_release(const ReleaseIdentity& release,
                                  const std::vector<ComponentSource>& sources,
                                  const std::vector<PublishedArtifact>& artifacts) {
  const std::string& version = release.version;
  manifest::ComposeInput input;
  input.date = release.date;
  input.channel = release.channel;
  input.rust_version = rustc_version_text(sources).value_or(version);
  for (const auto& source : sources) {
    if (source.package == "rustc" && source.git_commit_hash) {
      input.git_commit_hash = source.git_commit_hash;
    }
    manifest::BuiltComponent component;
    component.package = source.package;
    component.target = source.target;
    component.version = source.version.value_or(input.rust_version);
    component.git_commit_hash = source.git_commit_hash;
    for (const auto& artifact : artifacts) {
      if (artifact.package != source.package || artifact.target != source.target) {
        continue;
      }
      manifest::ArtifactRef ref{
          release.base_url + "/" + release.date + "/" + artifact.path.filename().string(),
          artifact.sha256};
      switch (artifact.format) {
        case Format::Gz: component.gz = ref; break;
        case Format::Xz: component.xz = ref; break;
        case Format::Zst: component.zst = ref; break;
      }
    }
    input.components.push_back(std::move(component));
  }
  manifest::Channel channel = manifest::compose_channel(input);
  auto problems = manifest::validate(channel);
  if (!problems.empty()) {
    std::string text = "the composed manifest breaks rustup's rules; nothing was written:";
    for (const auto& problem : problems) {
      text += "\n  " + problem;
    }
    throw Error(std::string("channel-rust-") + release.channel + ".toml", text);
  }
  return channel;
}

DistResult run_dist(const DistOptions& requested) {
  DistOptions options = requested;
  if (options.date.empty()) {
    options.date = today_utc();
  }
  // 1. Options and the tree, before anything is read or written.
  if (options.channel != "stable" && options.channel != "beta" && options.channel != "nightly") {
    throw Error(std::string("--channel"),
                "'" + options.channel + "' is not one of stable, beta, nightly");
  }
  if (!is_valid_date(options.date)) {
    throw Error(std::string("--date"), "'" + options.date + "' is not a YYYY-MM-DD date");
  }
  while (options.base_url.ends_with("/")) {
    options.base_url.pop_back();
  }
  if (options.base_url.find("://") == std::string::npos) {
    throw Error(std::string("--base-url"),
                "'" + options.base_url + "' is not an absolute URL (rustup rejects relative ones)");
  }
  const fs::path root = fs::absolute(options.out);
  check_tree_root(root);
  fs::create_directories(root);
  TreeLock lock(root);
  const fs::path dated = root / "dist" / options.date;

  // 2. Sources: every problem reported at once.
  ScopedDir work(root / (".distbuild-work-" + std::to_string(::getpid())));
  options.inputs.work_dir = work.path();
  log_line(options, "gather sources");
  std::vector<ComponentSource> sources = gather_sources(options.inputs);
  const std::string version = derive_version(options, sources);
  check_dated_slot(dated, options.channel, version);
  const std::string label = targets::version_label(options.channel, version);

  // 3. Tarballs into the staging dir.
  fs::create_directories(root / "dist");
  ScopedDir staging(root / "dist" / (".staging-" + options.date + "-" + std::to_string(::getpid())));
  DistResult result;
  result.tree = root;
  result.dated_dir = dated;
  result.channel = options.channel;
  result.version = version;
  result.date = options.date;
  result.artifacts = pack_and_collect(options, sources, label, staging.path());
  for (const auto& source : sources) {
    for (const auto& link : source.resolved_links) {
      result.notes.push_back(source.origin + ": symlink resolved into a regular file: " + link);
    }
  }

  // 4. The manifest, validated by rustup's rules before it is written anywhere.
  log_line(options, "compose channel-rust-" + options.channel + ".toml");
  manifest::Channel channel = compose_release(
      {options.channel, version, options.date, options.base_url}, sources, result.artifacts);
  const std::string toml = manifest::to_toml(channel);
  const auto git_hash = release_git_hash(sources);
  result.manifest_names = channel_manifest_names(options.channel, version);
  for (const auto& name : result.manifest_names) {
    write_with_sha256(staging.path(), "channel-rust-" + name + "-date.txt", options.date);
    if (git_hash) {
      write_with_sha256(staging.path(), "channel-rust-" + name + "-git-commit-hash.txt",
                        *git_hash);
    }
    result.manifest_sha256 =
        write_with_sha256(staging.path(), "channel-rust-" + name + ".toml", toml);
  }
  write_sha256sums(staging.path());
  if (options.signer != nullptr) {
    log_line(options, "sign with " + options.signer->fingerprint());
    for (const auto& entry : fs::directory_iterator(staging.path())) {
      if (entry.is_regular_file() && !is_sidecar(entry.path())) {
        sign_one_file(*options.signer, entry.path());
      }
    }
  }

  // 5. Publish: the dated directory in one rename, then the top level, manifests last.
  log_line(options, "publish dist/" + options.date);
  publish_dated(options, staging.path(), dated, result.manifest_names, git_hash.has_value());
  for (auto& artifact : result.artifacts) {
    artifact.path = dated / artifact.path.filename();
  }
  std::vector<std::string> top_names;
  for (const auto& name : result.manifest_names) {
    if (should_update_top_level(root / "dist" / ("channel-rust-" + name + ".toml"), channel,
                                options.channel, name)) {
      top_names.push_back(name);
    } else {
      result.notes.push_back("dist/channel-rust-" + name +
                             ".toml kept: it already points at a newer release");
    }
  }
  const fs::path top = root / "dist";
  if (std::find(top_names.begin(), top_names.end(), options.channel) != top_names.end()) {
    for (const auto& artifact : result.artifacts) {
      link_with_sidecars(dated, top, artifact.path.filename().string());
    }
  }
  for (const auto& name : top_names) {
    for (const auto& file : manifest_files(name, git_hash.has_value())) {
      link_with_sidecars(dated, top, file);
    }
  }
  regenerate_sums(options, top);
  append_manifests_txt(options, root, result.manifest_names);
  if (options.signer != nullptr) {
    write_key_files(*options.signer, root);
    result.signing_fingerprint = options.signer->fingerprint();
  }
  refresh_index_page(root);
  sign_if_asked(options, root / k_index_file);
  result.top_level_updated = top_names;
  return result;
}

} // namespace distbuild::builder
