// The target table against the real upstream manifest rustup installed on this machine: every
// rust-std target is known, upstream_host is true exactly for the rustc targets, and the
// inference used for unknown triples agrees with every row.
#include "targets/target_table.hpp"

#include "tests/testutil/testutil.hpp"

#include "targets/error.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <set>

namespace distbuild::targets {
namespace {

std::set<std::string> manifest_targets(const toml::table& doc, const std::string& package) {
  std::set<std::string> out;
  if (auto targets = doc["pkg"][package]["target"].as_table()) {
    for (const auto& [triple, _] : *targets) {
      out.insert(std::string(triple.str()));
    }
  }
  return out;
}

TEST(TargetTable, MatchesInstalledUpstreamManifest) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  const auto path = *toolchain / "lib/rustlib/multirust-channel-manifest.toml";
  const toml::table doc = toml::parse_file(path.string());
  const auto hosts = manifest_targets(doc, "rustc");
  const auto stds = manifest_targets(doc, "rust-std");
  ASSERT_GE(hosts.size(), 30u);
  ASSERT_GE(stds.size(), 100u);

  for (const auto& triple : stds) {
    auto info = find_target(triple);
    ASSERT_TRUE(info) << triple << " is in [pkg.rust-std] but not in the table";
    EXPECT_TRUE(info->known);
    EXPECT_EQ(info->upstream_host, hosts.count(triple) == 1) << triple;
  }
  for (const auto& triple : hosts) {
    EXPECT_TRUE(find_target(triple)) << triple;
  }
  std::size_t table_hosts = 0;
  for (const auto& row : known_targets()) {
    table_hosts += row.upstream_host ? 1 : 0;
  }
  EXPECT_EQ(table_hosts, hosts.size());
}

TEST(TargetTable, InferenceAgreesWithEveryRow) {
  for (const auto& row : known_targets()) {
    SCOPED_TRACE(row.triple);
    const TargetInfo inferred = infer_target(row.triple);
    EXPECT_FALSE(inferred.known);
    EXPECT_EQ(inferred.arch, row.arch);
    EXPECT_EQ(inferred.family, row.family);
    EXPECT_EQ(inferred.pointer_width, row.pointer_width);
    EXPECT_EQ(inferred.endian, row.endian);
    EXPECT_EQ(inferred.object_format, row.object_format);
    EXPECT_EQ(inferred.elf_machine, row.elf_machine);
    EXPECT_EQ(inferred.float_abi, row.float_abi);
    EXPECT_FALSE(inferred.upstream_host);
  }
}

TEST(TargetTable, Armv7HardFloatRow) {
  auto armv7 = find_target("armv7-unknown-linux-gnueabihf");
  ASSERT_TRUE(armv7);
  EXPECT_EQ(armv7->arch, "armv7");
  EXPECT_EQ(armv7->family, "arm");
  EXPECT_EQ(armv7->pointer_width, 32u);
  EXPECT_EQ(armv7->endian, Endian::Little);
  EXPECT_EQ(armv7->elf_machine, 40);
  EXPECT_EQ(armv7->float_abi, FloatAbi::Hard);
  EXPECT_TRUE(armv7->upstream_host);
  EXPECT_EQ(find_target("arm-unknown-linux-gnueabi")->float_abi, FloatAbi::Soft);
  EXPECT_EQ(find_target("x86_64-unknown-linux-gnux32")->pointer_width, 32u);
  EXPECT_EQ(find_target("s390x-unknown-linux-gnu")->endian, Endian::Big);
  EXPECT_EQ(find_target("x86_64-pc-windows-msvc")->elf_machine, 0);
  EXPECT_EQ(find_target("aarch64-apple-darwin")->object_format, ObjectFormat::MachO);
  EXPECT_FALSE(find_target("thumbv7em-none-eabihf")->upstream_host);
}

TEST(TargetTable, UnknownAndCustomTriplesAreAccepted) {
  auto tier3 = describe_target("armv7-unknown-linux-uclibceabihf");
  EXPECT_FALSE(tier3.known);
  EXPECT_EQ(tier3.elf_machine, 40);
  EXPECT_EQ(tier3.float_abi, FloatAbi::Hard);
  EXPECT_EQ(tier3.pointer_width, 32u);
  auto mips = describe_target("mips-unknown-linux-gnu");
  EXPECT_EQ(mips.endian, Endian::Big);
  EXPECT_EQ(mips.elf_machine, 8);
  auto custom = describe_target("my-custom-target");
  EXPECT_FALSE(custom.known);
  EXPECT_EQ(custom.pointer_width, 0u);
  EXPECT_EQ(custom.elf_machine, 0);
  EXPECT_FALSE(find_target("my-custom-target"));
}

TEST(TargetTable, DescribeRejectsNonTriples) {
  try {
    describe_target("Not A Triple");
    FAIL() << "expected targets::Error";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "not a target triple: 'Not A Triple'");
  }
}

TEST(TargetTable, WindowsHelpers) {
  EXPECT_TRUE(is_windows_gnu("x86_64-pc-windows-gnu"));
  EXPECT_TRUE(is_windows_gnu("i686-pc-windows-gnu"));
  EXPECT_FALSE(is_windows_gnu("x86_64-pc-windows-gnullvm"));
  EXPECT_FALSE(is_windows_gnu("x86_64-pc-windows-msvc"));
  EXPECT_FALSE(is_windows_gnu("x86_64-unknown-linux-gnu"));
  EXPECT_EQ(exe_suffix("x86_64-pc-windows-msvc"), ".exe");
  EXPECT_EQ(exe_suffix("armv7-unknown-linux-gnueabihf"), "");
}

} // namespace
} // namespace distbuild::targets
