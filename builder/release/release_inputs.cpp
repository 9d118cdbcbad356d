// Gathers the components of a release from staged images, installed toolchains and tarball
// directories (see release_inputs.hpp for the layouts). Nothing is packed or written here except
// the images split out of installed toolchains (under the caller's work dir), so a bad input is
// reported before any output exists.
#include "builder/release/release_inputs.hpp"
#include "builder/release/split_slot.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/inspect/installer_reader.hpp"
#include "builder/tree/text.hpp"
#include "cross/elf_check.hpp"
#include "cross/host_libraries.hpp"
#include "cross/image_split.hpp"
#include "targets/error.hpp"
#include "manifest/channel.hpp"
#include "targets/components.hpp"
#include "targets/target_spec.hpp"
#include "targets/triple.hpp"
#include "manifest/release_name.hpp"
#include "targets/triple_names.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <sstream>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Packages that carry rustc's own version: they must all agree with rustc in one release.
bool shares_rust_version(const std::string& package) {
  static const std::set<std::string> k_rust_versioned = {
      "rustc", "rust-std", "rust-src", "rust-docs", "rustc-dev", "rustc-docs",
      "rust-analysis", "rust-mingw"};
  return k_rust_versioned.count(package) != 0;
}

std::optional<std::string> read_trimmed(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  return trim(read_file(path));
}

bool wanted(const std::vector<std::string>& only, const std::vector<std::string>& skip,
            const std::string& package) {
  auto names_package = [&](const std::string& name) {
    auto kind = targets::find_component(name);
    return name == package || (kind && std::string(kind->package) == package);
  };
  if (!only.empty() && std::none_of(only.begin(), only.end(), names_package)) {
    return false;
  }
  return std::none_of(skip.begin(), skip.end(), names_package);
}

// --targets limits the per-target packages (rust-std, rust-analysis); host tools stay, since a
// tree without its host's rustc could not be installed at all.
bool target_wanted(const std::vector<std::string>& only_targets, const std::string& package,
                   const std::string& target) {
  auto kind = targets::find_component(package);
  if (only_targets.empty() || target == "*" ||
      (kind && kind->scope != targets::ComponentScope::Target)) {
    return true;
  }
  return std::find(only_targets.begin(), only_targets.end(), target) != only_targets.end();
}

void gather_stage(const fs::path& stage, std::vector<ComponentSource>& out,
                  std::vector<std::string>& problems) {
  std::error_code ec;
  if (!fs::is_directory(stage, ec)) {
    problems.push_back(stage.string() + ": not a directory of staged images");
    return;
  }
  for (const auto& package_dir : fs::directory_iterator(stage)) {
    if (!package_dir.is_directory()) {
      continue;
    }
    std::string name = package_dir.path().filename().string();
    auto kind = targets::find_component(name);
    if (!kind) {
      problems.push_back(package_dir.path().string() + ": unknown package '" + name + "'");
      continue;
    }
    for (const auto& target_dir : fs::directory_iterator(package_dir.path())) {
      std::string target = target_dir.path().filename().string();
      if (!target_dir.is_directory() || target.ends_with(".overlay")) {
        continue;
      }
      if (target == "any") {
        target = "*";
      }
      if (target != "*" && !targets::parse_triple(target)) {
        problems.push_back(target_dir.path().string() + ": '" + target +
                           "' is not a target triple");
        continue;
      }
      ComponentSource source;
      source.package = std::string(kind->package);
      source.target = target;
      source.origin = target_dir.path().string();
      source.image_dir = target_dir.path();
      fs::path overlay = target_dir.path().string() + ".overlay";
      if (fs::is_directory(overlay, ec)) {
        source.overlay_dir = overlay;
        source.version = read_trimmed(overlay / "version");
        source.git_commit_hash = read_trimmed(overlay / "git-commit-hash");
      }
      out.push_back(std::move(source));
    }
  }
}

// The manifest packages --components names ("clippy" -> "clippy-preview"), for the split: a
// package nobody asked for is never linked out of the toolchain (rust-docs alone is 52,000 files).
std::vector<std::string> split_packages(const std::vector<std::string>& only) {
  std::vector<std::string> packages;
  for (const auto& name : only) {
    packages.push_back(name);
    if (auto kind = targets::find_component(name)) {
      packages.emplace_back(kind->package);
    }
  }
  return packages;
}

void gather_toolchain(const fs::path& toolchain, const GatherOptions& options,
                      std::vector<ComponentSource>& out, GatherFacts& facts,
                      std::vector<std::string>& problems) {
  // rustup keeps its re-serialisation of the upstream manifest: the only place an installed
  // toolchain records each package's version text, and the release's date.
  std::map<std::string, std::string> versions;
  fs::path stored = toolchain / "lib/rustlib/multirust-channel-manifest.toml";
  std::error_code ec;
  if (fs::is_regular_file(stored, ec)) {
    auto channel = manifest::parse_channel(read_file(stored), stored.string());
    for (const auto& [name, package] : channel.packages) {
      versions[name] = package.version;
    }
    if (!channel.date.empty() && !facts.toolchain_date) {
      facts.toolchain_date = channel.date;
      facts.toolchain_date_origin = stored.string();
    }
  }
  cross::SplitReport report;
  cross::SplitOptions split_options;
  split_options.work_dir = options.work_dir / ("split-" + std::to_string(out.size()));
  // Every target is split (cheap: links), so the triples the input holds are known; --targets
  // selects among them afterwards.
  split_options.packages = split_packages(options.only_packages);
  split_options.host = options.host;
  std::optional<SplitSlot> slot;
  if (options.split_cache) {
    slot = take_split_slot(*options.split_cache, toolchain, split_options.packages,
                           split_options.host);
  }
  if (slot) {
    split_options.work_dir = slot->dir;
    split_options.reuse_work_dir = true;
  }
  split_options.report = &report;
  fs::create_directories(split_options.work_dir);
  std::vector<cross::HostImage> host_images;
  for (auto& image : cross::split_any(toolchain, split_options)) {
    ComponentSource source;
    source.package = image.package;
    source.target = image.target;
    source.origin = toolchain.string();
    source.image_dir = image.image_dir;
    source.image_lease = slot ? slot->lease : nullptr;
    source.resolved_links = image.resolved_links;
    auto version = versions.find(image.package);
    if (version != versions.end() && !version->second.empty()) {
      source.version = version->second;
    }
    if (image.package == "rust-docs") {
      source.bulk_dirs.push_back("share/doc/rust/html");
    }
    host_images.push_back({image.package, image.target, image.image_dir, true, source.origin});
    out.push_back(std::move(source));
  }
  facts.warnings.insert(facts.warnings.end(), report.warnings.begin(), report.warnings.end());
  auto libraries = cross::complete_host_libraries(host_images, report.library_pool);
  problems.insert(problems.end(), libraries.problems.begin(), libraries.problems.end());
  for (const auto& added : libraries.added) {
    facts.notes.push_back(toolchain.string() + ": " + added);
  }
}

void gather_tarballs(const fs::path& dir, std::vector<ComponentSource>& out,
                     std::vector<std::string>& problems) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    problems.push_back(dir.string() + ": not a directory of tarballs");
    return;
  }
  std::map<std::string, std::map<Format, fs::path>> by_stem;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file()) {
      continue;
    }
    std::string name = entry.path().filename().string();
    if (auto format = manifest::format_of_file(name)) {
      std::string suffix = "." + std::string(format_extension(*format));
      by_stem[name.substr(0, name.size() - suffix.size())][*format] = entry.path();
    }
  }
  for (const auto& [stem, files] : by_stem) {
    const fs::path& first = files.begin()->second;
    // pack's facts, checked against the tarballs, say what reading them would (no decompression).
    const std::size_t problems_before = problems.size();
    std::optional<UsedFacts> facts = use_installer_facts(dir, stem, files, problems);
    if (problems.size() != problems_before) {
      continue;
    }
    InstallerInfo info;
    if (facts) {
      info.components = facts->components;
      info.version = facts->version;
      info.git_commit_hash = facts->git_commit_hash;
    } else {
      info = read_installer(first);
    }
    if (info.components.size() != 1) {
      problems.push_back(first.string() + ": holds " + std::to_string(info.components.size()) +
                         " components; dist takes one component per tarball (combined "
                         "installers are made by `distbuild combine`)");
      continue;
    }
    const std::string& line = info.components.front();
    ComponentSource source;
    source.origin = first.string();
    source.tarballs = files;
    if (facts) {
      source.known_tarballs = facts->tarballs;
    }
    source.version = info.version;
    source.git_commit_hash = info.git_commit_hash;
    for (const auto& kind : targets::known_components()) {
      std::string package(kind.package);
      if (kind.target_in_component_name && line.starts_with(package + "-")) {
        source.package = package;
        source.target = line.substr(package.size() + 1);
        break;
      }
      if (!kind.target_in_component_name && line == package) {
        source.package = package;
        if (kind.scope == targets::ComponentScope::Any) {
          source.target = "*";
        } else {
          std::string prefix = std::string(kind.tarball_name) + "-";
          auto target = stem.starts_with(prefix)
                            ? manifest::after_release_label(stem.substr(prefix.size()))
                            : std::nullopt;
          if (!target) {
            problems.push_back(first.string() + ": cannot tell the target from the file name '" +
                               stem + "' (expected " + prefix + "<version>-<target>)");
            source.package.clear();
          } else {
            source.target = *target;
            // A stable tarball's name says its version where its `version` file is missing.
            const std::string label = stem.substr(prefix.size(), stem.size() - prefix.size() -
                                                                    target->size() - 1);
            if (!source.version && std::regex_match(label, std::regex(R"(\d+\.\d+\.\d+)"))) {
              source.version = label;
            }
          }
        }
        break;
      }
    }
    if (source.package.empty()) {
      if (problems.empty() || problems.back().rfind(first.string(), 0) != 0) {
        problems.push_back(first.string() + ": unknown component '" + line + "'");
      }
      continue;
    }
    if (source.target != "*" && !targets::parse_triple(source.target)) {
      problems.push_back(first.string() + ": '" + source.target + "' is not a target triple");
      continue;
    }
    out.push_back(std::move(source));
  }
}

void check_consistency(const std::vector<ComponentSource>& sources,
                       std::vector<std::string>& problems) {
  std::map<std::pair<std::string, std::string>, const ComponentSource*> seen;
  for (const auto& source : sources) {
    auto [it, inserted] = seen.emplace(std::make_pair(source.package, source.target), &source);
    if (!inserted) {
      problems.push_back(source.origin + ": " + source.package + " for " + source.target +
                         " is also given by " + it->second->origin);
    }
  }
  // Version texts: one per package, and rustc's for every package that shares it.
  std::map<std::string, const ComponentSource*> first_version;
  for (const auto& source : sources) {
    if (!source.version) {
      continue;
    }
    std::string family = shares_rust_version(source.package) ? "rustc" : source.package;
    auto [it, inserted] = first_version.emplace(family, &source);
    if (!inserted && *it->second->version != *source.version) {
      problems.push_back(source.origin + ": " + source.package + " version '" + *source.version +
                         "' disagrees with '" + *it->second->version + "' of " +
                         it->second->origin);
    }
  }
}

// The classic porter's mistake is the host's std packed as the target's: every ELF file of an
// image must be built for the image's target.
void check_architectures(const std::vector<ComponentSource>& sources,
                         std::vector<std::string>& problems) {
  for (const auto& source : sources) {
    if (!source.image_dir || source.target == "*") {
      continue;
    }
    // A custom target's spec says what its objects are where the table has no row.
    const fs::path spec = *source.image_dir / "lib/rustlib" / source.target / "target.json";
    std::vector<std::string> mismatches;
    std::error_code ec;
    if (fs::is_regular_file(spec, ec)) {
      try {
        mismatches = cross::check_image_arch(
            *source.image_dir, targets::describe_target_from_spec(source.target, read_file(spec)));
      } catch (const targets::Error& e) {
        problems.push_back(source.origin + ": " + source.package + " for " + source.target +
                           ": lib/rustlib/" + source.target + "/target.json: " + e.what());
        continue;
      }
    } else {
      mismatches = cross::check_image_arch(*source.image_dir, source.target);
    }
    for (const auto& mismatch : mismatches) {
      problems.push_back(source.origin + ": " + source.package + " for " + source.target + ": " +
                         mismatch + " (--no-arch-check to pack it anyway)");
    }
  }
}

// Host binaries of images given as they are (staged): their libraries must be in the
// toolchain already, since nothing is added to a directory distbuild does not own.
void check_staged_libraries(const std::vector<ComponentSource>& sources, const fs::path& work_dir,
                            std::vector<std::string>& problems) {
  std::vector<cross::HostImage> staged;
  for (const auto& source : sources) {
    const fs::path rel = source.image_dir ? source.image_dir->lexically_relative(work_dir)
                                          : fs::path();
    const bool in_work_dir = !work_dir.empty() && !rel.empty() && *rel.begin() != "..";
    if (source.image_dir && !in_work_dir) {
      staged.push_back({source.package, source.target, *source.image_dir, false, source.origin});
    }
  }
  auto report = cross::complete_host_libraries(staged, {});
  problems.insert(problems.end(), report.problems.begin(), report.problems.end());
}

// Each --targets triple must be one the inputs hold; the message lists those they do hold and
// what the user probably meant.
void check_requested_targets(const std::vector<std::string>& requested,
                             const std::vector<std::string>& held,
                             std::vector<std::string>& problems) {
  std::string held_text;
  for (const auto& triple : held) {
    held_text += (held_text.empty() ? "" : ", ") + triple;
  }
  for (const auto& match : targets::match_requested_triples(requested, held)) {
    if (match.held) {
      continue;
    }
    std::string text = "requested target " + match.requested +
                       ": the inputs hold no such target (they hold " +
                       (held_text.empty() ? std::string("none") : held_text) + ")";
    if (!match.distro_meaning.empty()) {
      text += "; '" + match.requested + "' is a distribution's name for " + match.distro_meaning;
    }
    for (std::size_t i = 0; i < match.suggestions.size(); ++i) {
      text += (i == 0 ? "; did you mean " : " or ") + match.suggestions[i] +
              (match.held_suggestion[i] ? "" : " (not in the inputs either)");
    }
    if (!match.suggestions.empty()) {
      text += "?";
    }
    problems.push_back(text);
  }
}

} // namespace

std::vector<ComponentSource> collect_sources(const GatherOptions& options, GatherFacts& facts,
                                             std::vector<std::string>& problems) {
  std::vector<ComponentSource> all;
  for (const auto& stage : options.stage_dirs) {
    gather_stage(stage, all, problems);
  }
  auto split = [&](const fs::path& dir) {
    try {
      gather_toolchain(dir, options, all, facts, problems);
    } catch (const std::exception& e) {
      problems.push_back(e.what());
    }
  };
  for (const auto& toolchain : options.toolchain_dirs) {
    std::error_code ec;
    if (!fs::is_directory(toolchain / "lib/rustlib", ec)) {
      problems.push_back(toolchain.string() + ": not an installed toolchain (no lib/rustlib)");
      continue;
    }
    split(toolchain);
  }
  for (const auto& from : options.from_dirs) {
    std::error_code ec;
    if (!fs::is_directory(from, ec)) {
      problems.push_back(from.string() + ": not a directory (a Rust build tree or an install "
                                         "prefix was expected)");
      continue;
    }
    split(from);
  }
  for (const auto& dir : options.tarball_dirs) {
    try {
      gather_tarballs(dir, all, problems);
    } catch (const std::exception& e) {
      problems.push_back(e.what());
    }
  }
  std::set<std::string> held;
  for (const auto& source : all) {
    if (source.target != "*") {
      held.insert(source.target);
    }
  }
  facts.held_targets.assign(held.begin(), held.end());
  check_requested_targets(options.only_targets, facts.held_targets, problems);
  std::vector<ComponentSource> selected;
  for (auto& source : all) {
    if (wanted(options.only_packages, options.skip_packages, source.package) &&
        target_wanted(options.only_targets, source.package, source.target)) {
      selected.push_back(std::move(source));
    }
  }
  check_consistency(selected, problems);
  if (options.arch_check) {
    check_architectures(selected, problems);
  }
  check_staged_libraries(selected, options.work_dir, problems);
  if (problems.empty() && selected.empty()) {
    problems.push_back("no components found in the given inputs");
  }
  return selected;
}

// rustup installs nothing from a release without rustc: say so before anything is packed.
void check_has_rustc(const std::vector<ComponentSource>& sources,
                     std::vector<std::string>& problems) {
  if (sources.empty() || std::any_of(sources.begin(), sources.end(), [](const auto& source) {
        return source.package == "rustc";
      })) {
    return;
  }
  std::string held;
  for (const auto& source : sources) {
    held += (held.empty() ? "" : ", ") + source.package +
            (source.target == "*" ? "" : " for " + source.target);
  }
  problems.push_back(
      "the inputs hold no rustc, only " + held +
      ": a release needs rustc (and normally cargo) for at least one host, or rustup has "
      "nothing to install; add the host toolchain with --from <prefix or build tree with "
      "bin/rustc>, --toolchain <installed toolchain>, --stage <dir with rustc/<host>/> or "
      "--tarballs <dir with a rustc tarball>");
}

std::string problem_list(const std::vector<std::string>& problems) {
  std::ostringstream text;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    text << (i ? "\n  " : "") << problems[i];
  }
  return text.str();
}

std::vector<ComponentSource> gather_sources(const GatherOptions& options) {
  GatherFacts facts;
  std::vector<std::string> problems;
  auto selected = collect_sources(options, facts, problems);
  if (!problems.empty()) {
    throw Error(std::string(), problem_list(problems));
  }
  return selected;
}

std::optional<std::string> rustc_version_text(const std::vector<ComponentSource>& sources) {
  for (const auto& source : sources) {
    if (source.version && shares_rust_version(source.package)) {
      return source.version;
    }
  }
  return std::nullopt;
}

} // namespace distbuild::builder
