// A content cache of packed tarballs, so `dist` never compresses an unchanged component twice.
//
// Key: SHA-256 over everything that decides the output bytes: every tar entry pack() would write
// (path, kind, owner-execute bit, size and the SHA-256 of its content, generated files included,
// so the package and component names, overlay files, manifest.in and install.sh are all in),
// the formats, the profile, the entry mtime, a cache format version and the versions of zlib,
// liblzma and libzstd (a new encoder may change the bytes). Thread counts are not in it: the
// bytes never depend on them. The key is made of content hashes only; a file's hash is read from
// the package's stat index (source_digests.hpp: device, inode, size, mtime and ctime, git's
// rule) when none of those moved, else the file is hashed, so a file rewritten in place with its
// old size and mtime restored still misses (its ctime moved). SHA-256 reads ~1.5 GB/s here,
// hundreds of times faster than the encoders.
//
// Layout (every entry is immutable once renamed into place):
//
//   <dir>/v1/<key[0:2]>/<key>/entry.json    {"key", "tar_bytes", "files": [{format,size,sha256}]}
//                            /tar.gz|tar.xz|tar.zst
//   <dir>/tmp/                              entries being written (renamed into v1/ when whole)
//   <dir>/stat/<sha256 of the package name>  the stat index of that package's input files
//
// A hit re-hashes the cached files and compares with entry.json, so a truncated, edited or
// half-deleted entry is detected, removed and treated as a miss: deleting any part of the cache
// at any time is safe. entry.json's mtime records the last use, for `cache prune`.
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/source_digests.hpp"
#include "builder/pack/tar_fanout.hpp"
#include "builder/pack/tar_writer.hpp"
#include "builder/tree/human_units.hpp"  // parse_byte_size, parse_age: the cache's option values

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

// $DISTBUILD_CACHE_DIR, else $XDG_CACHE_HOME/distbuild/pack, else $HOME/.cache/distbuild/pack;
// nullopt when none of them is set (no cache then).
std::optional<std::filesystem::path> default_pack_cache_dir();

// The cache dir a command should use: nullopt when `disabled` or $DISTBUILD_NO_CACHE is set to
// anything but "" or "0"; else `explicit_dir` if given, else default_pack_cache_dir().
std::optional<std::filesystem::path> resolve_pack_cache_dir(
    const std::optional<std::filesystem::path>& explicit_dir, bool disabled);

class PackCache {
public:
  explicit PackCache(std::filesystem::path dir) : m_dir(std::move(dir)) {}
  const std::filesystem::path& dir() const { return m_dir; }

  // Hashes every input file (on up to `threads` threads; 0 = all cores) that `stat_index` (when
  // given) cannot vouch for; `stats` (may be null) says how many each way. Throws builder::Error
  // when an input cannot be read.
  static std::string key(const std::vector<TarEntry>& entries, const std::vector<Format>& formats,
                         Profile profile, std::int64_t mtime, unsigned threads,
                         const std::optional<std::filesystem::path>& stat_index = std::nullopt,
                         DigestStats* stats = nullptr);
  // Where the stat index of a package's inputs lives.
  std::filesystem::path stat_index(const std::string& package_name) const;

  // On a verified hit: links (or copies) the cached files to `<output_stem>.tar.<ext>` and
  // returns them in the order of `formats`; the linked outputs themselves are hashed, so an
  // entry pruned meanwhile cannot leave a bad output. A missing entry is a miss; a corrupt one
  // (or one that cannot be linked) is removed and is a miss too, with no output left. Never
  // throws: a miss makes pack() compress, which reports real output problems itself.
  std::optional<TarballSet> fetch(const std::string& key,
                                  const std::filesystem::path& output_stem,
                                  const std::vector<Format>& formats);

  // Adds the finished files under `key` (hard links when possible). Best effort: returns a
  // message instead of throwing, since a cache that cannot be written must not fail a build.
  std::optional<std::string> store(const std::string& key, const TarballSet& set);

private:
  std::filesystem::path entry_dir(const std::string& key) const;

  std::filesystem::path m_dir;
};

struct CacheEntryInfo {
  std::filesystem::path dir;
  std::string key;
  std::uint64_t bytes = 0;
  std::filesystem::file_time_type last_used;
};

// Every entry (complete or not) under <dir>/v1, least recently used first.
std::vector<CacheEntryInfo> list_pack_cache(const std::filesystem::path& dir);

struct CachePruneOptions {
  std::optional<std::uint64_t> max_bytes;            // keep the most recently used within this
  std::optional<std::chrono::seconds> older_than;    // drop entries unused for this long
  bool all = false;                                  // drop everything
};

struct CachePruneResult {
  std::size_t removed_entries = 0;
  std::uint64_t removed_bytes = 0;
  std::size_t kept_entries = 0;
  std::uint64_t kept_bytes = 0;
};

// Removes entries by the options, plus leftovers in <dir>/tmp older than an hour (a crashed
// run's). With no option set it only removes those leftovers. Throws builder::Error when an
// entry cannot be removed.
CachePruneResult prune_pack_cache(const std::filesystem::path& dir,
                                  const CachePruneOptions& options);

} // namespace distbuild::builder
