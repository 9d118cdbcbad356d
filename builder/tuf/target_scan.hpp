// The targets of a tree: every regular file below its root by its path relative to the root
// ("dist/channel-rust-stable.toml", "dist/2026-04-16/rustc-….tar.xz", "index.html", their
// .sha256 and .asc), with length, SHA-256 and SHA-512. Left out: tuf/ itself (the metadata is
// not a target of itself) and every dot-file or dot-dir (locks, staging and work dirs, state).
//
// Hashing a whole tree on every publish would cost seconds per gigabyte, so the digests are kept
// in <tree>/.distbuild-tuf/hashes.json keyed by the file's inode, size, mtime and ctime. Every
// publishing step writes a new file and renames it (a new inode), and ctime cannot be set back
// by a user, so a changed file always misses; dist's top-level copies are hard links to the dated
// files and share their entry. Deleting the cache only costs one full hash.
#pragma once

#include "builder/tree/tree_signing.hpp"
#include "builder/tuf/metadata.hpp"

#include <filesystem>
#include <map>
#include <string>

namespace distbuild::builder::tuf {

inline constexpr const char* k_metadata_dir = k_tuf_dir;  // <tree>/tuf/

struct ScanStats {
  std::size_t files = 0;
  std::size_t hashed = 0;  // not found in the cache
};

std::map<std::string, FileInfo> scan_targets(const std::filesystem::path& tree,
                                             ScanStats* stats = nullptr);

// True for a path (relative to the tree) that scan_targets leaves out.
bool is_excluded_target(const std::filesystem::path& relative);

// The files scan_targets lists: target path ("dist/…") -> file, sorted, without hashing.
std::map<std::string, std::filesystem::path> target_files(const std::filesystem::path& tree);

} // namespace distbuild::builder::tuf
