// Helpers shared by the cross/ tests: reading rustup's manifest-* lists and listing an image.
#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace distbuild::cross::testing {

// The `file:` paths of lib/rustlib/manifest-<component> (dir: lines expanded to their files).
std::set<std::string> manifest_files(const std::filesystem::path& toolchain,
                                     const std::string& component);
// Every regular file under `dir`, relative, '/'-separated.
std::set<std::string> tree_files(const std::filesystem::path& dir);
// Hard link (or copy when that fails) `from` to `to`, creating parents.
void link_or_copy(const std::filesystem::path& from, const std::filesystem::path& to);

} // namespace distbuild::cross::testing
