// Splitting an installed prefix (see image_split.hpp). With lib/rustlib/manifest-<component>
// lists, the split is exact: each `file:` line is one file of that component, each `dir:` line
// a whole directory (rust-docs' share/doc/rust/html). Without them, prefix_rules.cpp decides.
#include "cross/image_split.hpp"

#include "cross/component_names.hpp"
#include "cross/distro_prefix.hpp"
#include "cross/elf_check.hpp"
#include "cross/error.hpp"
#include "cross/image_set.hpp"
#include "cross/prefix_rules.hpp"
#include "targets/triple.hpp"

#include <algorithm>
#include <fstream>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> read_lines(const fs::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error(path, "cannot read");
  }
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    lines.push_back(line);
  }
  return lines;
}

// Component names in install order: lib/rustlib/components when present, else every
// manifest-* file (an install.sh prefix whose components file was lost).
std::vector<std::string> installed_components(const fs::path& rustlib) {
  std::vector<std::string> names;
  if (fs::is_regular_file(rustlib / "components")) {
    for (const auto& line : read_lines(rustlib / "components")) {
      if (!line.empty()) {
        names.push_back(line);
      }
    }
    return names;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(rustlib, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("manifest-")) {
      names.push_back(name.substr(9));
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void split_by_manifests(const fs::path& prefix, const std::vector<std::string>& components,
                        const SplitOptions& options, ImageSet& images) {
  const fs::path rustlib = prefix / "lib" / "rustlib";
  for (const auto& component : components) {
    const PackageTarget owner = parse_component_name(component);
    if (!split_wants(options, owner.package, owner.target)) {
      continue;
    }
    const fs::path manifest = rustlib / ("manifest-" + component);
    const std::string manifest_rel = "lib/rustlib/manifest-" + component;
    if (!fs::is_regular_file(manifest)) {
      throw Error(manifest, "missing, but lib/rustlib/components lists " + component);
    }
    std::size_t number = 0;
    for (const auto& line : read_lines(manifest)) {
      ++number;
      const auto colon = line.find(':');
      const std::string kind = line.substr(0, colon);
      const std::string rel = colon == std::string::npos ? "" : line.substr(colon + 1);
      if ((kind != "file" && kind != "dir") || rel.empty()) {
        throw Error(manifest, "line " + std::to_string(number) + ": expected file:<path> or dir:<path>, got '" +
                                  line + "'");
      }
      const fs::path source = prefix / rel;
      std::error_code ec;
      if (!fs::exists(fs::symlink_status(source, ec))) {
        throw Error(source, "listed in " + manifest_rel + " but missing");
      }
      if (kind == "dir") {
        images.add_tree(owner.package, owner.target, source, rel);
      } else {
        images.add(owner.package, owner.target, source, rel);
      }
    }
  }
}

// The first bytes of a file (enough for an ELF header), "" when unreadable.
std::string read_head(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(64, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

// The host triple of a prefix without lists: the one lib/rustlib/<t>/bin belongs to, else the
// only lib/rustlib/<t>, else the one lib/rustlib/<t> whose machine bin/rustc is built for (a
// distro's rustc ships no rust-lld, so a cross prefix has several <t> and none with bin/).
std::string detect_prefix_host(const fs::path& prefix) {
  std::vector<std::string> with_bin;
  std::vector<std::string> all;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(prefix / "lib" / "rustlib", ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_directory() && targets::parse_triple(name) && name != "rustc-src") {
      all.push_back(name);
      if (fs::is_directory(entry.path() / "bin")) {
        with_bin.push_back(name);
      }
    }
  }
  std::sort(all.begin(), all.end());
  if (with_bin.size() == 1) {
    return with_bin.front();
  }
  if (all.size() == 1) {
    return all.front();
  }
  for (const char* rustc : {"bin/rustc", "bin/rustc.exe"}) {
    const std::string head = read_head(prefix / rustc);
    if (!head.starts_with("\x7f" "ELF")) {
      continue;
    }
    std::vector<std::string> matching;
    for (const auto& triple : all) {
      if (check_elf_bytes(head, rustc, triple).empty()) {
        matching.push_back(triple);
      }
    }
    if (matching.size() == 1) {
      return matching.front();
    }
  }
  return "";
}

bool dangles(const fs::path& path) {
  std::error_code ec;
  return fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(path, ec);
}

void warn(const SplitOptions& options, const std::string& text) {
  if (options.report != nullptr) {
    options.report->warnings.push_back(text);
  }
}

void split_by_rules(const LocatedPrefix& located, const SplitOptions& options, ImageSet& images) {
  const fs::path& prefix = located.prefix;
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(prefix, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      throw Error(prefix, "cannot walk: " + ec.message());
    }
    if (!it->is_directory() || it->is_symlink()) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  std::string host = options.host;
  if (host.empty()) {
    host = detect_prefix_host(prefix);
  }
  for (const auto& file : files) {
    std::string rel = file.lexically_relative(prefix).generic_string();
    if (located.distro) {
      const DistroFile placed = place_distro_file(rel, host);
      if (placed.place != DistroPlace::Keep) {
        continue;  // left out, or in the library pool (library_pool())
      }
      rel = placed.rel;
    }
    auto owner = owner_of_prefix_file(rel);
    if (!owner) {
      continue;
    }
    if (dangles(file)) {
      warn(options, file.string() + ": left out, a symlink to " +
                        fs::read_symlink(file, ec).string() + " that does not resolve");
      continue;
    }
    if (owner->target.empty()) {
      if (host.empty()) {
        throw Error(prefix, "cannot tell the host triple (no single lib/rustlib/<triple>/bin, "
                            "and bin/rustc matches no single lib/rustlib/<triple>); pass it "
                            "with --host <triple>");
      }
      owner->target = host;
    }
    if (split_wants(options, owner->package, owner->target)) {
      images.add(owner->package, owner->target, file, rel);
    }
  }
  if (located.distro && options.report != nullptr) {
    options.report->library_pool = library_pool(located);
  }
}

std::vector<SplitImage> split_located(const LocatedPrefix& located, const SplitOptions& options) {
  const fs::path& prefix = located.prefix;
  if (!fs::is_directory(prefix)) {
    throw Error(prefix, "not a directory");
  }
  if (located.prefix != located.root) {
    warn(options, located.root.string() + ": the toolchain is one level down, in " +
                      prefix.string());
  }
  ImageSet images(options.work_dir, {located.root}, options.reuse_work_dir);
  const fs::path rustlib = prefix / "lib" / "rustlib";
  const auto components = fs::is_directory(rustlib) ? installed_components(rustlib)
                                                    : std::vector<std::string>{};
  if (!components.empty()) {
    split_by_manifests(prefix, components, options, images);
  } else {
    split_by_rules(located, options, images);
  }
  return images.finish();
}

} // namespace

std::vector<SplitImage> split_installed_prefix(const fs::path& prefix, const SplitOptions& options) {
  return split_located(locate_prefix(prefix), options);
}

bool is_build_tree(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (targets::parse_triple(entry.path().filename().string()) &&
        fs::is_directory(entry.path() / "stage2")) {
      return true;
    }
  }
  return false;
}

std::vector<SplitImage> split_any(const fs::path& from, const SplitOptions& options) {
  return is_build_tree(from) ? split_build_tree(from, options)
                             : split_installed_prefix(from, options);
}

std::optional<std::string> read_component_version(const fs::path& prefix, const std::string& package) {
  const fs::path manifest = prefix / "lib" / "rustlib" / "multirust-channel-manifest.toml";
  if (!fs::is_regular_file(manifest)) {
    return std::nullopt;
  }
  try {
    const toml::table doc = toml::parse_file(manifest.string());
    if (auto version = doc["pkg"][package]["version"].value<std::string>()) {
      if (!version->empty()) {
        return version;
      }
    }
  } catch (const toml::parse_error& e) {
    throw Error(manifest, std::string("not valid TOML: ") + std::string(e.description()));
  }
  return std::nullopt;
}

} // namespace distbuild::cross
