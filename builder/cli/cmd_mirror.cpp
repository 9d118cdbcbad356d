// `distbuild mirror`: a selective, incremental, verified copy of upstream channels.
#include "builder/cli/upstream_cli.hpp"
#include "builder/cli/report.hpp"

#include <iostream>

namespace distbuild::cli {

namespace {

struct MirrorCli {
  builder::MirrorOptions options;
  UpstreamCli upstream;
  SigningCli signing;
};

} // namespace

void register_mirror(CLI::App& app, Context& ctx) {
  auto cli = std::make_shared<MirrorCli>();
  auto* sub = app.add_subcommand(
      "mirror", "Mirror channels of a dist server (selected hosts/targets only), checking every "
                "hash, skipping what is already there, re-signing rewritten manifests");
  sub->add_option("--upstream", cli->options.upstream,
                  "The dist server, as RUSTUP_DIST_SERVER names it (http(s) URL or a tree path)")
      ->required();
  sub->add_option("--channels", cli->options.channels,
                  "stable, beta, nightly, 1.95.0, 1.95, nightly-2026-04-16, ...")
      ->delimiter(',')
      ->required();
  sub->add_option("--out", cli->options.out, "The tree's root directory")->required();
  sub->add_option("--upstream-tuf-root", cli->options.upstream_tuf_root,
                  "The upstream's TUF root.json to trust: its TUF metadata (<upstream>/tuf/) is "
                  "verified before anything is mirrored, every manifest must match its targets, "
                  "and older metadata than a previous mirror run saw is refused")
      ->check(CLI::ExistingFile);
  add_upstream_options(sub, cli->upstream);
  add_signing_options(sub, cli->signing);
  sub->callback([cli, &ctx] {
    builder::MirrorOptions& options = cli->options;
    options.selection = {cli->upstream.hosts, cli->upstream.targets};
    options.upstream_key = cli->upstream.upstream_key;
    options.base_url = cli->upstream.base_url;
    auto signer = make_signer(cli->signing, ctx);
    options.signer = signer.get();
    options.rotate_keys = cli->signing.rotate_keys;
    if (!ctx.quiet && !ctx.json && ctx.verbose) {
      options.log = [](const std::string& line) { std::cerr << "distbuild: " << line << "\n"; };
    }
    builder::Fetcher fetcher(fetch_options(cli->upstream, ctx));
    auto result = builder::run_mirror(options, fetcher);
    if (ctx.json) {
      nlohmann::json channels = nlohmann::json::array();
      for (const auto& channel : result.channels) {
        channels.push_back(overlay_result_json(channel));
      }
      std::cout << nlohmann::json{{"tree", options.out.string()},
                                  {"channels", channels},
                                  {"fetch", fetch_stats_json(result.fetch)},
                                  {"upstream_tuf", result.upstream_tuf.empty()
                                                       ? nlohmann::json(nullptr)
                                                       : nlohmann::json(result.upstream_tuf)}}
                       .dump(2)
                << "\n";
      return;
    }
    if (ctx.quiet) {
      return;
    }
    if (!result.upstream_tuf.empty()) {
      std::cout << "upstream TUF metadata verified: " << result.upstream_tuf << "\n";
    }
    for (const auto& channel : result.channels) {
      for (const auto& note : channel.notes) {
        std::cout << "note: " << note << "\n";
      }
      std::cout << channel.upstream_url << ": " << channel.channel << " " << channel.version
                << " (" << channel.date << "), " << channel.mirrored.size() << " files, "
                << channel.dropped.size() << " entries made unavailable, manifest "
                << (channel.manifest_rewritten ? "rewritten and signed locally" : "unchanged")
                << "\n";
    }
    std::cout << result.fetch.files_downloaded << " files downloaded, "
              << result.fetch.files_present << " already present, " << result.fetch.retries
              << " retries\n";
  });
}

} // namespace distbuild::cli
