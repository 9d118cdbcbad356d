// build-manifest against the real thing: the stable (1.95.0) and nightly manifests rustup
// installed on this machine were written by Rust's own build-manifest. From each, this test
// rebuilds the input directory that release had (a file for every url the manifest names; real
// installers where upstream reads a version), runs distbuild's build-manifest on it and
// compares the result entry for entry: packages, versions, every target's availability and
// urls, every `rust` component and extension list in order, renames and profiles. Hashes are
// not compared (the files are stand-ins) and neither are git hashes and artifacts (rustup's
// stored copy drops them). Stable uses distbuild's built-in target table; nightly's lists come
// from its own rustc's target specs, the way upstream's build.rs makes them.
#include "tests/e2e/build_manifest_fixture.hpp"

#include "builder/compat/build_manifest.hpp"
#include "builder/compat/build_manifest_rules.hpp"
#include "manifest/channel.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

std::string file_of(const std::string& url) {
  return url.substr(url.rfind('/') + 1);
}

// The input directory that produced `real`: stand-in bytes for every file it names, and real
// installers (with the manifest's version texts) where upstream reads versions.
void recreate_inputs(const manifest::Channel& real, const fs::path& dir) {
  fs::create_directories(dir);
  std::set<std::string> real_files;
  auto versioned = [&](const std::string& pkg, const std::string& version) {
    const auto& entry = real.packages.at(pkg).targets.at(k_host);
    if (!entry.available) return;
    for (const auto* ref : {&entry.gz, &entry.xz}) {
      if (!*ref) continue;
      std::string file = file_of((*ref)->url);
      std::string stem = file.substr(0, file.find(".tar."));
      std::string format = file.substr(file.rfind('.') + 1);
      make_real_installer(dir, stem, pkg, {{"share/doc/" + pkg + "/README", "stand-in\n"}},
                          version, "0123456789abcdef0123456789abcdef01234567", {format});
      real_files.insert(file);
    }
  };
  versioned("rust", real.packages.at("rust").version);
  for (const auto& package : builder::upstream_packages()) {
    std::string name = builder::upstream_manifest_name(package);
    if (!package.rust_version && real.packages.count(name) != 0) {
      versioned(name, real.packages.at(name).version);
    }
  }
  for (const auto& [pkg, package] : real.packages) {
    for (const auto& [triple, entry] : package.targets) {
      for (const auto* ref : {&entry.gz, &entry.xz, &entry.zst}) {
        if (*ref && real_files.count(file_of((*ref)->url)) == 0) {
          write_file(dir / file_of((*ref)->url), "stand-in\n");
        }
      }
    }
  }
}

void expect_same_manifest(const manifest::Channel& ours, const manifest::Channel& real) {
  std::set<std::string> our_names, real_names;
  for (const auto& [name, p] : ours.packages) our_names.insert(name);
  for (const auto& [name, p] : real.packages) real_names.insert(name);
  ASSERT_EQ(our_names, real_names);
  std::size_t entries = 0;
  for (const auto& [name, theirs] : real.packages) {
    SCOPED_TRACE(name);
    const manifest::Package& mine = ours.packages.at(name);
    EXPECT_EQ(mine.version, theirs.version);
    std::set<std::string> our_targets, real_targets;
    for (const auto& [t, e] : mine.targets) our_targets.insert(t);
    for (const auto& [t, e] : theirs.targets) real_targets.insert(t);
    ASSERT_EQ(our_targets, real_targets);
    for (const auto& [triple, entry] : theirs.targets) {
      SCOPED_TRACE(triple);
      const manifest::TargetEntry& e = mine.targets.at(triple);
      EXPECT_EQ(e.available, entry.available);
      EXPECT_EQ(e.gz.has_value(), entry.gz.has_value());
      EXPECT_EQ(e.xz.has_value(), entry.xz.has_value());
      if (e.gz && entry.gz) {
        EXPECT_EQ(e.gz->url, entry.gz->url);
      }
      if (e.xz && entry.xz) {
        EXPECT_EQ(e.xz->url, entry.xz->url);
      }
      EXPECT_FALSE(e.zst);
      EXPECT_EQ(e.components, entry.components);
      EXPECT_EQ(e.extensions, entry.extensions);
      ++entries;
    }
  }
  EXPECT_GT(entries, 800u);  // 859 in 1.95.0, 882 in the 1.97 nightly
  EXPECT_EQ(ours.renames, real.renames);
  EXPECT_EQ(ours.profiles, real.profiles);
}

void compare_with_installed(const std::string& channel, bool specs_from_rustc) {
  auto toolchain = installed_toolchain(channel);
  DISTBUILD_REQUIRE(toolchain, "a " + channel + " toolchain installed by rustup");
  const fs::path stored = *toolchain / "lib/rustlib/multirust-channel-manifest.toml";
  auto real = manifest::parse_channel(read_file(stored), stored.string());
  TempDir dir;
  recreate_inputs(real, dir / "dl");
  builder::BuildManifestOptions options;
  options.input_dir = dir / "dl";
  options.output_dir = dir / "out";
  options.date = real.date;
  options.upload_addr = "https://static.rust-lang.org/dist";
  options.channel = channel;
  options.threads = 2;
  if (specs_from_rustc) {
    auto specs = run_process({(*toolchain / "bin/rustc").string(), "-Z", "unstable-options",
                              "--print=all-target-specs-json"},
                             {{"RUSTC_BOOTSTRAP", "1"}});
    ASSERT_EQ(specs.exit_code, 0) << specs.err;
    write_file(dir / "specs.json", specs.out);
    options.target_specs = dir / "specs.json";
  }
  auto result = builder::build_manifest(options);
  EXPECT_EQ(result.warnings, std::vector<std::string>{});
  fs::path out = dir / "out" / ("channel-rust-" + channel + ".toml");
  auto ours = manifest::parse_channel(read_file(out), out.string());
  expect_same_manifest(ours, real);
}

TEST(BuildManifestUpstream, StableMatchesTheRealManifestWithTheBuiltInTable) {
  compare_with_installed("stable", false);
}

TEST(BuildManifestUpstream, StableMatchesWithTargetListsFromItsRustc) {
  compare_with_installed("stable", true);
}

TEST(BuildManifestUpstream, NightlyMatchesTheRealManifestWithTargetListsFromItsRustc) {
  compare_with_installed("nightly", true);
}

} // namespace
} // namespace distbuild::testutil
