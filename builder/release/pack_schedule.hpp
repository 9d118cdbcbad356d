// How many packs of one release run at once, from the machine and a memory budget instead of a
// constant: as many packs run side by side as there are cores, but never more than the memory
// budget holds by the encoders' own bound (encoder_memory_bound(), compress_profile.hpp) for the
// largest input. When even one pack on all cores exceeds the budget, its threads are cut until
// it fits (one thread at least).
//
// Threads per pack: the cores shared out (cores / packs) when the packs, largest first on
// `packs` workers, finish within 15 % of each other by their input sizes; otherwise all cores
// each, so a component that outlasts the others still gets every core at the end. Sharing out
// is worth it: measured on this project's 2-core machine, liblzma on rust-std's tar costs
// 49.7 CPU-s as `xz -T2` alone, 55 CPU-s with another `xz -T2` beside it (four threads on two
// cores), and 43.9 CPU-s in multi-threaded mode with one thread beside another encoder, with
// the very same bytes (the block size, not the thread count, fixes them).
//
// The budget is --memory-limit, else half of the machine's physical memory
// (default_memory_budget()). Nothing here changes what is written, only when.
#pragma once

#include "builder/pack/compress_profile.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace distbuild::builder {

struct PackSlots {
  unsigned packs = 1;             // packs at once
  unsigned threads = 1;           // threads each pack's xz and zstd may use
  std::uint64_t pack_bound = 0;   // encoder memory bound of one pack with `threads`
  std::uint64_t budget = 0;
  bool over_budget = false;       // one pack on one thread is already above the budget
  std::string describe() const;   // one log line
};

// Half of the physical memory (sysconf), 1 GiB when it cannot be read.
std::uint64_t default_memory_budget();

// `sizes`: the packs' input sizes, largest first; `cores` 0 = all cores, `budget` 0 =
// default_memory_budget().
PackSlots plan_pack_slots(Profile profile, const std::vector<std::uint64_t>& sizes,
                          unsigned cores, std::uint64_t budget);

} // namespace distbuild::builder
