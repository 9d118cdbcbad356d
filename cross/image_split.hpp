// Turning what a porter has into one install-prefix-shaped image directory per component
// (rustc, rust-std-<target>, cargo, ...), ready for the tarball writer. Two inputs:
//  - an installed prefix (rustup toolchain dir, install.sh or `x.py install` prefix): split by the
//    lib/rustlib/manifest-<component> lists when present, else by the path rules in
//    prefix_rules.cpp;
//  - a Rust build tree (`build/`), split by bootstrap's dist steps (build_tree_split.cpp).
// Inputs are never modified. Files are hard-linked into the images when possible and copied
// otherwise, so callers must never chmod, touch or rewrite a file inside an image: it may be the
// very inode of a file in ~/.rustup. Symlinks are resolved into regular files (rustup rejects
// symlinks in tarballs) and reported; a link leading out of the input is an error.
#pragma once

#include "cross/split_image.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::cross {

std::vector<SplitImage> split_installed_prefix(const std::filesystem::path& prefix,
                                               const SplitOptions& options);
// build_dir is the `build/` directory of a rust checkout; the checkout itself (its parent) is
// used for files bootstrap takes from the sources (man pages, licences, debugger scripts,
// rust-src) when it is there.
std::vector<SplitImage> split_build_tree(const std::filesystem::path& build_dir,
                                         const SplitOptions& options);
// A build tree if `from` has <triple>/stage2 directories, else an installed prefix.
std::vector<SplitImage> split_any(const std::filesystem::path& from, const SplitOptions& options);

bool is_build_tree(const std::filesystem::path& dir);

// The version rustup recorded for a package in <prefix>/lib/rustlib/multirust-channel-manifest.toml
// (e.g. "1.95.0 (59807616e 2026-04-14)"); nullopt when the prefix has no such manifest or package.
std::optional<std::string> read_component_version(const std::filesystem::path& prefix,
                                                  const std::string& package);

} // namespace distbuild::cross
