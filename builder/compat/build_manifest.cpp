// build_manifest(): compose (build_manifest_compose.cpp), hash every named file through the
// checksum cache, then write the channel files for the channel and its pins, the shipped-files
// list and the cache, in upstream's order. Everything that can fail on input happens before the
// first write.
#include "builder/compat/build_manifest.hpp"

#include "builder/compat/build_manifest_checksums.hpp"
#include "builder/compat/build_manifest_compose.hpp"
#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "manifest/artifact_format.hpp"
#include "manifest/release_name.hpp"
#include "manifest/validate.hpp"

#include <set>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Every url/hash pair of the manifest (packages: gz and xz; artifacts), in a stable order.
template <typename Visit>
void for_each_file_hash(manifest::Channel& channel, Visit visit) {
  for (auto& [name, package] : channel.packages) {
    for (auto& [triple, entry] : package.targets) {
      for (const auto& format : manifest::artifact_formats()) {
        if (format.entry_ref != nullptr && entry.*format.entry_ref) {
          visit((entry.*format.entry_ref)->url, (entry.*format.entry_ref)->hash);
        }
      }
    }
  }
  for (auto& [name, targets] : channel.artifacts) {
    for (auto& [triple, files] : targets) {
      for (auto& file : files) {
        visit(file.url, file.hash_sha256);
      }
    }
  }
}

// channel-rust-<name> for the channel and its pins (upstream's Builder::build): stable adds
// 1.95.0 and 1.95, beta adds 1.96.0-beta.3, 1.96.0-beta and 1.96-beta.
std::vector<std::string> manifest_names(const std::string& channel, const UpstreamManifest& m) {
  if (channel == "stable") {
    return manifest::pins_for(channel, m.label);
  }
  if (channel == "beta") {
    std::string version = m.rust_version.substr(0, m.rust_version.find(' '));
    return manifest::pins_for(channel, version);
  }
  return {channel};
}

} // namespace

BuildManifestResult build_manifest(const BuildManifestOptions& options) {
  if (!manifest::is_valid_date(options.date)) {
    throw Error(options.date, "is not a YYYY-MM-DD date");
  }
  UpstreamInput input{options.input_dir, options.date, options.upload_addr, options.channel,
                      options.target_specs ? upstream_targets_from_specs(*options.target_specs)
                                           : builtin_upstream_targets()};
  UpstreamManifest composed = compose_upstream_manifest(input);
  std::vector<std::string> names = manifest_names(options.channel, composed);
  if (!composed.git_commit_hash) {
    throw Error(composed.rust_tarball,
                "has no git-commit-hash file: build-manifest writes channel-rust-" +
                    options.channel + "-git-commit-hash.txt from it");
  }

  // The two metadata files are written last: make sure they can be, before anything is.
  for (const auto& file : {options.checksum_cache, options.shipped_files}) {
    std::error_code ec;
    fs::path dir = file ? fs::absolute(*file).parent_path() : fs::path();
    if (file && !fs::is_directory(dir, ec)) {
      throw Error(*file, "its directory " + dir.string() + " does not exist");
    }
  }
  ChecksumCache checksums(options.checksum_cache);
  std::vector<fs::path> files;
  for (const std::string& name : composed.shipped) {
    files.push_back(options.input_dir / name);
  }
  checksums.fill(files, options.threads);
  for_each_file_hash(composed.channel, [&](const std::string& url, std::string& hash) {
    hash = checksums.hash_of(options.input_dir / url_file_name(url));
  });

  BuildManifestResult result;
  result.warnings = manifest::validate(composed.channel);
  result.hashed = checksums.computed();
  result.hashes_reused = checksums.reused();
  std::string toml = manifest::to_toml(composed.channel);
  std::error_code ec;
  fs::create_directories(options.output_dir, ec);
  if (ec) {
    throw Error(options.output_dir, "cannot create: " + ec.message());
  }
  std::set<std::string> shipped = composed.shipped;
  for (const std::string& name : names) {
    for (const auto& [file, text] :
         {std::pair<std::string, const std::string*>{manifest::manifest_file(name), &toml},
          {manifest::date_file(name), &options.date},
          {manifest::git_hash_file(name), &*composed.git_commit_hash}}) {
      fs::path path = options.output_dir / file;
      write_file_atomically(path, *text);
      result.written.push_back(path);
      shipped.insert(file);
    }
  }
  result.shipped.assign(shipped.begin(), shipped.end());
  if (options.shipped_files) {
    std::string list;
    for (const std::string& name : result.shipped) {
      list += (list.empty() ? "" : "\n") + name;
    }
    write_file_atomically(*options.shipped_files, list + "\n");
  }
  checksums.store();
  return result;
}

} // namespace distbuild::builder
