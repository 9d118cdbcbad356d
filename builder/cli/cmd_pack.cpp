// `distbuild pack`: one component image -> <pkg>-<ver>-<target>.tar.{gz,xz,zst}. Only flags here;
// the work is builder::pack().
#include "builder/cli/commands.hpp"
#include "builder/cli/pack_report.hpp"
#include "builder/cli/progress_line.hpp"
#include "builder/inspect/installer_facts.hpp"
#include "builder/pack/pack.hpp"

#include <iostream>
#include <memory>

namespace distbuild::cli {

namespace {

struct PackFlags {
  std::string image;
  std::string component;
  std::string package;
  std::string version;
  std::string target;
  std::string output_dir = ".";
  std::string formats = "gz,xz,zst";
  std::string profile = "balanced";
  std::string mtime;
  std::string threads;
  std::string overlay;
  std::vector<std::string> bulk_dirs;
  bool dereference = false;
  std::string version_info;
  std::string commit_hash;
};

void run_pack(const PackFlags& flags, const Context& ctx) {
  builder::PackRequest request;
  request.formats = builder::parse_format_list(flags.formats);
  request.profile = builder::parse_profile_or_throw(flags.profile);
  request.mtime = resolve_mtime(flags.mtime, "--mtime");
  request.threads = parse_threads(flags.threads, "--threads");
  request.package_name = builder::package_file_stem(flags.package, flags.version, flags.target);
  request.components.push_back(
      builder::ComponentImage{flags.component, flags.image, flags.bulk_dirs});
  if (!flags.overlay.empty()) {
    request.overlay_dir = flags.overlay;
  }
  if (!flags.version_info.empty()) {
    request.overlay_files["version"] = flags.version_info + "\n";
  }
  if (!flags.commit_hash.empty()) {
    request.overlay_files["git-commit-hash"] = flags.commit_hash + "\n";
  }
  request.output_dir = flags.output_dir;
  request.dereference = flags.dereference;
  request.script.success_message = flags.component + " installed.";
  ProgressLine progress(std::cerr, stderr_progress_options(ctx));
  request.progress = &progress;
  builder::PackResult result = builder::pack(request);
  // What `dist --tarballs` needs, so assembling many machines' outputs reads no tarball twice.
  // Tarballs without their facts would be a partial output: they go when the facts cannot be
  // written (a full disk).
  try {
    builder::write_installer_facts(request, result);
  } catch (...) {
    for (const auto& file : result.files) {
      std::error_code ignored;
      std::filesystem::remove(file.path, ignored);
    }
    throw;
  }
  progress.clear();
  print_pack_result(result, request.package_name, ctx);
}

} // namespace

void register_pack(CLI::App& app, Context& ctx) {
  auto flags = std::make_shared<PackFlags>();
  CLI::App* cmd = app.add_subcommand(
      "pack", "Pack a component image into rustup-installable tarballs "
              "(<package>-<version>-<target>.tar.{gz,xz,zst})");
  cmd->add_option("--image", flags->image, "Component image dir, laid out like the install prefix")
      ->required();
  cmd->add_option("--component", flags->component,
                  "Component name inside the tarball, e.g. rust-std-x86_64-unknown-linux-gnu")
      ->required();
  cmd->add_option("--package", flags->package, "Package part of the file name, e.g. rust-std")
      ->required();
  cmd->add_option("--version", flags->version, "Version part of the file name: 1.95.0, beta, nightly")
      ->required();
  cmd->add_option("--target", flags->target, "Target triple, or * for target-independent packages")
      ->required();
  cmd->add_option("--output-dir", flags->output_dir,
                  "Where to write the tarballs and <stem>.facts.json (what `dist --tarballs` "
                  "needs to take them without reading them again)")
      ->capture_default_str();
  cmd->add_option("--formats", flags->formats, "Comma list of gz, xz, zst")->capture_default_str();
  cmd->add_option("--profile", flags->profile,
                  "fast, balanced or best; " + builder::profile_levels_help())
      ->capture_default_str();
  cmd->add_option("--mtime", flags->mtime,
                  "File mtime in the tar (default: $SOURCE_DATE_EPOCH, else 1153704088)");
  cmd->add_option("--threads", flags->threads, "Compression threads; 0 = all cores (default)");
  cmd->add_option("--overlay", flags->overlay,
                  "Dir of non-installed files for the top dir (version, git-commit-hash, licences)");
  cmd->add_option("--bulk-dir", flags->bulk_dirs,
                  "Image dir listed as one dir: entry in manifest.in (repeatable)");
  cmd->add_flag("--dereference", flags->dereference,
                "Store the files symlinks point to (links must stay inside the image)");
  cmd->add_option("--version-info", flags->version_info,
                  "Content of the top-level `version` file, e.g. \"1.95.0 (59807616e 2026-04-14)\"");
  cmd->add_option("--commit-hash", flags->commit_hash, "Content of the `git-commit-hash` file");
  cmd->callback([flags, &ctx] { run_pack(*flags, ctx); });
}

} // namespace distbuild::cli
