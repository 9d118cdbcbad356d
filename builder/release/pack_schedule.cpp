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

namespace {

// Largest first onto `workers`, each pack to the first free one (what pack_jobs does): whether
// the last finishes within 15 % of an even share, by input size.
bool packs_share_evenly(const std::vector<std::uint64_t>& sizes, unsigned workers) {
  std::vector<std::uint64_t> busy(workers, 0);
  std::uint64_t total = 0;
  for (std::uint64_t size : sizes) {
    *std::min_element(busy.begin(), busy.end()) += size;
    total += size;
  }
  const std::uint64_t makespan = *std::max_element(busy.begin(), busy.end());
  return makespan * 100 <= total * 115 / workers;
}

} // namespace

PackSlots plan_pack_slots(Profile profile, const std::vector<std::uint64_t>& sizes,
                          unsigned cores, std::uint64_t budget) {
  const std::size_t jobs = sizes.size();
  const std::uint64_t largest_input = sizes.empty() ? 0 : sizes.front();
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
  if (slots.packs > 1 && packs_share_evenly(sizes, slots.packs)) {
    slots.threads = std::max(1u, cores / slots.packs);
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
