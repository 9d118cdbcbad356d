// See host_libraries.hpp. Resolution mirrors ld.so for an installed toolchain: RUNPATH entries
// with $ORIGIN are taken relative to the file inside the toolchain; absolute RUNPATH entries
// point at the build machine and are ignored; then lib/ (rustup's LD_LIBRARY_PATH).
#include "cross/host_libraries.hpp"

#include "cross/elf_dynamic.hpp"
#include "cross/error.hpp"
#include "targets/components.hpp"

#include <algorithm>
#include <array>
#include <set>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 11> k_base_libraries = {
    "libc.so.6",      "libm.so.6",      "libdl.so.2",     "libpthread.so.0",
    "librt.so.1",     "libutil.so.1",   "libresolv.so.2", "libgcc_s.so.1",
    "libstdc++.so.6", "libz.so.1",      "libc.so"};

std::string base_list_text() {
  return "libc, libm, libdl, libpthread, librt, libutil, libresolv, libgcc_s, libstdc++, libz "
         "and the dynamic loader";
}

bool is_host_package(const std::string& package) {
  auto kind = targets::find_component(package);
  return kind && kind->scope == targets::ComponentScope::Host;
}

// Regular ELF candidates of an image: everything but the target libraries under lib/rustlib/
// <t>/lib (rust-std's, checked for their target's machine elsewhere) and documentation.
std::vector<std::string> candidate_files(const fs::path& image_dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(image_dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string rel = it->path().lexically_relative(image_dir).generic_string();
    if (it->is_directory() && (rel == "share" || (rel.ends_with("/lib") && rel.starts_with("lib/rustlib/")))) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && !it->is_symlink()) {
      files.push_back(rel);
    }
  }
  if (ec) {
    throw Error(image_dir, "cannot walk: " + ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool regular(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

// Where `name` is found for `rel` (a file of `own`), "" when not in the toolchain.
std::string resolve_in_toolchain(const std::string& rel, const ElfDynamic& dynamic,
                                 const std::string& name, const fs::path& own,
                                 const fs::path* rustc) {
  std::vector<fs::path> roots{own};
  if (rustc != nullptr && *rustc != own) {
    roots.push_back(*rustc);
  }
  const fs::path origin = fs::path(rel).parent_path();
  for (std::string entry : dynamic.runpath) {
    for (const char* token : {"$ORIGIN", "${ORIGIN}"}) {
      if (entry.starts_with(token)) {
        entry = (origin / entry.substr(std::string(token).size()).insert(0, "./")).generic_string();
      }
    }
    if (entry.starts_with("/")) {
      continue;
    }
    const fs::path dir = fs::path(entry).lexically_normal();
    if (dir.empty() || *dir.begin() == "..") {
      continue;  // leaves the toolchain
    }
    for (const auto& root : roots) {
      if (regular(root / dir / name)) {
        return (dir / name).generic_string();
      }
    }
  }
  for (const auto& root : roots) {
    if (regular(root / "lib" / name)) {
      return "lib/" + name;
    }
  }
  return "";
}

void place(const fs::path& source, const fs::path& dest) {
  std::error_code ec;
  fs::create_directories(dest.parent_path(), ec);
  fs::create_hard_link(source, dest, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(source, dest, ec);
    if (ec) {
      throw Error(dest, "cannot copy " + source.string() + ": " + ec.message());
    }
  }
}

} // namespace

bool is_base_system_library(const std::string& name) {
  if (name.starts_with("ld-linux") || name.starts_with("ld-musl") || name.starts_with("ld64.so") ||
      name.starts_with("ld.so")) {
    return true;
  }
  return std::find(k_base_libraries.begin(), k_base_libraries.end(), name) !=
         k_base_libraries.end();
}

HostLibraryReport complete_host_libraries(const std::vector<HostImage>& images,
                                          const std::map<std::string, fs::path>& pool) {
  HostLibraryReport report;
  std::set<std::string> hosts;
  for (const auto& image : images) {
    if (is_host_package(image.package)) {
      hosts.insert(image.target);
    }
  }
  for (const auto& host : hosts) {
    std::vector<const HostImage*> toolchain;
    const HostImage* rustc = nullptr;
    for (const auto& image : images) {
      if (image.target == host && is_host_package(image.package)) {
        toolchain.push_back(&image);
        if (image.package == "rustc") {
          rustc = &image;
        }
      }
    }
    if (rustc == nullptr) {
      // No rustc for this host among the images (an overlay adding a tool to a published
      // toolchain): the lib/ its tools rely on is not known here, so nothing can be judged.
      continue;
    }
    // Pool libraries needed, with the packages that need them (directly or through another
    // pool library) and one file that needs each, for the message.
    std::map<std::string, std::set<const HostImage*>> needers;
    std::map<std::string, std::string> first_needer;
    std::map<std::string, std::vector<std::string>> pool_deps;  // pool lib -> pool libs it needs
    std::vector<std::string> to_expand;
    auto need = [&](const HostImage& image, const std::string& what, const std::string& rel,
                    const ElfDynamic& dynamic) {
      for (const auto& name : dynamic.needed) {
        if (is_base_system_library(name) ||
            !resolve_in_toolchain(rel, dynamic, name, image.image_dir, &rustc->image_dir)
                 .empty()) {
          continue;
        }
        if (pool.count(name) && image.may_add) {
          if (needers[name].insert(&image).second && !first_needer.count(name)) {
            first_needer[name] = what;
            to_expand.push_back(name);
          }
          continue;
        }
        report.problems.push_back(
            image.origin + ": " + image.package + " for " + host + ": " + what + " needs " + name +
            ", which is neither in the toolchain (" +
            (dynamic.runpath.empty() ? std::string("no RUNPATH")
                                     : "RUNPATH " + dynamic.runpath.front()) +
            ", lib/ of " + image.package + (rustc != &image ? " or rustc" : "") +
            ") nor elsewhere in the input, and is not a base system library (" +
            base_list_text() + ")");
      }
    };
    for (const HostImage* image : toolchain) {
      for (const auto& rel : candidate_files(image->image_dir)) {
        if (auto dynamic = read_elf_dynamic(image->image_dir / rel)) {
          need(*image, rel, rel, *dynamic);
        }
      }
    }
    // A pool library's own needs, attributed to the first package needing it; who else needs
    // it is propagated below.
    for (std::size_t i = 0; i < to_expand.size(); ++i) {
      const std::string name = to_expand[i];
      const fs::path source = pool.at(name);
      auto dynamic = read_elf_dynamic(source);
      if (!dynamic) {
        continue;
      }
      const HostImage* owner = *needers[name].begin();
      for (const auto& dep : dynamic->needed) {
        if (pool.count(dep) && !is_base_system_library(dep)) {
          pool_deps[name].push_back(dep);
        }
      }
      need(*owner, "lib/" + name + " (from " + source.string() + ")", "lib/" + name, *dynamic);
    }
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& [name, deps] : pool_deps) {
        for (const auto& dep : deps) {
          if (!needers.count(dep)) {
            continue;
          }
          for (const HostImage* image : std::set<const HostImage*>(needers[name])) {
            changed |= needers[dep].insert(image).second;
          }
        }
      }
    }
    std::map<const HostImage*, std::string> added;  // package -> "libfoo.so.1, libbar.so.2"
    for (const auto& [name, who] : needers) {
      const HostImage* into = *who.begin();
      if ((who.size() > 1 || who.count(rustc)) && rustc->may_add) {
        into = rustc;
      }
      const fs::path dest = into->image_dir / "lib" / name;
      if (!fs::exists(dest)) {
        place(pool.at(name), dest);
      }
      added[into] += (added[into].empty() ? "" : ", ") + name;
    }
    for (const auto& [image, names] : added) {
      report.added.push_back(image->package + " for " + host +
                             ": packed into lib/ the libraries it needs from the input: " + names);
    }
  }
  return report;
}

} // namespace distbuild::cross
