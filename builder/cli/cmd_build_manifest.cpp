// `distbuild build-manifest <input-dir> <output-dir> <date> <upload-addr> <channel>`: Rust's own
// build-manifest command line and environment, so promote-release can call distbuild in its
// place. Each environment variable is also an option, for people typing the command.
#include "builder/cli/commands.hpp"

#include "builder/compat/build_manifest.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace distbuild::cli {

void register_build_manifest(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<builder::BuildManifestOptions>();
  auto* sub = app.add_subcommand(
      "build-manifest",
      "Write channel manifests for a release directory the way Rust's build-manifest does");
  sub->add_option("input-dir", options->input_dir,
                  "The release's files (promote-release's download dir)")
      ->required();
  sub->add_option("output-dir", options->output_dir, "Where the manifests go")->required();
  sub->add_option("date", options->date, "Release date YYYY-MM-DD")->required();
  sub->add_option("upload-addr", options->upload_addr,
                  "URL prefix of the dated directories, e.g. https://static.rust-lang.org/dist")
      ->required();
  sub->add_option("channel", options->channel, "stable, beta or nightly")->required();
  sub->add_option("--checksum-cache", options->checksum_cache,
                  "JSON cache of SHA-256 by path: read if it exists, written at the end")
      ->envname("BUILD_MANIFEST_CHECKSUM_CACHE");
  sub->add_option("--shipped-files", options->shipped_files,
                  "Write the names of the files the manifests reference (and the manifests)")
      ->envname("BUILD_MANIFEST_SHIPPED_FILES_PATH");
  sub->add_option("--threads", options->threads, "Hashing threads; 0 = all cores")
      ->envname("BUILD_MANIFEST_NUM_THREADS");
  sub->add_option("--target-specs", options->target_specs,
                  "Output of `rustc -Z unstable-options --print=all-target-specs-json` of the "
                  "release's compiler: the host/target lists then come from its tier metadata "
                  "as in upstream's build.rs (default: distbuild's table, 1.95.0's)")
      ->envname("DISTBUILD_TARGET_SPECS");
  sub->callback([options, &ctx] {
    auto result = builder::build_manifest(*options);
    if (ctx.json) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& path : result.written) files.push_back(path.string());
      std::cout << nlohmann::json{{"written", files},
                                  {"shipped", result.shipped},
                                  {"warnings", result.warnings},
                                  {"hashed", result.hashed},
                                  {"hashes_reused", result.hashes_reused}}
                       .dump(2)
                << "\n";
      return;
    }
    if (!ctx.quiet) {
      for (const auto& warning : result.warnings) {
        std::cerr << "distbuild: warning: " << warning << "\n";
      }
      for (const auto& path : result.written) std::cout << path.string() << "\n";
    }
  });
}

} // namespace distbuild::cli
