// rust-installer's command line (dist-format.md 5.2): `generate`, `combine`, `script` and
// `tarball` with its flags and defaults, so bootstrap-style scripts can call distbuild instead.
// As rust-installer does, `generate` and `combine` leave the unpacked installer at
// <work-dir>/<package-name>/ (combine also each input at <work-dir>/<its top dir>/), the product
// name and success message have their dashes turned into spaces, and `--compression-profile
// no-op` writes no tarball at all (bootstrap's `x install` only needs the work dir).
// Only flags here; the work is builder::pack(), combine(), tarball_directory() and
// render_install_script().
#include "builder/tree/atomic_file.hpp"
#include "builder/cli/commands.hpp"
#include "builder/cli/pack_report.hpp"
#include "builder/release/combine.hpp"
#include "builder/tree/error.hpp"
#include "builder/pack/install_script.hpp"
#include "builder/pack/pack.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>

namespace distbuild::cli {

namespace {

namespace fs = std::filesystem;

// Flags shared by several subcommands, with rust-installer's defaults.
struct CompatFlags {
  std::string product_name = "Product";
  std::string component_name = "component";
  std::string package_name = "package";
  std::string rel_manifest_dir = "packagelib";
  std::string success_message = "Installed.";
  std::string legacy_manifest_dirs;
  std::string non_installed_overlay;
  std::string bulk_dirs;
  std::string image_dir = "./install_image";
  std::string work_dir = "./workdir";
  std::string output_dir = "./dist";
  std::string compression_profile = "balanced";
  std::string compression_formats = "gz,xz";
  std::string override_file_mtime;
  std::string input_tarballs;
  std::string output_script = "install.sh";
  std::string input = "package";
  std::string output = "./dist";
};

// rust-installer's profile "no-op": nothing is compressed and no tarball is written.
bool is_no_op(const std::string& profile) { return profile == "no-op"; }

builder::Profile compat_profile(const std::string& name) {
  return is_no_op(name) ? builder::Profile::Fast : builder::parse_profile_or_throw(name);
}

// rust-installer's scripter turns dashes into spaces (its old argument handling broke on
// spaces); bootstrap's messages are written with that in mind.
std::string dashes_to_spaces(std::string text) {
  std::replace(text.begin(), text.end(), '-', ' ');
  return text;
}

std::vector<builder::Format> compat_formats(const std::string& list) {
  return builder::parse_format_list(list, "--compression-formats");
}

builder::InstallScriptOptions script_options(const CompatFlags& flags) {
  builder::InstallScriptOptions options;
  options.product_name = dashes_to_spaces(flags.product_name);
  options.success_message = dashes_to_spaces(flags.success_message);
  options.rel_manifest_dir = flags.rel_manifest_dir;
  options.legacy_manifest_dirs = builder::split_comma_list(flags.legacy_manifest_dirs);
  return options;
}

void add_script_flags(CLI::App* cmd, CompatFlags& flags) {
  cmd->add_option("--product-name", flags.product_name, "Product name shown by install.sh");
  cmd->add_option("--rel-manifest-dir", flags.rel_manifest_dir,
                  "Bookkeeping dir under lib/ used by install.sh");
  cmd->add_option("--success-message", flags.success_message, "install.sh's last line");
  cmd->add_option("--legacy-manifest-dirs", flags.legacy_manifest_dirs,
                  "Comma list of older bookkeeping dirs install.sh cleans up");
}

void add_compression_flags(CLI::App* cmd, CompatFlags& flags) {
  cmd->add_option("--compression-profile", flags.compression_profile,
                  "fast, balanced (default), best, or no-op (no tarball at all); " +
                      builder::profile_levels_help());
  cmd->add_option("--compression-formats", flags.compression_formats,
                  "Comma list of gz, xz, zst (default: gz,xz)");
  cmd->add_option("--override-file-mtime", flags.override_file_mtime,
                  "File mtime in the tar (default: $SOURCE_DATE_EPOCH, else 1153704088)");
}

void run_generate(const CompatFlags& flags, const Context& ctx) {
  builder::PackRequest request;
  request.formats = compat_formats(flags.compression_formats);
  request.profile = compat_profile(flags.compression_profile);
  request.mtime = resolve_mtime(flags.override_file_mtime, "--override-file-mtime");
  request.package_name = flags.package_name;
  request.components.push_back(builder::ComponentImage{
      flags.component_name, flags.image_dir, builder::split_comma_list(flags.bulk_dirs)});
  if (!flags.non_installed_overlay.empty()) {
    request.overlay_dir = flags.non_installed_overlay;
  }
  request.output_dir = flags.output_dir;
  request.script = script_options(flags);
  request.work_dir = flags.work_dir;
  request.write_tarballs = !is_no_op(flags.compression_profile);
  print_pack_result(builder::pack(request), request.package_name, ctx);
}

void run_combine(const CompatFlags& flags, const Context& ctx) {
  builder::CombineRequest request;
  request.formats = compat_formats(flags.compression_formats);
  request.profile = compat_profile(flags.compression_profile);
  request.mtime = resolve_mtime(flags.override_file_mtime, "--override-file-mtime");
  request.package_name = flags.package_name;
  for (const std::string& tarball : builder::split_comma_list(flags.input_tarballs)) {
    request.input_tarballs.emplace_back(tarball);
  }
  if (!flags.non_installed_overlay.empty()) {
    request.overlay_dir = flags.non_installed_overlay;
  }
  request.output_dir = flags.output_dir;
  request.work_dir = flags.work_dir;
  request.write_tarballs = !is_no_op(flags.compression_profile);
  request.script = script_options(flags);
  print_pack_result(builder::combine(request), request.package_name, ctx);
}

void run_script(const CompatFlags& flags, const Context& ctx) {
  fs::path path = flags.output_script;
  builder::write_file_atomically(path, builder::render_install_script(script_options(flags)));
  std::error_code ec;
  fs::permissions(path, fs::perms(0755), fs::perm_options::replace, ec);
  if (ec) {
    throw builder::Error(path, "cannot make executable: " + ec.message());
  }
  if (ctx.json) {
    // Through the JSON library: a path may hold quotes, backslashes or control characters.
    std::cout << nlohmann::json{{"script", path.string()}}.dump() << "\n";
  } else if (!ctx.quiet) {
    std::cout << path.string() << "\n";
  }
}

void run_tarball(const CompatFlags& flags, const Context& ctx) {
  if (is_no_op(flags.compression_profile)) {
    return;  // rust-installer's tarballer does nothing under no-op
  }
  builder::TarballRequest request;
  request.formats = compat_formats(flags.compression_formats);
  request.profile = compat_profile(flags.compression_profile);
  request.mtime = resolve_mtime(flags.override_file_mtime, "--override-file-mtime");
  fs::path input = flags.input;
  request.input_dir = input.is_absolute() ? input : fs::path(flags.work_dir) / input;
  request.output_prefix = flags.output;
  print_pack_result(builder::tarball_directory(request), fs::path(flags.output).filename().string(),
                    ctx);
}

} // namespace

void register_installer_compat(CLI::App& app, Context& ctx) {
  {
    auto flags = std::make_shared<CompatFlags>();
    CLI::App* cmd = app.add_subcommand(
        "generate", "rust-installer generate: image dir -> <package-name>.tar.{gz,xz}");
    add_script_flags(cmd, *flags);
    cmd->add_option("--component-name", flags->component_name, "Component name (components line)");
    cmd->add_option("--package-name", flags->package_name, "Top dir and file stem");
    cmd->add_option("--non-installed-overlay", flags->non_installed_overlay,
                    "Dir of files for the top dir that are not installed");
    cmd->add_option("--bulk-dirs", flags->bulk_dirs, "Comma list of dirs listed as dir: entries");
    cmd->add_option("--image-dir", flags->image_dir, "Install-prefix image (default ./install_image)");
    cmd->add_option("--work-dir", flags->work_dir,
                    "Where the unpacked installer is left, as <work-dir>/<package-name>/ "
                    "(default ./workdir)");
    cmd->add_option("--output-dir", flags->output_dir, "Where tarballs go (default ./dist)");
    add_compression_flags(cmd, *flags);
    cmd->callback([flags, &ctx] { run_generate(*flags, ctx); });
  }
  {
    auto flags = std::make_shared<CompatFlags>();
    CLI::App* cmd = app.add_subcommand(
        "combine", "rust-installer combine: installer tarballs -> one installer (rustc first)");
    add_script_flags(cmd, *flags);
    cmd->add_option("--package-name", flags->package_name, "Top dir and file stem");
    cmd->add_option("--input-tarballs", flags->input_tarballs, "Comma list of installer tarballs");
    cmd->add_option("--non-installed-overlay", flags->non_installed_overlay,
                    "Dir of files for the top dir that are not installed");
    cmd->add_option("--work-dir", flags->work_dir,
                    "Where the inputs are unpacked and the combined installer is left, as "
                    "<work-dir>/<package-name>/ (default ./workdir)");
    cmd->add_option("--output-dir", flags->output_dir, "Where tarballs go (default ./dist)");
    add_compression_flags(cmd, *flags);
    cmd->callback([flags, &ctx] { run_combine(*flags, ctx); });
  }
  {
    auto flags = std::make_shared<CompatFlags>();
    flags->rel_manifest_dir = "manifestlib";
    CLI::App* cmd = app.add_subcommand("script", "rust-installer script: write install.sh");
    add_script_flags(cmd, *flags);
    cmd->add_option("--output-script", flags->output_script, "Path of the script (default install.sh)");
    cmd->callback([flags, &ctx] { run_script(*flags, ctx); });
  }
  {
    auto flags = std::make_shared<CompatFlags>();
    CLI::App* cmd = app.add_subcommand(
        "tarball", "rust-installer tarball: tar a prepared dir into <output>.tar.{gz,xz}");
    cmd->add_option("--input", flags->input, "Dir to tar, relative to --work-dir (default package)");
    cmd->add_option("--output", flags->output, "Output prefix; .tar.<ext> is appended (default ./dist)");
    cmd->add_option("--work-dir", flags->work_dir, "Dir containing --input (default ./workdir)");
    add_compression_flags(cmd, *flags);
    cmd->callback([flags, &ctx] { run_tarball(*flags, ctx); });
  }
}

} // namespace distbuild::cli
