// `distbuild build-manifest <input-dir> <output-dir> <date> <upload-addr> <channel>`: Rust's own
// build-manifest command line, so Rust's release pipeline can call distbuild in its place.
#include "builder/cli/commands.hpp"

#include "builder/release/build_manifest.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace distbuild::cli {

void register_build_manifest(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<builder::BuildManifestOptions>();
  auto* sub = app.add_subcommand(
      "build-manifest",
      "Write channel manifests for a directory of tarballs (build-manifest's command line)");
  sub->add_option("input-dir", options->input_dir, "Directory of installer tarballs")->required();
  sub->add_option("output-dir", options->output_dir, "Where the manifests go")->required();
  sub->add_option("date", options->date, "Release date YYYY-MM-DD")->required();
  sub->add_option("upload-addr", options->upload_addr,
                  "URL prefix of the dated directories, e.g. https://static.rust-lang.org/dist")
      ->required();
  sub->add_option("channel", options->channel, "stable, beta or nightly")->required();
  sub->callback([options, &ctx] {
    auto written = builder::build_manifest(*options);
    if (ctx.json) {
      nlohmann::json files = nlohmann::json::array();
      for (const auto& path : written) files.push_back(path.string());
      std::cout << nlohmann::json{{"written", files}}.dump(2) << "\n";
    } else if (!ctx.quiet) {
      for (const auto& path : written) std::cout << path.string() << "\n";
    }
  });
}

} // namespace distbuild::cli
