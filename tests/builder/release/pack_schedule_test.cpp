// How many packs run at once follows the cores and the memory budget (issue 17, item 1): never
// a constant, never more packs than cores or jobs, and the packs' bound within the budget
// whenever more than one pack runs.
#include "builder/release/pack_schedule.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

constexpr std::uint64_t k_gib = std::uint64_t{1} << 30;
constexpr std::uint64_t k_rustc = std::uint64_t{402} << 20;
constexpr std::uint64_t k_mb = 1000 * 1000;

std::vector<std::uint64_t> jobs(std::size_t count, std::uint64_t size = k_rustc) {
  return std::vector<std::uint64_t>(count, size);
}

TEST(PackSchedule, FollowsTheCoresWhenMemoryIsPlenty) {
  for (unsigned cores : {1u, 2u, 8u, 64u}) {
    const PackSlots slots = plan_pack_slots(Profile::Balanced, jobs(6), cores, 4096 * k_gib);
    EXPECT_EQ(slots.packs, std::min(cores, 6u)) << cores;
    EXPECT_LE(slots.pack_bound * slots.packs, slots.budget);
  }
  // Never more packs than there are to run.
  EXPECT_EQ(plan_pack_slots(Profile::Fast, jobs(1), 8, 4096 * k_gib).packs, 1u);
}

TEST(PackSchedule, TheBudgetLimitsThePacksAndThenTheirThreads) {
  for (Profile profile : {Profile::Fast, Profile::Balanced, Profile::Best}) {
    for (unsigned cores : {2u, 16u, 64u}) {
      for (std::uint64_t budget : {k_gib / 4, k_gib, 2 * k_gib, 8 * k_gib}) {
        const PackSlots slots = plan_pack_slots(profile, jobs(10), cores, budget);
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
  EXPECT_EQ(plan_pack_slots(Profile::Best, jobs(3), 2, 2 * k_gib).packs, 2u);
  EXPECT_EQ(plan_pack_slots(Profile::Best, jobs(3), 2, k_gib).packs, 1u);
  // A budget below one balanced pack on 64 cores: one pack, fewer threads, within the budget.
  const PackSlots cut = plan_pack_slots(Profile::Balanced, jobs(3), 64, 2 * k_gib);
  EXPECT_EQ(cut.packs, 1u);
  EXPECT_LT(cut.threads, 64u);
  EXPECT_LE(cut.pack_bound, 2 * k_gib);
  EXPECT_FALSE(cut.over_budget);
}

// The cores are shared out when the packs finish together, and each pack keeps every core when
// one of them would outlast the rest alone.
TEST(PackSchedule, ThreadsAreSharedOutWhenThePacksBalance) {
  // The installed stable's tars: rust-docs | rustc + rust-std + cargo + clippy + rustfmt.
  const std::vector<std::uint64_t> toolchain{739 * k_mb, 402 * k_mb, 167 * k_mb,
                                             43 * k_mb,  22 * k_mb,  9 * k_mb};
  const PackSlots whole = plan_pack_slots(Profile::Balanced, toolchain, 2, 64 * k_gib);
  EXPECT_EQ(whole.packs, 2u);
  EXPECT_EQ(whole.threads, 1u);
  EXPECT_EQ(plan_pack_slots(Profile::Balanced, jobs(8), 8, 64 * k_gib).threads, 1u);
  EXPECT_EQ(plan_pack_slots(Profile::Balanced, jobs(8), 4, 64 * k_gib).threads, 1u);
  EXPECT_EQ(plan_pack_slots(Profile::Balanced, jobs(4), 8, 64 * k_gib).threads, 2u);
  // A porter's release: rustc would run alone on one core for most of the time.
  const PackSlots porter = plan_pack_slots(
      Profile::Balanced, {402 * k_mb, 167 * k_mb, 43 * k_mb}, 2, 64 * k_gib);
  EXPECT_EQ(porter.packs, 2u);
  EXPECT_EQ(porter.threads, 2u);
  // One pack: every core.
  EXPECT_EQ(plan_pack_slots(Profile::Balanced, jobs(1), 2, 64 * k_gib).threads, 2u);
}

TEST(PackSchedule, TheDefaultBudgetIsHalfTheMemory) {
  const PackSlots slots = plan_pack_slots(Profile::Balanced, jobs(2, 1 << 20), 2, 0);
  EXPECT_EQ(slots.budget, default_memory_budget());
  EXPECT_GT(slots.budget, std::uint64_t{0});
}

} // namespace
} // namespace distbuild::builder
