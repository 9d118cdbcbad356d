// dist's packs at once follow the cores and --memory-limit (issue 17, item 1), and what is
// written never depends on them: the same stage packed on one thread under a budget that fits
// no pack, and on all cores with a large budget, gives byte-identical trees. The rust-std image
// holds 8 MiB of compressible data so xz cuts several blocks and zstd runs several jobs.
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>

#include <random>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

void add_bulk(const fs::path& file) {
  std::mt19937 random(17);
  std::string words[] = {"rustc ", "std::vec ", "Iterator ", "impl ", "fn ", "0x7f3a "};
  std::string text;
  while (text.size() < (std::size_t{8} << 20)) {
    text += words[random() % 6];
    if (random() % 4 == 0) {
      text += std::to_string(random() % 100000) + "\n";
    }
  }
  write_file(file, text);
}

TEST(DistSchedule, BytesDoNotDependOnCoresOrMemoryLimit) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)",
                  {"aarch64-unknown-linux-gnu", "armv7-unknown-linux-gnueabihf"});
  add_bulk(dir / "stage/rust-std" / k_host / "lib/rustlib" / k_host / "lib/libbulk.rlib");
  auto dist = [&](const std::string& tree, std::vector<std::string> extra) {
    std::vector<std::string> args{"dist", "--stage", (dir / "stage").string(), "--out",
                                  (dir / tree).string(), "--date", "2026-04-16", "--profile",
                                  "fast", "--no-arch-check"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_distbuild(args);
  };
  auto narrow = dist("narrow", {"--threads", "1", "--memory-limit", "1M"});
  ASSERT_EQ(narrow.exit_code, 0) << narrow.err;
  EXPECT_NE(narrow.err.find("schedule 5 packs: 1 pack at once, 1 thread each"),
            std::string::npos)
      << narrow.err;
  EXPECT_NE(narrow.err.find("runs anyway"), std::string::npos) << narrow.err;
  auto wide = dist("wide", {"--threads", "4", "--memory-limit", "64G"});
  ASSERT_EQ(wide.exit_code, 0) << wide.err;
  EXPECT_NE(wide.err.find("schedule 5 packs: 4 packs at once, 4 threads each"),
            std::string::npos)
      << wide.err;
  auto plain = dist("default", {});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  const auto reference = snapshot_tree(dir / "narrow/dist");
  EXPECT_EQ(reference.size(), snapshot_tree(dir / "wide/dist").size());
  EXPECT_EQ(reference, snapshot_tree(dir / "wide/dist"));
  EXPECT_EQ(reference, snapshot_tree(dir / "default/dist"));
}

} // namespace
} // namespace distbuild::testutil
