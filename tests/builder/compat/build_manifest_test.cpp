// build_manifest() on the smallest input upstream accepts (the combined x86_64 linux tarball
// alone) and on inputs that only differ in one rule: the whole table is still listed, empty
// artifacts survive a round trip, the target specs decide the lists, a dev channel's file names.
#include "builder/compat/build_manifest.hpp"
#include "builder/compat/build_manifest_rules.hpp"

#include "manifest/channel.hpp"
#include "tests/e2e/build_manifest_fixture.hpp"

#include <gtest/gtest.h>

#include <set>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

const std::string k_host = "x86_64-unknown-linux-gnu";

BuildManifestOptions options_for(const TempDir& dir, const std::string& channel) {
  BuildManifestOptions options;
  options.input_dir = dir / "dl";
  options.output_dir = dir / "out";
  options.date = "2026-04-16";
  options.upload_addr = "https://example.org/dist";
  options.channel = channel;
  options.threads = 1;
  return options;
}

manifest::Channel written(const TempDir& dir, const std::string& name) {
  fs::path path = dir / "out" / ("channel-rust-" + name + ".toml");
  return manifest::parse_channel(testutil::read_file(path), path.string());
}

TEST(BuildManifest, TheCombinedTarballAloneListsTheWholeTableUnavailable) {
  TempDir dir;
  testutil::make_real_installer(dir / "dl", "rust-1.95.0-" + k_host, "rustc",
                                {{"bin/rustc", "fake\n"}}, "1.95.0 (a1b2c3d4e 2026-04-14)",
                                "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
  auto result = build_manifest(options_for(dir, "stable"));
  auto channel = written(dir, "stable");
  auto lists = builtin_upstream_targets();
  ASSERT_EQ(lists.hosts.size(), 32u);
  ASSERT_EQ(lists.targets.size(), 114u);

  // Every package of upstream's list (enzyme comes with 1.97), each for every triple of its list.
  EXPECT_EQ(channel.packages.size(), upstream_packages().size());  // 20 rows and rust
  EXPECT_EQ(channel.packages.count("enzyme-preview"), 0u);
  EXPECT_EQ(channel.packages.at("rustc").targets.size(), 32u);
  EXPECT_EQ(channel.packages.at("rust-std").targets.size(), 114u);
  EXPECT_EQ(channel.packages.at("llvm-tools-preview").targets.size(), 114u);
  EXPECT_EQ(channel.packages.at("rust-mingw").targets.size(), 4u);
  EXPECT_EQ(channel.packages.at("rust-src").targets.count("*"), 1u);
  std::size_t available = 0;
  for (const auto& [name, package] : channel.packages) {
    for (const auto& [triple, entry] : package.targets) {
      available += entry.available ? 1 : 0;
    }
  }
  EXPECT_EQ(available, 1u);  // rust for x86_64 linux
  const auto& rust = channel.packages.at("rust").targets.at(k_host);
  EXPECT_EQ(rust.xz->url, "https://example.org/dist/2026-04-16/rust-1.95.0-" + k_host + ".tar.xz");
  EXPECT_FALSE(rust.gz);
  // The lists still name the unavailable host packages (upstream keeps pairs that have an
  // entry), which is why validate() warns: rustup could not install this host.
  EXPECT_EQ(rust.components.size(), 4u);
  // rust-src, rustc-dev per host, rustc-docs, rust-std per other target, rust-analysis, 10 tools
  EXPECT_EQ(rust.extensions.size(), 1u + 32 + 1 + 113 + 1 + 10);
  EXPECT_FALSE(result.warnings.empty());
  // No source tarball, MSI or PKG: the three artifacts are still there, empty.
  ASSERT_EQ(channel.artifacts.size(), 3u);
  EXPECT_TRUE(channel.artifacts.at("source-code").at("*").empty());
  EXPECT_TRUE(channel.artifacts.at("installer-msi").empty());
  EXPECT_TRUE(channel.artifacts.at("installer-pkg").empty());
  std::set<std::string> shipped{"rust-1.95.0-" + k_host + ".tar.xz"};  // sorted, as written
  for (std::string name : {"stable", "1.95.0", "1.95"}) {
    for (std::string suffix : {".toml", "-date.txt", "-git-commit-hash.txt"}) {
      shipped.insert("channel-rust-" + name + suffix);
    }
  }
  EXPECT_EQ(result.shipped, std::vector<std::string>(shipped.begin(), shipped.end()));
}

TEST(BuildManifest, TargetSpecsDecideTheListsAndADevChannelNamesFilesWithDev) {
  TempDir dir;
  testutil::make_real_installer(dir / "dl", "rust-1.96.0-dev-" + k_host, "rustc",
                                {{"bin/rustc", "fake\n"}}, "1.96.0-dev", "0123456789abcdef");
  testutil::write_file(dir / "dl/rustc-1.96.0-dev-aarch64-apple-darwin.tar.gz", "x");
  testutil::write_fixture_specs(dir / "specs.json");
  auto options = options_for(dir, "dev");
  options.target_specs = dir / "specs.json";
  auto result = build_manifest(options);
  EXPECT_EQ(result.written.size(), 3u);  // no pins off stable and beta
  auto channel = written(dir, "dev");
  std::vector<std::string> hosts;
  for (const auto& [triple, entry] : channel.packages.at("rustc").targets) hosts.push_back(triple);
  EXPECT_EQ(hosts, (std::vector<std::string>{"aarch64-apple-darwin", "aarch64-unknown-linux-gnu",
                                             "x86_64-pc-windows-gnu", "x86_64-pc-windows-msvc",
                                             k_host}));
  EXPECT_EQ(channel.packages.at("rust-std").targets.size(), 9u);  // no tier 3, no untiered
  const auto& rustc = channel.packages.at("rustc").targets.at("aarch64-apple-darwin");
  ASSERT_TRUE(rustc.gz);
  EXPECT_EQ(rustc.gz->url,
            "https://example.org/dist/2026-04-16/rustc-1.96.0-dev-aarch64-apple-darwin.tar.gz");
  EXPECT_EQ(rustc.gz->hash,
            testutil::sha256_file(dir / "dl/rustc-1.96.0-dev-aarch64-apple-darwin.tar.gz"));
}

TEST(BuildManifest, SeveralReleasesInOneDirectoryAreRefused) {
  TempDir dir;
  for (std::string version : {"1.95.0", "1.94.1"}) {
    testutil::make_real_installer(dir / "dl", "rust-" + version + "-" + k_host, "rustc",
                                  {{"bin/rustc", "fake\n"}}, version, "0123");
  }
  try {
    build_manifest(options_for(dir, "stable"));
    FAIL() << "accepted two releases";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("1.94.1, 1.95.0"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir / "out"));
}

} // namespace
} // namespace distbuild::builder
