// `distbuild rustup`: publish a rustup-init into the tree's self-update part (rustup/), so the
// mirror pins rustup itself; `rustup self update` with RUSTUP_UPDATE_ROOT=<server>/rustup
// fetches it.
#include "builder/cli/commands.hpp"
#include "builder/cli/report.hpp"

#include "builder/release/rustup_tree.hpp"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distbuild::cli {

namespace {

nlohmann::json file_json(const builder::RustupPublishedFile& file) {
  return {{"path", file.path.string()},
          {"size", file.size},
          {"sha256", file.sha256},
          {"sha256_file", file.path.string() + ".sha256"},
          {"signature", file.signed_file ? file.path.string() + ".asc" : ""}};
}

void report(const builder::RustupPublishResult& result, Context& ctx) {
  auto doc = [&] {
    return nlohmann::json{{"tree", result.tree.string()},
                          {"version", result.version},
                          {"target", result.target},
                          {"archived", file_json(result.archived)},
                          {"latest", result.latest ? file_json(*result.latest) : nullptr},
                          {"release_file", file_json(result.release_file)},
                          {"release_version", result.release_version},
                          {"release_updated", result.release_updated},
                          {"notes", result.notes},
                          {"signing_fingerprint", result.signing_fingerprint}};
  };
  if (report_json_or_notes(ctx, doc, result.notes)) {
    return;
  }
  std::cout << "rustup " << result.version << " for " << result.target << ":\n"
            << "  " << result.archived.path.string() << "\n";
  if (result.latest) {
    std::cout << "  " << result.latest->path.string() << "\n";
  }
  std::cout << "  " << result.release_file.path.string() << " offers " << result.release_version
            << "\n\nUpdate rustup from it:\n"
            << "  export RUSTUP_UPDATE_ROOT=<server>/rustup   (or file://"
            << (result.tree / "rustup").string() << ")\n"
            << "  rustup self update\n";
}

} // namespace

void register_rustup(CLI::App& app, Context& ctx) {
  struct RustupCli {
    builder::RustupPublishOptions options;
    SigningCli signing;
    std::unique_ptr<signing::Signer> signer;
  };
  auto cli = std::make_shared<RustupCli>();
  auto* sub = app.add_subcommand(
      "rustup", "Publish a rustup-init for `rustup self update` (rustup/archive/<version>/, "
                "rustup/dist/, release-stable.toml; never moves release-stable.toml back)");
  sub->add_option("--tree", cli->options.tree, "The tree's root directory (created if missing)")
      ->required();
  sub->add_option("--binary", cli->options.binary, "The rustup-init binary to publish")
      ->required();
  sub->add_option("--version", cli->options.version, "Its version (semver, e.g. 1.29.0)")
      ->required();
  sub->add_option("--target", cli->options.target,
                  "The triple it runs on (Windows triples publish rustup-init.exe)")
      ->required();
  add_signing_options(sub, cli->signing);
  sub->callback([cli, &ctx] {
    cli->signer = make_signer(cli->signing, ctx);
    cli->options.signer = cli->signer.get();
    cli->options.rotate_keys = cli->signing.rotate_keys;
    report(builder::publish_rustup(cli->options), ctx);
  });
}

} // namespace distbuild::cli
