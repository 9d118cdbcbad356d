// The dist pipeline (see dist.hpp for the order and why it is that order): run_dist at the bottom
// reads as the recipe, one call per step; each step is a function above it.
#include "builder/release/dist.hpp"

#include "builder/pack/pack_cache.hpp"

#include "builder/release/input_checks.hpp"
#include "builder/release/publisher.hpp"
#include "builder/release/split_slot.hpp"
#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "manifest/channel.hpp"
#include "manifest/compose.hpp"
#include "manifest/validate.hpp"
#include "targets/components.hpp"
#include "manifest/release_name.hpp"

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Step 1: the options, before anything is read or written (an empty channel, version or date is
// the inputs', settled in step 2).
DistOptions check_dist_options(const DistOptions& requested) {
  DistOptions options = requested;
  if (!options.channel.empty() && options.channel != "stable" && options.channel != "beta" &&
      options.channel != "nightly") {
    throw Error(std::string("--channel"),
                "'" + options.channel + "' is not one of stable, beta, nightly");
  }
  if (!options.date.empty() && !manifest::is_valid_date(options.date)) {
    throw Error(std::string("--date"), "'" + options.date + "' is not a YYYY-MM-DD date");
  }
  options.base_url = check_base_url(options.base_url);
  return options;
}

// A tree root this run creates is removed again when the run is refused: nothing written.
class NewRootGuard {
public:
  explicit NewRootGuard(const fs::path& root) {
    std::error_code ec;
    if (!fs::exists(root, ec)) {
      m_root = fs::absolute(root);
    }
  }
  ~NewRootGuard() {
    if (!m_root.empty()) {
      std::error_code ignored;
      fs::remove_all(m_root, ignored);
    }
  }
  NewRootGuard(const NewRootGuard&) = delete;
  NewRootGuard& operator=(const NewRootGuard&) = delete;
  void release() { m_root.clear(); }

private:
  fs::path m_root;
};

// One release per channel per day (as upstream): republishing the same version is allowed
// (the bytes are reproducible), another version for the same date is refused.
void check_dated_slot(const fs::path& dated, const std::string& channel,
                      const std::string& version) {
  fs::path existing = dated / manifest::manifest_file(channel);
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

struct Release {
  std::vector<ComponentSource> sources;
  std::string channel, version, date;  // given, else what the inputs say (input_checks.hpp)
  std::string label;  // the version part of tarball names: 1.95.0, beta, nightly
  std::vector<std::string> notes, warnings;
};

// Step 2: the sources and every option checked against them (every problem reported at once,
// before anything is packed), and the date's slot.
Release gather_release(DistOptions options, const Publisher& tree) {
  options.inputs.work_dir = tree.work_dir();
  if (auto cache = resolve_pack_cache_dir(options.cache_dir, options.no_cache)) {
    options.inputs.split_cache = split_cache_of(*cache);
  }
  tree.log("gather sources");
  CheckedInputs checked =
      gather_and_check(options.inputs, {options.channel, options.version, options.date});
  Release release{std::move(checked.sources), checked.channel, checked.version, checked.date,
                  "", std::move(checked.notes), std::move(checked.warnings)};
  check_dated_slot(tree.dist() / release.date, release.channel, release.version);
  release.label = targets::version_label(release.channel, release.version);
  return release;
}

std::optional<std::string> release_git_hash(const std::vector<ComponentSource>& sources) {
  for (const auto& source : sources) {
    if (source.package == "rustc" && source.git_commit_hash) {
      return source.git_commit_hash;
    }
  }
  return std::nullopt;
}

std::vector<std::string> resolved_link_notes(const std::vector<ComponentSource>& sources) {
  std::vector<std::string> notes;
  for (const auto& source : sources) {
    for (const auto& link : source.resolved_links) {
      notes.push_back(source.origin + ": symlink resolved into a regular file: " + link);
    }
  }
  return notes;
}

// Step 5: each manifest name's files (date, git hash, the manifest) and SHA256SUMS in staging.
// Returns the manifest's SHA-256.
std::string write_release_files(const fs::path& staging, const std::vector<std::string>& names,
                                 const std::string& date, const std::string& toml,
                                 const std::optional<std::string>& git_hash) {
  std::string manifest_sha256;
  for (const auto& name : names) {
    write_with_sha256(staging, manifest::date_file(name), date);
    if (git_hash) {
      write_with_sha256(staging, manifest::git_hash_file(name), *git_hash);
    }
    manifest_sha256 = write_with_sha256(staging, manifest::manifest_file(name), toml);
  }
  write_sha256sums(staging);
  return manifest_sha256;
}

std::vector<std::string> file_names(const std::vector<PublishedArtifact>& artifacts) {
  std::vector<std::string> names;
  for (const auto& artifact : artifacts) {
    names.push_back(artifact.path.filename().string());
  }
  return names;
}

} // namespace

std::string check_base_url(std::string base_url) {
  while (base_url.ends_with("/")) {
    base_url.pop_back();
  }
  if (base_url.find("://") == std::string::npos) {
    throw Error(std::string("--base-url"),
                "'" + base_url + "' is not an absolute URL (rustup rejects relative ones)");
  }
  return base_url;
}

PackJobOptions pack_job_options(const DistOptions& options) {
  PackJobOptions jobs;
  jobs.formats = options.formats;
  jobs.profile = options.profile;
  jobs.mtime = options.mtime;
  jobs.threads = options.threads;
  jobs.memory_limit = options.memory_limit;
  jobs.cache_dir = options.cache_dir;
  jobs.no_cache = options.no_cache;
  jobs.log = options.log;
  jobs.progress = options.progress;
  return jobs;
}

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
    attach_artifacts(component, artifacts, release.base_url, release.date);
    input.components.push_back(std::move(component));
  }
  manifest::Channel channel = manifest::compose_channel(input);
  auto problems = manifest::validate(channel);
  if (!problems.empty()) {
    std::string text = "the composed manifest breaks rustup's rules; nothing was written:";
    for (const auto& problem : problems) {
      text += "\n  " + problem;
    }
    throw Error(manifest::manifest_file(release.channel), text);
  }
  return channel;
}

DistResult run_dist(const DistOptions& requested) {
  DistOptions options = check_dist_options(requested);
  NewRootGuard new_root(options.out);
  Publisher tree({options.out, options.signer, ".distbuild-work-", TreeKind::Dist, options.log,
                  options.rotate_keys});
  const Release release = gather_release(options, tree);
  options.channel = release.channel;
  options.date = release.date;
  const fs::path& staging = tree.stage(options.date);
  DistResult result;
  result.tree = tree.root();
  result.dated_dir = tree.dist() / options.date;
  result.channel = options.channel;
  result.version = release.version;
  result.date = options.date;
  result.artifacts = pack_and_collect(pack_job_options(options), release.sources, release.label,
                                      staging);
  result.notes = release.notes;
  for (const auto& note : resolved_link_notes(release.sources)) {
    result.notes.push_back(note);
  }
  result.warnings = release.warnings;

  tree.log("compose " + manifest::manifest_file(options.channel));
  const manifest::Channel channel = compose_release(
      {options.channel, release.version, options.date, options.base_url}, release.sources,
      result.artifacts);
  const auto git_hash = release_git_hash(release.sources);
  result.manifest_names = manifest::pins_for(options.channel, release.version);
  result.manifest_sha256 = write_release_files(staging, result.manifest_names, options.date,
                                               manifest::to_toml(channel), git_hash);
  tree.sign_files_in(staging);

  // Everything from here on is written in the tree's next generation, swapped in whole by
  // commit_publish() (tree/publish.hpp TreeGeneration): a run that dies leaves the tree as it was.
  tree.begin_publish();
  const fs::path dated = tree.dist() / options.date;
  tree.log("publish dist/" + options.date);
  tree.move_dated(staging, dated, result.manifest_names, git_hash.has_value());
  for (auto& artifact : result.artifacts) {
    artifact.path = result.dated_dir / artifact.path.filename();
  }
  result.top_level_updated = tree.update_top_level(
      dated, {&channel, options.channel, result.manifest_names, git_hash.has_value(),
              file_names(result.artifacts)},
      result.notes);
  tree.append_manifests_txt(options.base_url, options.date, result.manifest_names);
  tree.write_key_files();
  result.signing_fingerprint = tree.fingerprint();
  tree.refresh_index_page();
  tree.refresh_tuf();
  tree.commit_publish();
  new_root.release();
  return result;
}

} // namespace distbuild::builder
