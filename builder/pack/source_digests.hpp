// The SHA-256 of every input file of a pack, for the pack cache's key (pack_cache.hpp), read
// from a stat index when a file's stat key (tree/disk_usage.hpp: device, inode, size, mtime,
// ctime) is the one recorded, so an unchanged rerun costs a stat per file instead of reading it:
//
//   <index file>   one line per file: "<dev> <ino> <size> <mtime_ns> <ctime_ns> <sha256> <path>"
//
// The content hash stays the authority: any difference and the file is hashed again, so the
// key, thus the bytes, depend on content only. A file changed within k_racy_margin_ns before
// it was looked at (git's "racy" files) could change again within the same timestamp tick: it
// is not recorded, and is hashed again next time. The index is best effort: missing, damaged or
// unwritable only means hashing.
#pragma once

#include "builder/pack/tar_writer.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct DigestStats {
  std::size_t by_stat = 0, hashed = 0;  // files whose digest came from the index / were hashed
};

// The digest of every File entry read from disk (entries[i].source), "" for the others. Files are
// hashed on up to `threads` threads (0 = all cores). With `index`, digests of files whose stat
// is unchanged come from it and the index is rewritten afterwards. Throws builder::Error when an
// input cannot be read.
std::vector<std::string> source_digests(const std::vector<TarEntry>& entries, unsigned threads,
                                        const std::optional<std::filesystem::path>& index,
                                        DigestStats* stats = nullptr);

} // namespace distbuild::builder
