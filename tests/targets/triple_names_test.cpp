// triple_names: distribution names of triples and "did you mean" for requested triples.
#include "targets/triple_names.hpp"

#include <gtest/gtest.h>

namespace distbuild::targets {
namespace {

TEST(TripleNames, DebianTuplesAndArchitecturesMapToRustcTriples) {
  EXPECT_EQ(triple_for_distro_name("aarch64-linux-gnu"), "aarch64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_distro_name("arm64"), "aarch64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_distro_name("arm-linux-gnueabihf"), "armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(triple_for_distro_name("armhf"), "armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(triple_for_distro_name("amd64"), "x86_64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_distro_name("x86_64-pc-linux-gnu"), "x86_64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_distro_name("riscv64-linux-gnu"), "riscv64gc-unknown-linux-gnu");
  // rustc's own names are not distribution names, even those without a vendor.
  EXPECT_EQ(triple_for_distro_name("aarch64-unknown-linux-gnu"), std::nullopt);
  EXPECT_EQ(triple_for_distro_name("aarch64-linux-android"), std::nullopt);
  EXPECT_EQ(triple_for_distro_name("nonsense"), std::nullopt);
}

TEST(TripleNames, MultiarchDirectoriesAreRecognised) {
  EXPECT_EQ(triple_for_multiarch_dir("x86_64-linux-gnu"), "x86_64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_multiarch_dir("aarch64-linux-gnu"), "aarch64-unknown-linux-gnu");
  EXPECT_EQ(triple_for_multiarch_dir("rustlib"), std::nullopt);
  EXPECT_EQ(triple_for_multiarch_dir("llvm-14"), std::nullopt);
}

TEST(TripleNames, RequestedTriplesAreJudgedAgainstTheHeldOnes) {
  const std::vector<std::string> held{"aarch64-unknown-linux-gnu", "x86_64-unknown-linux-gnu"};
  auto matches = match_requested_triples(
      {"aarch64-unknown-linux-gnu", "aarch64-unknown-linux-gn", "aarch64-linux-gnu",
       "armv7-unknown-linux-gnueabhf", "completely-different-thing"},
      held);
  ASSERT_EQ(matches.size(), 5u);
  EXPECT_TRUE(matches[0].held);
  EXPECT_TRUE(matches[0].suggestions.empty());
  // A typo: the held triple one edit away.
  EXPECT_FALSE(matches[1].held);
  ASSERT_FALSE(matches[1].suggestions.empty());
  EXPECT_EQ(matches[1].suggestions.front(), "aarch64-unknown-linux-gnu");
  EXPECT_TRUE(matches[1].held_suggestion.front());
  // Debian's name: what it means, which is held.
  EXPECT_EQ(matches[2].distro_meaning, "aarch64-unknown-linux-gnu");
  EXPECT_EQ(matches[2].suggestions.front(), "aarch64-unknown-linux-gnu");
  // A typo of a triple the inputs do not hold: suggested from the table, said to be missing.
  ASSERT_FALSE(matches[3].suggestions.empty());
  EXPECT_EQ(matches[3].suggestions.front(), "armv7-unknown-linux-gnueabihf");
  EXPECT_FALSE(matches[3].held_suggestion.front());
  EXPECT_TRUE(matches[4].suggestions.empty());
}

} // namespace
} // namespace distbuild::targets
