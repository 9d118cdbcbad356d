// `distbuild overlay`: an upstream channel plus local packages, published as a signed tree.
#include "builder/cli/upstream_cli.hpp"
#include "builder/cli/progress_line.hpp"
#include "builder/cli/report.hpp"

#include "builder/tree/error.hpp"
#include "manifest/release_name.hpp"

#include <iostream>

namespace distbuild::cli {

namespace fs = std::filesystem;

namespace {

struct OverlayCli {
  builder::OverlayOptions options;
  UpstreamCli upstream;
  std::vector<fs::path> add;
  std::vector<std::string> components, exclude;
  std::string formats = "xz,zst";
  std::string profile = "balanced";
  std::optional<std::int64_t> mtime;
  bool no_mirror = false;
  SigningCli signing;
};

void print_human(const builder::OverlayResult& result) {
  for (const auto& note : result.notes) {
    std::cout << "note: " << note << "\n";
  }
  std::cout << result.channel << " " << result.version << " (" << result.date << ") from "
            << result.upstream_url << ", upstream signature " << result.upstream_signature
            << "\n";
  for (const auto& change : result.changes) {
    std::cout << "  " << manifest::splice_action_name(change.action) << " " << change.package
              << " for " << change.target << "\n";
  }
  std::size_t downloaded = 0;
  for (const auto& file : result.mirrored) {
    downloaded += file.downloaded ? 1 : 0;
  }
  std::cout << "  " << result.mirrored.size() << " upstream files in the tree (" << downloaded
            << " downloaded now), " << result.dropped.size() << " entries made unavailable\n";
  for (const auto& name : result.manifest_names) {
    std::cout << "  dist/" << result.date << "/channel-rust-" << name << ".toml\n";
  }
}

} // namespace

void add_upstream_options(CLI::App* sub, UpstreamCli& cli) {
  sub->add_option("--hosts", cli.hosts, "Serve only these hosts (default: all)")->delimiter(',');
  sub->add_option("--targets", cli.targets,
                  "Serve rust-std etc. only for these targets and the hosts (default: all)")
      ->delimiter(',');
  sub->add_option("--upstream-key", cli.upstream_key,
                  "Armored public key the upstream manifest's .asc must verify with (Rust's "
                  "release key for static.rust-lang.org)");
  sub->add_option("--base-url", cli.base_url,
                  "URL prefix written into the manifest for the tree's own files")
      ->capture_default_str();
  sub->add_option("--attempts", cli.attempts, "Tries per download before giving up")
      ->capture_default_str();
}

builder::FetchOptions fetch_options(const UpstreamCli& cli, const Context& ctx) {
  builder::FetchOptions options;
  options.attempts = cli.attempts;
  options.progress = !ctx.quiet && !ctx.json && is_tty_stderr();
  return options;
}

nlohmann::json fetch_stats_json(const builder::FetchStats& stats) {
  return {{"requests", stats.requests},           {"files_downloaded", stats.files_downloaded},
          {"files_present", stats.files_present}, {"retries", stats.retries},
          {"resumed", stats.resumed},             {"bytes", stats.bytes}};
}

nlohmann::json overlay_result_json(const builder::OverlayResult& result) {
  nlohmann::json doc = nlohmann::json::parse(builder::provenance_json(result));
  nlohmann::json mirrored = nlohmann::json::array();
  for (const auto& file : result.mirrored) {
    mirrored.push_back({{"url", file.url},
                        {"path", file.path.string()},
                        {"sha256", file.sha256},
                        {"size", file.size},
                        {"downloaded", file.downloaded},
                        {"upstream_signature", file.upstream_signature}});
  }
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& name : result.manifest_names) {
    manifests.push_back((result.dated_dir / manifest::manifest_file(name)).string());
  }
  doc["tree"] = result.tree.string();
  doc["date"] = result.date;
  doc["dated_dir"] = result.dated_dir.string();
  doc["manifests"] = manifests;
  doc["top_level_updated"] = result.top_level_updated;
  doc["mirrored"] = mirrored;
  doc["provenance"] = result.provenance.string();
  doc["notes"] = result.notes;
  return doc;
}

void register_overlay(CLI::App& app, Context& ctx) {
  auto cli = std::make_shared<OverlayCli>();
  auto* sub = app.add_subcommand(
      "overlay", "Take an upstream channel manifest, add locally built packages (fill what "
                 "upstream lacks, add targets), mirror the rest and publish a signed tree");
  sub->add_option("--upstream", cli->options.upstream,
                  "URL or path of the upstream channel-rust-*.toml")
      ->required();
  sub->add_option("--add", cli->add,
                  "Packages to add: a directory of tarballs, of staged images, or an installed "
                  "toolchain (repeatable)");
  sub->add_option("--components", cli->components, "Only these packages of the --add inputs")
      ->delimiter(',');
  sub->add_option("--exclude", cli->exclude, "Leave these packages of the --add inputs out")
      ->delimiter(',');
  sub->add_flag("--replace", cli->options.replace,
                "Replace packages upstream already has available");
  sub->add_flag("--no-mirror", cli->no_mirror,
                "Do not copy upstream's files; the manifest points at the upstream server");
  sub->add_option("--out", cli->options.out, "The tree's root directory")->required();
  sub->add_option("--formats", cli->formats, "Formats for packing added images")
      ->capture_default_str();
  sub->add_option("--profile", cli->profile, k_profile_help)->capture_default_str();
  sub->add_option("--mtime", cli->mtime,
                  "Timestamp of every tar entry of packed images; default: SOURCE_DATE_EPOCH, "
                  "else 1153704088");
  sub->add_option("--threads", cli->options.threads, "Compression threads; 0 = all cores")
      ->capture_default_str();
  add_upstream_options(sub, cli->upstream);
  add_signing_options(sub, cli->signing);
  sub->callback([cli, &ctx] {
    builder::OverlayOptions& options = cli->options;
    for (const auto& path : cli->add) {
      builder::add_input(options.add, path);
    }
    options.add.only_packages = cli->components;
    options.add.skip_packages = cli->exclude;
    options.selection = {cli->upstream.hosts, cli->upstream.targets};
    options.upstream_key = cli->upstream.upstream_key;
    options.base_url = cli->upstream.base_url;
    options.mirror = !cli->no_mirror;
    options.formats = builder::parse_format_list(cli->formats);
    options.profile = builder::parse_profile_or_throw(cli->profile);
    options.mtime = resolve_mtime(cli->mtime);
    auto signer = make_signer(cli->signing, ctx);
    options.signer = signer.get();
    options.rotate_keys = cli->signing.rotate_keys;
    if (!ctx.quiet && !ctx.json && ctx.verbose) {
      options.log = [](const std::string& line) { std::cerr << "distbuild: " << line << "\n"; };
    }
    ProgressLine progress(std::cerr, stderr_progress_options(ctx));
    options.progress = &progress;
    builder::Fetcher fetcher(fetch_options(cli->upstream, ctx));
    auto result = builder::run_overlay(options, fetcher);
    progress.clear();
    if (ctx.json) {
      auto doc = overlay_result_json(result);
      doc["fetch"] = fetch_stats_json(fetcher.stats());
      std::cout << doc.dump(2) << "\n";
    } else if (!ctx.quiet) {
      print_human(result);
    }
  });
}

} // namespace distbuild::cli
