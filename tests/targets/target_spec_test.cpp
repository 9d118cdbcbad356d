// describe_target_from_spec: a custom target's facts from its JSON spec, not from its name.
#include "targets/target_spec.hpp"

#include "targets/error.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace distbuild::targets {
namespace {

TEST(TargetSpec, FactsComeFromTheSpecNotTheName) {
  // A name that says nothing about the machine; the spec says 32-bit hard-float ARM.
  const auto info = describe_target_from_spec(
      "mycompany-board", R"({"arch": "arm", "llvm-target": "armv7-unknown-linux-gnueabihf",
                             "target-pointer-width": "32", "target-endian": "little",
                             "os": "linux", "env": "gnu", "llvm-floatabi": "hard"})");
  EXPECT_EQ(info.triple, "mycompany-board");
  EXPECT_FALSE(info.known);
  EXPECT_EQ(info.family, "arm");
  EXPECT_EQ(info.pointer_width, 32u);
  EXPECT_EQ(info.elf_machine, elf_machine::k_arm);
  EXPECT_EQ(info.object_format, ObjectFormat::Elf);
  EXPECT_EQ(info.float_abi, FloatAbi::Hard);
}

TEST(TargetSpec, NewerSpecsWithNumericWidthAndBigEndian) {
  const auto info = describe_target_from_spec(
      "powerpc64-custom-linux-gnu",
      R"({"arch": "powerpc64", "llvm-target": "powerpc64-unknown-linux-gnu",
          "target-pointer-width": 64, "target-endian": "big", "os": "linux"})");
  EXPECT_EQ(info.pointer_width, 64u);
  EXPECT_EQ(info.endian, Endian::Big);
  EXPECT_EQ(info.elf_machine, elf_machine::k_ppc64);
}

TEST(TargetSpec, KnownTriplesKeepTheirTableRow) {
  const auto info = describe_target_from_spec("x86_64-unknown-linux-gnu", R"({"arch": "arm"})");
  EXPECT_TRUE(info.known);
  EXPECT_EQ(info.elf_machine, elf_machine::k_x86_64);
}

TEST(TargetSpec, BrokenSpecsAreRefused) {
  EXPECT_THROW(describe_target_from_spec("a-b-c", "not json"), Error);
  EXPECT_THROW(describe_target_from_spec("a-b-c", R"({"os": "linux"})"), Error);
}

} // namespace
} // namespace distbuild::targets
