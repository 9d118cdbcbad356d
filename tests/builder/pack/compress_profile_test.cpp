#include "builder/pack/compress_profile.hpp"

#include "builder/tree/error.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

TEST(CompressProfile, ParsesFormatsAndProfiles) {
  EXPECT_EQ(parse_format("gz"), Format::Gz);
  EXPECT_EQ(parse_format("xz"), Format::Xz);
  EXPECT_EQ(parse_format("zst"), Format::Zst);
  EXPECT_FALSE(parse_format("bz2"));
  EXPECT_EQ(format_extension(Format::Zst), "tar.zst");
  EXPECT_EQ(parse_format_list("zst,gz,zst"), (std::vector<Format>{Format::Zst, Format::Gz}));
  EXPECT_EQ(parse_profile("best"), Profile::Best);
  EXPECT_FALSE(parse_profile("no-op"));
}

TEST(CompressProfile, UnknownNamesAreErrorsWordForWord) {
  try {
    parse_format_list("gz,bz2");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "--formats: unknown compression format 'bz2' (expected gz, xz or zst)");
  }
  try {
    parse_profile_or_throw("ultra");
    FAIL();
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "--profile: unknown compression profile 'ultra' (expected fast, balanced or best)");
  }
}

TEST(CompressProfile, ProductionDictionaryRule) {
  EXPECT_EQ(production_xz_dict_size(1), 4096u);
  EXPECT_EQ(production_xz_dict_size(4096), 4096u);
  EXPECT_EQ(production_xz_dict_size(4097), 6144u);   // 2^12 + 2^11
  EXPECT_EQ(production_xz_dict_size(6145), 8192u);
  EXPECT_EQ(production_xz_dict_size(100u << 20), 128u << 20);  // 96 MiB < 100 MiB <= 128 MiB
  EXPECT_EQ(production_xz_dict_size(90u << 20), 96u << 20);
  EXPECT_EQ(production_xz_dict_size(5ull << 30), 128u << 20);  // capped
}

TEST(CompressProfile, LevelsPerProfile) {
  CompressionSettings fast = compression_settings(Profile::Fast, 1000);
  EXPECT_EQ(fast.level(Format::Gz), 1);
  EXPECT_EQ(fast.xz_preset, 1u);
  EXPECT_EQ(fast.level(Format::Zst), 3);
  EXPECT_EQ(fast.xz_block_size, 3u << 20);  // 3 x 1 MiB dictionary
  CompressionSettings balanced = compression_settings(Profile::Balanced, 1000);
  EXPECT_EQ(balanced.level(Format::Gz), 6);
  EXPECT_EQ(balanced.level(Format::Zst), 12);
  EXPECT_EQ(balanced.xz_block_size, 24u << 20);
  CompressionSettings best = compression_settings(Profile::Best, 10u << 20);
  EXPECT_EQ(best.level(Format::Gz), 9);
  EXPECT_EQ(best.xz_preset, 9u);
  EXPECT_EQ(best.xz_dict_size, 12u << 20);
  EXPECT_TRUE(best.xz_check_none);
  EXPECT_EQ(best.level(Format::Zst), 19);
  // --help lists them from the same table.
  EXPECT_EQ(profile_levels_help().substr(0, 70),
            "fast: gz 1, xz 1, zst 3; balanced: gz 6, xz 6, zst 12; best: gz 9, xz ");
}

// Issue #8: a best pack of rustc (402 MB tar) must stay under 1 GiB. The bound comes from
// liblzma's and zstd's own memory estimates, for any tar size and any core count (the encoders
// are capped at one xz thread and one zstd worker, so the bound cannot grow with the machine).
TEST(CompressProfile, BestStaysUnderOneGibibyteOnAnyMachine) {
  for (std::uint64_t tar : {std::uint64_t{10} << 20, std::uint64_t{402} << 20,
                            std::uint64_t{5} << 30}) {
    CompressionSettings best = compression_settings(Profile::Best, tar);
    EXPECT_LE(best.xz_dict_size, k_best_max_xz_dict) << tar;
    EXPECT_EQ(best.xz_max_threads, 1u);
    EXPECT_EQ(best.zstd_max_workers, 1u);
    for (unsigned threads : {1u, 2u, 64u}) {
      const EncoderMemory memory = encoder_memory_bound(best, tar, threads);
      EXPECT_LT(memory.total(), std::uint64_t{1} << 30)
          << tar << " B tar, " << threads << " threads: xz " << (memory.xz >> 20) << " MiB, zstd "
          << (memory.zstd >> 20) << " MiB";
      EXPECT_GT(memory.xz, std::uint64_t{1} << 20);  // the estimate is real, not zero
    }
  }
  // Production's 128 MiB dictionary alone would not fit: the reason for the cap.
  CompressionSettings production = compression_settings(Profile::Best, std::uint64_t{402} << 20);
  EXPECT_GT(encoder_memory_bound(production, std::uint64_t{402} << 20, 1).xz,
            std::uint64_t{600} << 20);  // 64 MiB with BT4: 673 MiB
  production.xz_dict_size = 128u << 20;
  EXPECT_GT(encoder_memory_bound(production, std::uint64_t{402} << 20, 1).xz,
            std::uint64_t{1} << 30);
  // balanced scales with the cores as before: no cap.
  CompressionSettings balanced = compression_settings(Profile::Balanced, 166600000);
  EXPECT_EQ(balanced.xz_max_threads, 0u);
  EXPECT_GT(encoder_memory_bound(balanced, 166600000, 4).xz,
            encoder_memory_bound(balanced, 166600000, 2).xz);
}

TEST(CompressProfile, XzBlocksAreXzsOwnAndDependOnlyOnTheDictionary) {
  // xz -T's own rule, 3 x dictionary (at least 1 MiB), whatever the tar size: the bytes are then
  // `xz -T2 -6`'s (Compressor.XzBytesAreTheCommandLineToolsOwn compares them).
  for (std::uint64_t size : {std::uint64_t{1000}, std::uint64_t{20} << 20,
                             std::uint64_t{166600000}, std::uint64_t{3} << 30}) {
    EXPECT_EQ(compression_settings(Profile::Balanced, size).xz_block_size, 24u << 20) << size;
    EXPECT_EQ(compression_settings(Profile::Fast, size).xz_block_size, 3u << 20) << size;
  }
  // best writes one block (liblzma's single-threaded encoder).
  EXPECT_EQ(compression_settings(Profile::Best, 400000000).xz_block_size, 0u);
  EXPECT_EQ(compression_settings(Profile::Best, 400000000).xz_dict_size, 64u << 20);
}

} // namespace
} // namespace distbuild::builder
