// `distbuild dist` and `distbuild quickstart` (the README's main job: a tree from the stable
// toolchain installed on this machine, with nothing to configure).
#include "builder/cli/commands.hpp"
#include "builder/cli/progress_line.hpp"
#include "builder/cli/report.hpp"

#include "builder/pack/pack_cache.hpp"
#include "builder/release/dist.hpp"
#include "builder/release/installed_toolchain.hpp"
#include "builder/tree/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <iostream>

namespace distbuild::cli {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_channel_help =
    "Release channel: stable, beta or nightly; default: the channel of the inputs' version "
    "(1.96.0-beta.3 is beta), else stable";
constexpr const char* k_version_help =
    "Release version (1.95.0, 1.96.0-beta.3, 1.97.0-nightly); must be the inputs' version; "
    "default: the inputs' version (version files, `rustc -vV`, std rlib metadata, tarball names)";
constexpr const char* k_date_help =
    "Release date YYYY-MM-DD; default: an installed toolchain's own date, else the date in "
    "rustc's version text, else today (UTC)";
constexpr const char* k_host_help =
    "Host triple of a --from prefix whose host cannot be detected (default: detected from "
    "lib/rustlib/<triple>/ and bin/rustc)";
constexpr const char* k_components_help =
    "Only these packages (rustc,rust-std,cargo,clippy,...); default: all found";
constexpr const char* k_exclude_help = "Leave these packages out; default: none";
constexpr const char* k_base_url_help =
    "URL prefix written into the manifest; rustup rewrites the default to RUSTUP_DIST_SERVER, "
    "so the tree can be hosted anywhere unchanged";

struct DistCli {
  builder::DistOptions options;
  std::string formats = "gz,xz,zst";
  std::string profile = "balanced";
  std::optional<std::int64_t> mtime;
  std::vector<std::string> components, exclude, targets;
  bool no_arch_check = false;
  SigningCli signing;
  std::unique_ptr<signing::Signer> signer;
  std::unique_ptr<ProgressLine> progress;  // stderr: live line, plain lines or nothing
};

void add_common_options(CLI::App* sub, DistCli& cli) {
  sub->add_option("--channel", cli.options.channel, k_channel_help);
  sub->add_option("--version", cli.options.version, k_version_help);
  sub->add_option("--date", cli.options.date, k_date_help);
  sub->add_option("--host", cli.options.inputs.host, k_host_help);
  sub->add_option("--base-url", cli.options.base_url, k_base_url_help)->capture_default_str();
  sub->add_option("--formats", cli.formats, "Tarball formats to produce (gz,xz,zst)")
      ->capture_default_str();
  sub->add_option("--profile", cli.profile, k_profile_help)->capture_default_str();
  sub->add_option("--mtime", cli.mtime,
                  "Timestamp of every tar entry; default: SOURCE_DATE_EPOCH, else 1153704088");
  sub->add_option("--threads", cli.options.threads, "Compression threads; 0 = all cores")
      ->capture_default_str();
  sub->add_option_function<std::string>(
      "--memory-limit",
      [&cli](const std::string& text) {
        auto bytes = builder::parse_byte_size(text);
        if (!bytes || *bytes == 0) {
          throw builder::Error(std::string("--memory-limit"),
                               "'" + text + "' is not a size such as 4G or 512M");
        }
        cli.options.memory_limit = *bytes;
      },
      "Memory the encoders may take in all (4G, 512M): as many packs run at once as cores and "
      "this allow; default: half of the machine's memory");
  sub->add_option("--components", cli.components, k_components_help)->delimiter(',');
  sub->add_option("--exclude", cli.exclude, k_exclude_help)->delimiter(',');
  sub->add_option("--targets", cli.targets, "Only these targets; default: all found")
      ->delimiter(',');
  sub->add_flag("--no-arch-check", cli.no_arch_check,
                "Pack images even when their ELF files are not built for the image's target");
  sub->add_option_function<std::string>(
      "--cache-dir", [&cli](const std::string& dir) { cli.options.cache_dir = fs::path(dir); },
      "Pack cache directory; default: $DISTBUILD_CACHE_DIR, else "
      "$XDG_CACHE_HOME/distbuild/pack, else ~/.cache/distbuild/pack");
  sub->add_flag("--no-cache", cli.options.no_cache,
                "Pack every component, neither reading nor filling the pack cache (as "
                "DISTBUILD_NO_CACHE=1)");
  add_signing_options(sub, cli.signing);
}

void finish_options(DistCli& cli, Context& ctx) {
  cli.options.formats = builder::parse_format_list(cli.formats);
  cli.options.profile = builder::parse_profile_or_throw(cli.profile);
  cli.options.mtime = resolve_mtime(cli.mtime);
  cli.options.inputs.only_packages = cli.components;
  cli.options.inputs.skip_packages = cli.exclude;
  cli.options.inputs.only_targets = cli.targets;
  cli.options.inputs.arch_check = !cli.no_arch_check;
  cli.signer = make_signer(cli.signing, ctx);
  cli.options.signer = cli.signer.get();
  cli.options.rotate_keys = cli.signing.rotate_keys;
  cli.progress = std::make_unique<ProgressLine>(std::cerr, stderr_progress_options(ctx));
  if (!ctx.quiet && !ctx.json) {
    ProgressLine* progress = cli.progress.get();
    cli.options.log = [progress](const std::string& line) { progress->log(line); };
    cli.options.progress = progress;
  }
}

void report(const builder::DistResult& result, Context& ctx) {
  if (report_json_or_notes(ctx, [&] { return dist_result_json(result); }, result.notes)) {
    return;
  }
  for (const auto& warning : result.warnings) {
    std::cerr << "warning: " << warning << "\n";
  }
  std::cout << "tree: " << result.tree.string() << "\n"
            << "release: " << result.channel << " " << result.version << " (" << result.date
            << "), " << result.artifacts.size() << " tarballs in dist/" << result.date << "/\n";
  for (const auto& name : result.manifest_names) {
    std::cout << "  dist/" << result.date << "/channel-rust-" << name << ".toml\n";
  }
  std::cout << "\nInstall from it with rustup:\n"
            << "  export RUSTUP_DIST_SERVER=file://" << result.tree.string() << "\n";
  std::string toolchain = result.channel == "nightly" ? "nightly-" + result.date
                                                      : result.version;
  std::cout << "  rustup toolchain install " << toolchain << " --profile minimal\n"
            << "(or serve it over http and point RUSTUP_DIST_SERVER at the server)\n";
}

} // namespace

void register_dist(CLI::App& app, Context& ctx) {
  auto cli = std::make_shared<DistCli>();
  auto* sub = app.add_subcommand(
      "dist", "Build a complete dist tree (tarballs, manifests, pins, checksums) from staged "
              "images, installed toolchains or tarballs made by `pack`");
  sub->add_option("--out", cli->options.out, "The tree's root directory (created if missing)")
      ->required();
  sub->add_option("--stage", cli->options.inputs.stage_dirs,
                  "Staged images <stage>/<package>/<target>/ (+ <target>.overlay/)");
  sub->add_option("--toolchain", cli->options.inputs.toolchain_dirs,
                  "An installed toolchain (rustup's or install.sh's), split into components");
  sub->add_option("--tarballs", cli->options.inputs.tarball_dirs,
                  "A directory of installer tarballs made by `distbuild pack`");
  sub->add_option("--from", cli->options.inputs.from_dirs,
                  "A Rust build tree (build/<host>/stage2...) or an install prefix");
  add_common_options(sub, *cli);
  sub->callback([cli, &ctx] {
    finish_options(*cli, ctx);
    report(builder::run_dist(cli->options), ctx);
  });

  auto quick = std::make_shared<DistCli>();
  quick->options.profile = builder::Profile::Fast;
  quick->profile = "fast";
  quick->components = {"rustc", "rust-std", "cargo", "clippy-preview", "rustfmt-preview"};
  auto* qs = app.add_subcommand(
      "quickstart",
      "The built-in default job: a signed tree from the stable toolchain rustup installed on "
      "this machine (fast profile), and the lines to install from it");
  qs->add_option("--out", quick->options.out, "The tree's root directory")
      ->default_val("out/tree");
  qs->callback([quick, &ctx] {
    const char* home = std::getenv("HOME");
    quick->options.inputs.toolchain_dirs = {
        builder::find_installed_toolchain(home ? home : "", "stable")};
    quick->formats = "gz,xz,zst";
    quick->signing.use_default_key = true;
    finish_options(*quick, ctx);
    report(builder::run_dist(quick->options), ctx);
  });
}

void register_porter(CLI::App& app, Context& ctx) {
  // The porter's one command needs no subcommand:
  //   distbuild --target armv7-unknown-linux-gnueabihf --from <build tree or prefix>
  //             --version 1.63.0 --out <tree>
  auto cli = std::make_shared<DistCli>();
  app.add_option("--target", cli->targets,
                 "Porter's run (no subcommand): a target to pack; repeat for several");
  app.add_option("--from", cli->options.inputs.from_dirs,
                 "Porter's run: a Rust build tree (build/<host>/stage2...) or an install prefix");
  app.add_option("--out", cli->options.out, "Porter's run: the tree's root directory");
  app.add_option("--host", cli->options.inputs.host,
                 std::string("Porter's run: ") + k_host_help);
  app.add_option("--channel", cli->options.channel, std::string("Porter's run: ") + k_channel_help);
  // --version alone prints distbuild's version; with a value it is the porter's release version.
  auto* version = app.add_option("--version", cli->options.version,
                                 "distbuild's version; with a value (porter's run): the release "
                                 "version, e.g. 1.63.0")
                      ->expected(0, 1);
  app.add_option("--date", cli->options.date, std::string("Porter's run: ") + k_date_help);
  app.add_option("--components", cli->components, std::string("Porter's run: ") + k_components_help)
      ->delimiter(',');
  app.add_option("--exclude", cli->exclude, std::string("Porter's run: ") + k_exclude_help)
      ->delimiter(',');
  app.add_option("--base-url", cli->options.base_url, std::string("Porter's run: ") + k_base_url_help)
      ->capture_default_str();
  app.add_option("--formats", cli->formats, "Porter's run: tarball formats")
      ->capture_default_str();
  app.add_option("--profile", cli->profile, "Porter's run: compression profile")
      ->capture_default_str();
  app.add_flag("--no-arch-check", cli->no_arch_check,
               "Porter's run: skip the check that binaries match each target");
  add_signing_options(&app, cli->signing);
  app.callback([cli, &app, &ctx, version] {
    if (!app.get_subcommands().empty()) {
      return;
    }
    if (version->count() > 0 && cli->options.version.empty()) {
      std::cout << "distbuild " << DISTBUILD_VERSION << "\n";
      return;
    }
    if (cli->options.inputs.from_dirs.empty() || cli->options.out.empty()) {
      throw CLI::CallForHelp();
    }
    finish_options(*cli, ctx);
    report(builder::run_dist(cli->options), ctx);
  });
}

} // namespace distbuild::cli
