#include "builder/release/build_manifest.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/release/dist.hpp"
#include "builder/tree/error.hpp"
#include "manifest/channel.hpp"
#include "signing/sha256.hpp"
#include "manifest/release_name.hpp"

namespace distbuild::builder {

namespace fs = std::filesystem;

std::vector<fs::path> build_manifest(const BuildManifestOptions& options) {
  if (!manifest::is_valid_date(options.date)) {
    throw Error(options.date, "is not a YYYY-MM-DD date");
  }
  GatherOptions gather;
  gather.tarball_dirs = {options.input_dir};
  auto sources = gather_sources(gather);
  std::vector<PublishedArtifact> artifacts;
  for (const auto& source : sources) {
    for (const auto& [format, path] : source.tarballs) {
      artifacts.push_back({source.package, source.target, format, path, fs::file_size(path),
                           signing::sha256_file_hex(path), false});
    }
  }
  auto text = rustc_version_text(sources);
  std::string version = text ? text->substr(0, text->find(' ')) : options.channel;
  std::string base = options.upload_addr;
  while (base.ends_with("/")) {
    base.pop_back();
  }
  auto channel = compose_release({options.channel, version, options.date, base}, sources,
                                 artifacts);
  std::string toml = manifest::to_toml(channel);
  std::optional<std::string> git_hash;
  for (const auto& source : sources) {
    if (source.package == "rustc" && source.git_commit_hash) {
      git_hash = source.git_commit_hash;
    }
  }
  fs::create_directories(options.output_dir);
  std::vector<fs::path> written;
  for (const auto& name : manifest::pins_for(options.channel, version)) {
    const fs::path dir = options.output_dir;
    write_file_atomically(dir / manifest::date_file(name), options.date);
    written.push_back(dir / manifest::date_file(name));
    if (git_hash) {
      write_file_atomically(dir / manifest::git_hash_file(name), *git_hash);
      written.push_back(dir / manifest::git_hash_file(name));
    }
    write_file_atomically(dir / manifest::manifest_file(name), toml);
    written.push_back(dir / manifest::manifest_file(name));
  }
  return written;
}

} // namespace distbuild::builder
