// Reading installer tarballs back: their metadata (read_installer), their files
// (extract_installer), and a structural check against everything rustup rejects
// (check_installer_structure, dist-format.md section 6 "Tarballs"). Any of gz/xz/zst, chosen by
// magic bytes.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct InstallerInfo {
  std::string top_dir;
  std::string installer_version;                                // "3" (trimmed)
  std::vector<std::string> components;                          // lines of `components`
  std::map<std::string, std::vector<std::string>> manifest_in;  // component -> lines
  std::optional<std::string> version, git_commit_hash;          // overlay files, trimmed
};

// Throws builder::Error naming the tarball (unreadable, corrupt, or missing
// rust-installer-version/components).
InstallerInfo read_installer(const std::filesystem::path& tarball);

// The top directory's `version` and `git-commit-hash` files exactly as stored (not trimmed), the
// way build-manifest reads them for the manifest; stops reading once both are found. Throws
// builder::Error naming the tarball when it cannot be read.
struct InstallerVersion {
  std::optional<std::string> version, git_commit_hash;
};
InstallerVersion read_installer_version(const std::filesystem::path& tarball);

// Writes dest_dir/<top_dir>/...; refuses entries other than directories and regular files, and
// paths that are absolute or contain "..". Modes: 0755 if owner-executable, else 0644.
void extract_installer(const std::filesystem::path& tarball, const std::filesystem::path& dest_dir);

// Every structure problem rustup would reject, each a sentence naming the entry. Empty = fine.
std::vector<std::string> check_installer_structure(const std::filesystem::path& tarball);

} // namespace distbuild::builder
