// Raspberry Pi board -> triple, the answers rustup's host detection gives on each board.
#include "targets/boards.hpp"

#include "targets/target_table.hpp"

#include <gtest/gtest.h>

namespace distbuild::targets {
namespace {

TEST(Boards, ArmV6BoardsNeedArmGnueabihfAndHaveNo64BitOs) {
  for (const char* name : {"pi1", "zero", "Zero W", "Raspberry Pi Zero"}) {
    auto board = find_raspberry_pi(name);
    ASSERT_TRUE(board) << name;
    EXPECT_EQ(pi_triple(*board, OsBits::Bits32), "arm-unknown-linux-gnueabihf") << name;
    EXPECT_FALSE(pi_triple(*board, OsBits::Bits64)) << name;
  }
}

TEST(Boards, LaterBoardsNeedArmv7Or64Bit) {
  for (const char* name : {"pi3", "Raspberry Pi 4", "pi4", "4", "pi5", "Zero 2 W", "pi400", "cm4"}) {
    auto board = find_raspberry_pi(name);
    ASSERT_TRUE(board) << name;
    EXPECT_EQ(pi_triple(*board, OsBits::Bits32), "armv7-unknown-linux-gnueabihf") << name;
    EXPECT_EQ(pi_triple(*board, OsBits::Bits64), "aarch64-unknown-linux-gnu") << name;
  }
  auto pi2 = find_raspberry_pi("pi2");
  ASSERT_TRUE(pi2);
  EXPECT_EQ(pi_triple(*pi2, OsBits::Bits32), "armv7-unknown-linux-gnueabihf");
  EXPECT_FALSE(pi_triple(*pi2, OsBits::Bits64)); // Cortex-A7: no AArch64
}

TEST(Boards, EveryTripleIsAnUpstreamHost) {
  for (const auto& board : raspberry_pi_boards()) {
    auto t32 = find_target(board.triple_32);
    ASSERT_TRUE(t32) << board.id;
    EXPECT_TRUE(t32->upstream_host);
    EXPECT_EQ(t32->float_abi, FloatAbi::Hard);
    if (!board.triple_64.empty()) {
      EXPECT_TRUE(find_target(board.triple_64)->upstream_host);
    }
  }
}

TEST(Boards, UnknownModel) {
  EXPECT_FALSE(find_raspberry_pi("pi9"));
  EXPECT_FALSE(find_raspberry_pi(""));
}

} // namespace
} // namespace distbuild::targets
