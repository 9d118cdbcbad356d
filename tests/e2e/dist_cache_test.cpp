// dist and the pack cache, through the real binary: a second dist of unchanged inputs writes
// byte-identical tarballs and reports every one as taken (not packed) in --json; a changed image
// is packed again and only that one; DISTBUILD_NO_CACHE=1 packs everything and still gives the
// same bytes; `distbuild cache list/prune` see and remove the entries. The cache always lives
// under a TempDir (XDG_CACHE_HOME), never in the user's. Timing is measured by bench/, never here.
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

// The cache settings every run here uses: on, under `xdg`, whatever the caller's environment.
std::map<std::string, std::string> cache_env(const fs::path& xdg, bool off = false) {
  return {{"XDG_CACHE_HOME", xdg.string()},
          {"DISTBUILD_CACHE_DIR", ""},
          {"DISTBUILD_NO_CACHE", off ? "1" : ""}};
}

nlohmann::json dist_json(const std::vector<std::string>& inputs, const fs::path& out,
                         const std::map<std::string, std::string>& env,
                         std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "dist", "--out", out.string(), "--version", "1.95.0",
                                "--date", "2026-04-16", "--profile", "fast"};
  args.insert(args.end(), inputs.begin(), inputs.end());
  args.insert(args.end(), extra.begin(), extra.end());
  ProcessResult r = run_distbuild(args, env);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.exit_code == 0 ? nlohmann::json::parse(r.out) : nlohmann::json::object();
}

// file name -> (packed, bytes) of every artifact.
std::map<std::string, std::pair<bool, std::string>> artifacts(const nlohmann::json& doc) {
  std::map<std::string, std::pair<bool, std::string>> files;
  for (const auto& artifact : doc.value("artifacts", nlohmann::json::array())) {
    fs::path path = artifact["path"].get<std::string>();
    std::string bytes = read_file(path);
    EXPECT_EQ(sha256_file(path), artifact["sha256"]) << path;
    files[path.filename().string()] = {artifact["packed"].get<bool>(), bytes};
  }
  return files;
}

TEST(DistCache, SecondDistTakesEveryTarballFromTheCacheWithIdenticalBytes) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)",
                  {"armv7-unknown-linux-gnueabihf"});
  const std::vector<std::string> inputs{"--stage", (dir / "stage").string()};
  auto first = artifacts(dist_json(inputs, dir / "tree1", cache_env(dir / "xdg")));
  ASSERT_EQ(first.size(), 4u * 3u);  // rustc, cargo, 2x rust-std; gz xz zst
  for (const auto& [name, file] : first) {
    EXPECT_TRUE(file.first) << name << " was packed on the first run";
  }
  auto listed = run_distbuild({"--json", "cache", "list"}, cache_env(dir / "xdg"));
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  auto list = nlohmann::json::parse(listed.out);
  EXPECT_EQ(list["cache_dir"], (dir / "xdg/distbuild/pack").string());
  EXPECT_EQ(list["entries"].size(), 4u);

  auto second = artifacts(dist_json(inputs, dir / "tree2", cache_env(dir / "xdg")));
  ASSERT_EQ(second.size(), first.size());
  for (const auto& [name, file] : second) {
    EXPECT_FALSE(file.first) << name << " should come from the cache";
    EXPECT_TRUE(file.second == first[name].second) << name << " differs from the first run";
  }
  EXPECT_EQ(read_file(dir / "tree2/dist/channel-rust-stable.toml"),
            read_file(dir / "tree1/dist/channel-rust-stable.toml"));

  // One image changed: that package is packed again, the others still hit.
  write_file(dir / "stage/rust-std/armv7-unknown-linux-gnueabihf/lib/rustlib/"
                   "armv7-unknown-linux-gnueabihf/lib/libstd-fake.rlib",
             "a different rlib\n");
  auto third = artifacts(dist_json(inputs, dir / "tree3", cache_env(dir / "xdg")));
  ASSERT_EQ(third.size(), first.size());
  for (const auto& [name, file] : third) {
    const bool changed = name.find("armv7") != std::string::npos;
    EXPECT_EQ(file.first, changed) << name;
    EXPECT_EQ(file.second == first[name].second, !changed) << name;
  }

  // Without the cache everything is packed, to the same bytes.
  auto uncached = artifacts(dist_json(inputs, dir / "tree4", cache_env(dir / "xdg", true)));
  ASSERT_EQ(uncached.size(), first.size());
  for (const auto& [name, file] : uncached) {
    EXPECT_TRUE(file.first) << name;
    EXPECT_TRUE(file.second == third[name].second) << name;
  }
}

TEST(DistCache, ADeletedOrDamagedCacheIsRebuiltNotTrusted) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  const std::vector<std::string> inputs{"--stage", (dir / "stage").string()};
  auto first = artifacts(dist_json(inputs, dir / "tree1", cache_env(dir / "xdg")));
  ASSERT_EQ(first.size(), 3u * 3u);

  // Damage every cached zst in place of a hard link (the tree's copies stay intact).
  int damaged = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir / "xdg/distbuild/pack")) {
    if (entry.path().filename() == "tar.zst") {
      std::string bytes = read_file(entry.path());
      bytes.back() ^= 0x55;
      fs::remove(entry.path());
      write_file(entry.path(), bytes);
      ++damaged;
    }
  }
  EXPECT_EQ(damaged, 3);
  auto second = artifacts(dist_json(inputs, dir / "tree2", cache_env(dir / "xdg")));
  for (const auto& [name, file] : second) {
    EXPECT_TRUE(file.first) << name << " must be packed again";
    EXPECT_TRUE(file.second == first[name].second) << name;
  }

  auto pruned = run_distbuild({"--json", "cache", "prune", "--all"}, cache_env(dir / "xdg"));
  ASSERT_EQ(pruned.exit_code, 0) << pruned.err;
  EXPECT_EQ(nlohmann::json::parse(pruned.out)["removed_entries"], 3);
  fs::remove_all(dir / "xdg");
  auto third = artifacts(dist_json(inputs, dir / "tree3", cache_env(dir / "xdg")));
  for (const auto& [name, file] : third) {
    EXPECT_TRUE(file.first) << name;
    EXPECT_TRUE(file.second == first[name].second) << name;
  }
}

TEST(DistCache, PruneRejectsBadValuesWordForWord) {
  TempDir dir;
  auto size = run_distbuild({"cache", "prune", "--max-size", "lots"}, cache_env(dir / "xdg"));
  EXPECT_EQ(size.exit_code, 1);
  EXPECT_EQ(size.err, "distbuild: error: --max-size: not a size: 'lots' (e.g. 500M, 20G)\n");
  auto age = run_distbuild({"cache", "prune", "--older-than", "7"}, cache_env(dir / "xdg"));
  EXPECT_EQ(age.exit_code, 1);
  EXPECT_EQ(age.err,
            "distbuild: error: --older-than: not an age: '7' (e.g. 90m, 12h, 30d, 2w)\n");
  auto where = run_distbuild({"cache", "dir"}, cache_env(dir / "xdg"));
  EXPECT_EQ(where.exit_code, 0);
  EXPECT_EQ(where.out, (dir / "xdg/distbuild/pack").string() + "\n");
}

// --cache-dir and --no-cache mirror DISTBUILD_CACHE_DIR and DISTBUILD_NO_CACHE=1.
TEST(DistCache, CacheDirAndNoCacheOptions) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  const std::vector<std::string> inputs{"--stage", (dir / "stage").string()};
  const auto env = cache_env(dir / "xdg");
  const std::string own = (dir / "own-cache").string();
  auto first = artifacts(dist_json(inputs, dir / "tree1", env, {"--cache-dir", own}));
  ASSERT_EQ(first.size(), 3u * 3u);
  EXPECT_FALSE(fs::exists(dir / "xdg")) << "--cache-dir must replace the default";
  auto listed = run_distbuild({"--json", "cache", "list", "--cache-dir", own}, env);
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_EQ(nlohmann::json::parse(listed.out)["entries"].size(), 3u);

  auto second = artifacts(dist_json(inputs, dir / "tree2", env, {"--cache-dir", own}));
  ASSERT_EQ(second.size(), first.size());
  for (const auto& [name, file] : second) {
    EXPECT_FALSE(file.first) << name << " should come from " << own;
    EXPECT_TRUE(file.second == first[name].second) << name;
  }

  auto uncached =
      artifacts(dist_json(inputs, dir / "tree3", env, {"--cache-dir", own, "--no-cache"}));
  ASSERT_EQ(uncached.size(), first.size());
  for (const auto& [name, file] : uncached) {
    EXPECT_TRUE(file.first) << name << " must be packed with --no-cache";
    EXPECT_TRUE(file.second == first[name].second) << name;
  }
  EXPECT_FALSE(fs::exists(dir / "xdg"));
}

// tests/testutil's run_distbuild turns the cache off unless a test sets one up, so no test ever
// writes into the user's ~/.cache/distbuild.
TEST(DistCache, TestsNeverUseTheUsersCache) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  ProcessResult r = run_distbuild({"--json", "dist", "--out", (dir / "tree").string(), "--version",
                                   "1.95.0", "--date", "2026-04-16", "--profile", "fast",
                                   "--formats", "gz", "--stage", (dir / "stage").string()},
                                  {{"HOME", (dir / "home").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& [name, file] : artifacts(nlohmann::json::parse(r.out))) {
    EXPECT_TRUE(file.first) << name;
  }
  EXPECT_FALSE(fs::exists(dir / "home/.cache"));
}

TEST(DistCache, RealToolchainSecondRunIsAllHits) {
  auto toolchain = installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  TempDir dir;
  // rustfmt is small (9 MB) but real: the split hard-links the toolchain's files into a fresh
  // work dir on every run, so only content (never inode or ctime) can make this a hit.
  const std::vector<std::string> inputs{"--toolchain", toolchain->string(), "--components",
                                        "rustc,rustfmt", "--formats", "gz,zst"};
  auto first = artifacts(dist_json(inputs, dir / "tree1", cache_env(dir / "xdg")));
  ASSERT_EQ(first.size(), 4u);
  auto second = artifacts(dist_json(inputs, dir / "tree2", cache_env(dir / "xdg")));
  ASSERT_EQ(second.size(), first.size());
  for (const auto& [name, file] : second) {
    EXPECT_FALSE(file.first) << name << " should come from the cache";
    EXPECT_TRUE(file.second == first[name].second) << name;
  }
}

} // namespace
} // namespace distbuild::testutil
