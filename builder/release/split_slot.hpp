// Where an installed toolchain or build tree is split when a cache is in use: a work dir that
// persists between runs, <cache>/split/<key>/<slot>/, keyed by the input's real path and what
// the split is asked for, so a rerun finds its images and only brings them up to date
// (cross/image_set.hpp): an unchanged input is not linked again, its files keep their ctimes,
// and the pack cache's stat index knows them without reading them (issue 17, item 2).
//
// Each slot is held by an flock for as long as a source made from it lives (the lease), so two
// runs at once never share one: the second takes the next slot (at most k_split_slots), and
// with every slot busy the split goes to the run's own work dir as before.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct SplitSlot {
  std::filesystem::path dir;           // the slot's work dir (it may hold an earlier split)
  std::shared_ptr<const void> lease;   // the slot stays locked while a copy of this lives
};

inline constexpr int k_split_slots = 4;

// <pack cache>/split, where the slots live.
inline std::filesystem::path split_cache_of(const std::filesystem::path& pack_cache) {
  return pack_cache / "split";
}

// nullopt when every slot is busy or the cache cannot be written (then split as before).
std::optional<SplitSlot> take_split_slot(const std::filesystem::path& split_cache,
                                         const std::filesystem::path& input,
                                         const std::vector<std::string>& packages,
                                         const std::string& host);

// Removes every slot no run holds (`cache prune --all`): they only save relinking, but their
// hard links keep an uninstalled toolchain's files on disk. Returns how many were removed.
std::size_t remove_idle_split_slots(const std::filesystem::path& split_cache);

} // namespace distbuild::builder
