// How many packs of one release run at once, from the machine and a memory budget instead of a
// constant: every pack may spread its encoders over all cores (the bytes never depend on thread
// counts, so a pack that finishes early leaves its cores to the others), and as many packs run
// side by side as there are cores, but never more than the memory budget holds by the encoders'
// own bound (encoder_memory_bound(), compress_profile.hpp) for the largest input. When even one
// pack on all cores exceeds the budget, its threads are cut until it fits (one thread at least).
//
// The budget is --memory-limit, else half of the machine's physical memory
// (default_memory_budget()). Nothing here changes what is written, only when.
#pragma once

#include "builder/pack/compress_profile.hpp"

#include <cstdint>
#include <string>

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

// `jobs` packs, the largest input `largest_input` bytes; `cores` 0 = all cores, `budget` 0 =
// default_memory_budget().
PackSlots plan_pack_slots(Profile profile, std::size_t jobs, std::uint64_t largest_input,
                          unsigned cores, std::uint64_t budget);

} // namespace distbuild::builder
