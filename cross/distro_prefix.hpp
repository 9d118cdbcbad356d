// A distribution's Rust, extracted from its packages as they are, is an install prefix in the
// distro's layout rather than rustup's: a /usr prefix (found one level down when the package
// root is given), rustc's shared libraries in lib/<multiarch>/ beside unrelated system libraries,
// shell completions under distro paths, per-package docs and lintian files, and links to system
// tools (rust-lld -> lld-14) that dangle outside that system. This maps each file of such a
// prefix to its place in the layout rustup expects, or leaves it out, or keeps it as a library
// the host packages may need (the library pool; host_libraries.hpp decides).
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace distbuild::cross {

struct LocatedPrefix {
  std::filesystem::path root;    // what was given
  std::filesystem::path prefix;  // root, or root/usr when the toolchain is one level down
  bool distro = false;           // has lib/<multiarch>/ (or is one level down)
};

LocatedPrefix locate_prefix(const std::filesystem::path& from);

enum class DistroPlace { Keep, LeaveOut, Library };

struct DistroFile {
  DistroPlace place = DistroPlace::Keep;
  std::string rel;  // where the file goes in the image (Keep), its own name (Library)
};

// `rel` is relative to the prefix; `host` the host triple ("" when unknown).
DistroFile place_distro_file(const std::string& rel, const std::string& host);

// Every shared library of the prefix's and the root's lib/<multiarch>/ directories, by file
// name, each resolved to a regular file inside `located.root` (dangling links are skipped).
std::map<std::string, std::filesystem::path> library_pool(const LocatedPrefix& located);

} // namespace distbuild::cross
