// What the disk says about files without reading them: how many bytes the regular files below a
// directory hold (the scheduling weight of a pack and the size of a cache entry; unreadable
// entries count as zero, a size is a hint, not a check), and a file's stat key, git's index
// rule for "unchanged": device, inode, size, mtime and ctime, to the nanosecond. Nothing can
// change a file's bytes and leave all five as they were (ctime moves on every write, rename,
// link and utimes(), and cannot be set back).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

namespace distbuild::builder {

std::uint64_t bytes_under(const std::filesystem::path& dir);

struct StatKey {
  std::uint64_t dev = 0, ino = 0, size = 0;
  std::int64_t mtime_ns = 0, ctime_ns = 0;
  bool operator==(const StatKey&) const = default;
};

// stat() (symlinks followed, as open() does); nullopt with errno set when it fails.
std::optional<StatKey> stat_key(const std::filesystem::path& path);

} // namespace distbuild::builder
