// The component table: names rustup and upstream expect for each package (spec 1.1, 1.4).
#include "targets/components.hpp"

#include <gtest/gtest.h>

#include <set>

namespace distbuild::targets {

TEST(Components, FindsByPackageOrTarballName) {
  auto by_package = find_component("clippy-preview");
  auto by_tarball = find_component("clippy");
  ASSERT_TRUE(by_package && by_tarball);
  EXPECT_EQ(by_package->package, "clippy-preview");
  EXPECT_EQ(by_tarball->package, "clippy-preview");
  EXPECT_EQ(by_tarball->tarball_name, "clippy");
  EXPECT_EQ(find_component("llvm-tools")->package, "llvm-tools-preview");
  EXPECT_EQ(find_component("rust-std")->scope, ComponentScope::Target);
  EXPECT_EQ(find_component("rust-src")->scope, ComponentScope::Any);
  EXPECT_EQ(find_component("cargo")->scope, ComponentScope::Host);
  EXPECT_FALSE(find_component("rust"));
  EXPECT_FALSE(find_component("clippy-preview-x86_64-unknown-linux-gnu"));
}

TEST(Components, NightlyOnlyAreUpstreamsThree) {
  std::set<std::string_view> nightly;
  for (const ComponentKind& kind : known_components()) {
    if (kind.nightly_only) {
      nightly.insert(kind.package);
    }
  }
  EXPECT_EQ(nightly, (std::set<std::string_view>{"miri-preview", "rust-docs-json-preview",
                                                 "rustc-codegen-cranelift-preview"}));
}

TEST(Components, PreviewPackagesDifferFromTarballNamesBySuffixOnly) {
  for (const ComponentKind& kind : known_components()) {
    if (kind.package != kind.tarball_name) {
      EXPECT_EQ(std::string(kind.package), std::string(kind.tarball_name) + "-preview");
    }
  }
}

TEST(Components, InstallerComponentName) {
  EXPECT_EQ(installer_component_name(*find_component("rust-std"), "x86_64-unknown-linux-gnu"),
            "rust-std-x86_64-unknown-linux-gnu");
  EXPECT_EQ(installer_component_name(*find_component("rust-analysis"), "armv7-unknown-linux-gnueabihf"),
            "rust-analysis-armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(installer_component_name(*find_component("clippy"), "x86_64-unknown-linux-gnu"), "clippy-preview");
  EXPECT_EQ(installer_component_name(*find_component("rustc"), "x86_64-unknown-linux-gnu"), "rustc");
  EXPECT_EQ(installer_component_name(*find_component("rust-src"), "*"), "rust-src");
}

TEST(Components, VersionLabel) {
  EXPECT_EQ(version_label("stable", "1.95.0"), "1.95.0");
  EXPECT_EQ(version_label("stable", "1.95.0 (59807616e 2026-04-14)"), "1.95.0");
  EXPECT_EQ(version_label("beta", "1.96.0-beta.3"), "beta");
  EXPECT_EQ(version_label("nightly", "1.97.0-nightly"), "nightly");
  EXPECT_EQ(version_label("dev", "1.97.0"), "1.97.0-dev");
}

TEST(Components, TarballStem) {
  EXPECT_EQ(tarball_stem(*find_component("clippy-preview"), "1.95.0", "x86_64-unknown-linux-gnu"),
            "clippy-1.95.0-x86_64-unknown-linux-gnu");
  EXPECT_EQ(tarball_stem(*find_component("rust-std"), "beta", "armv7-unknown-linux-gnueabihf"),
            "rust-std-beta-armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(tarball_stem(*find_component("rust-src"), "1.95.0", "*"), "rust-src-1.95.0");
  EXPECT_EQ(tarball_stem(rust_combined_kind(), "nightly", "x86_64-unknown-linux-gnu"),
            "rust-nightly-x86_64-unknown-linux-gnu");
}

} // namespace distbuild::targets
