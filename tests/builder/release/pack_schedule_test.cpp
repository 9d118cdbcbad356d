// How many packs run at once follows the cores and the memory budget (issue 17, item 1): never
// a constant, never more packs than cores or jobs, and the packs' bound within the budget
// whenever more than one pack runs.
#include "builder/release/pack_schedule.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

constexpr std::uint64_t k_gib = std::uint64_t{1} << 30;
constexpr std::uint64_t k_rustc = std::uint64_t{402} << 20;

TEST(PackSchedule, FollowsTheCoresWhenMemoryIsPlenty) {
  for (unsigned cores : {1u, 2u, 8u, 64u}) {
    const PackSlots slots = plan_pack_slots(Profile::Balanced, 6, k_rustc, cores, 4096 * k_gib);
    EXPECT_EQ(slots.packs, std::min(cores, 6u)) << cores;
    EXPECT_EQ(slots.threads, cores);
    EXPECT_LE(slots.pack_bound * slots.packs, slots.budget);
  }
  // Never more packs than there are to run.
  EXPECT_EQ(plan_pack_slots(Profile::Fast, 1, k_rustc, 8, 4096 * k_gib).packs, 1u);
}

TEST(PackSchedule, TheBudgetLimitsThePacksAndThenTheirThreads) {
  for (Profile profile : {Profile::Fast, Profile::Balanced, Profile::Best}) {
    for (unsigned cores : {2u, 16u, 64u}) {
      for (std::uint64_t budget : {k_gib / 4, k_gib, 2 * k_gib, 8 * k_gib}) {
        const PackSlots slots = plan_pack_slots(profile, 10, k_rustc, cores, budget);
        EXPECT_GE(slots.packs, 1u);
        EXPECT_LE(slots.packs, cores);
        EXPECT_GE(slots.threads, 1u);
        EXPECT_LE(slots.threads, cores);
        if (!slots.over_budget) {
          EXPECT_LE(slots.pack_bound * slots.packs, budget)
              << profile_name(profile) << " " << cores << " cores, budget " << budget;
        } else {
          EXPECT_EQ(slots.packs, 1u);
          EXPECT_EQ(slots.threads, 1u);
        }
      }
    }
  }
  // best (one xz thread, one zstd worker, < 1 GiB each): two at once in 2 GiB on 2 cores.
  EXPECT_EQ(plan_pack_slots(Profile::Best, 3, k_rustc, 2, 2 * k_gib).packs, 2u);
  EXPECT_EQ(plan_pack_slots(Profile::Best, 3, k_rustc, 2, k_gib).packs, 1u);
  // A budget below one balanced pack on 64 cores: one pack, fewer threads, within the budget.
  const PackSlots cut = plan_pack_slots(Profile::Balanced, 3, k_rustc, 64, 2 * k_gib);
  EXPECT_EQ(cut.packs, 1u);
  EXPECT_LT(cut.threads, 64u);
  EXPECT_LE(cut.pack_bound, 2 * k_gib);
  EXPECT_FALSE(cut.over_budget);
}

TEST(PackSchedule, TheDefaultBudgetIsHalfTheMemory) {
  const PackSlots slots = plan_pack_slots(Profile::Balanced, 2, 1 << 20, 2, 0);
  EXPECT_EQ(slots.budget, default_memory_budget());
  EXPECT_GT(slots.budget, std::uint64_t{0});
}

} // namespace
} // namespace distbuild::builder
