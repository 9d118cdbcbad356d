// plan_pack_slots (pack_schedule.hpp): packs at once and threads per pack from cores and memory.
#include "builder/release/pack_schedule.hpp"

#include "builder/tree/human_units.hpp"

#include <unistd.h>

#include <algorithm>
#include <thread>

namespace distbuild::builder {

std::uint64_t default_memory_budget() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) {
    return std::uint64_t{1} << 30;
  }
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 2;
}

PackSlots plan_pack_slots(Profile profile, std::size_t jobs, std::uint64_t largest_input,
                          unsigned cores, std::uint64_t budget) {
  if (cores == 0) {
    cores = std::max(1u, std::thread::hardware_concurrency());
  }
  PackSlots slots;
  slots.budget = budget == 0 ? default_memory_budget() : budget;
  const CompressionSettings settings = compression_settings(profile, largest_input);
  auto bound = [&](unsigned threads) {
    return encoder_memory_bound(settings, largest_input, threads).total();
  };
  const unsigned most = static_cast<unsigned>(
      std::min<std::size_t>(cores, std::max<std::size_t>(1, jobs)));
  slots.threads = cores;
  slots.pack_bound = bound(cores);
  slots.packs = static_cast<unsigned>(
      std::clamp<std::uint64_t>(slots.budget / std::max<std::uint64_t>(1, slots.pack_bound), 1,
                                most));
  // One pack on all cores does not fit: fewer threads (the bytes stay the same).
  while (slots.packs == 1 && slots.pack_bound > slots.budget && slots.threads > 1) {
    --slots.threads;
    slots.pack_bound = bound(slots.threads);
  }
  slots.over_budget = slots.pack_bound > slots.budget;
  return slots;
}

std::string PackSlots::describe() const {
  std::string text = std::to_string(packs) + " pack" + (packs == 1 ? "" : "s") + " at once, " +
                     std::to_string(threads) + " thread" + (threads == 1 ? "" : "s") +
                     " each; encoder memory bound " + human_bytes(pack_bound * packs) + " of " +
                     human_bytes(budget);
  if (over_budget) {
    text += " (one pack on one thread needs more than the budget; it runs anyway)";
  }
  return text;
}

} // namespace distbuild::builder
