// How many bytes the regular files below a directory hold: the scheduling weight of a pack and
// the size of a cache entry. Unreadable entries count as zero (a size is a hint, not a check).
#pragma once

#include <cstdint>
#include <filesystem>

namespace distbuild::builder {

std::uint64_t bytes_under(const std::filesystem::path& dir);

} // namespace distbuild::builder
