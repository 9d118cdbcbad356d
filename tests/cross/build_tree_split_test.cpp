// split_build_tree: a build/x86_64-unknown-linux-gnu/stage2 (+ stage2-tools-bin) tree and a
// checkout around it, assembled by hard links from the installed stable toolchain where
// bootstrap would have put each file, split into the same file sets as rustup's manifest-*
// lists. Placement below is the inverse of build_tree_split.cpp's rules, written independently
// from bootstrap's dist.rs.
#include "cross/image_split.hpp"

#include "cross/error.hpp"
#include "tests/cross/cross_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::cross {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;
using testutil::write_file;

const std::string k_host = "x86_64-unknown-linux-gnu";

// Where a file of the installed toolchain comes from in a checkout `c` with build dir `c/build`.
fs::path origin(const fs::path& c, const std::string& rel) {
  const fs::path s = c / "build" / k_host / "stage2";
  const fs::path tools = c / "build" / k_host / "stage2-tools-bin";
  const fs::path p = rel;
  const std::string file = p.filename().string();
  const std::string rustlib_bin = "lib/rustlib/" + k_host + "/bin/";
  if (rel == "bin/rustc" || rel == "bin/rustdoc") return s / rel;
  if (rel.starts_with("bin/rust-")) return c / "src/etc" / file; // rust-gdb, rust-gdbgui, rust-lldb
  if (rel.starts_with("bin/")) return tools / file;
  if (rel.starts_with("lib/rustlib/etc/")) return c / "src/etc" / file;
  if (rel == rustlib_bin + "rust-objcopy") return s / (rustlib_bin + "llvm-objcopy");
  if (rel.starts_with("lib/")) return s / rel; // dylibs, rust-lld, gcc-ld, std libs
  if (rel.starts_with("libexec/")) return tools / file;
  if (rel.starts_with("etc/target-spec")) return s / rel;
  if (rel == "etc/bash_completion.d/cargo") return c / "src/tools/cargo/src/etc/cargo.bashcomp.sh";
  if (rel == "share/zsh/site-functions/_cargo") return c / "src/tools/cargo/src/etc/_cargo";
  if (rel.starts_with("share/man/man1/cargo")) return c / "src/tools/cargo/src/etc/man" / file;
  if (rel.starts_with("share/man/man1/")) return c / "src/doc/man" / file;
  if (rel.starts_with("share/doc/cargo/")) return c / "src/tools/cargo" / file;
  if (rel.starts_with("share/doc/clippy/")) return c / "src/tools/clippy" / file;
  if (rel.starts_with("share/doc/rustfmt/")) return c / "src/tools/rustfmt" / file;
  if (rel.starts_with("share/doc/rust/licenses/")) return c / "LICENSES" / file;
  if (rel == "share/doc/rust/README.md") return c / "README.md";
  if (rel.starts_with("share/doc/rust/COPYRIGHT")) return c / "build" / file;
  ADD_FAILURE() << "no origin for " << rel;
  return c / "unplaced" / rel;
}

TEST(BuildTreeSplit, StableToolchainLaidOutAsBuildTreeSplitsLikeManifests) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  DISTBUILD_REQUIRE(fs::exists(*toolchain / "lib/rustlib" / ("manifest-rustc-" + k_host)),
                    "an x86_64-unknown-linux-gnu toolchain");
  TempDir dir;
  const fs::path checkout = dir / "rust";
  fs::create_directories(checkout / "library");
  const std::vector<std::string> packages = {"rustc", "rust-std", "cargo", "clippy-preview",
                                             "rustfmt-preview"};
  for (const auto& package : packages) {
    for (const auto& rel : testing::manifest_files(*toolchain, package + "-" + k_host)) {
      testing::link_or_copy(*toolchain / rel, origin(checkout, rel));
    }
  }
  // Things a real stage2 sysroot also holds that belong to no (or another) component here.
  write_file(checkout / "build" / k_host / "stage2/lib/rustlib" / k_host / "lib/librustc_middle-0123.rlib",
             "compiler crate: rustc-dev, not rust-std");
  fs::create_directories(checkout / "build" / k_host / "stage2/lib/rustlib/src");
  fs::create_directory_symlink("../../../../../..", checkout / "build" / k_host / "stage2/lib/rustlib/src/rust");

  SplitOptions options;
  options.work_dir = dir / "images";
  options.packages = packages;
  const auto images = split_build_tree(checkout / "build", options);
  std::set<std::string> produced;
  for (const auto& image : images) {
    SCOPED_TRACE(image.package);
    produced.insert(image.package);
    EXPECT_EQ(image.target, k_host);
    EXPECT_EQ(testing::tree_files(image.image_dir),
              testing::manifest_files(*toolchain, image.package + "-" + k_host));
    EXPECT_TRUE(image.resolved_links.empty());
  }
  EXPECT_EQ(produced, std::set<std::string>(packages.begin(), packages.end()));
}

TEST(BuildTreeSplit, StdStampDecidesRustStdContents) {
  TempDir dir;
  const fs::path build = dir / "build";
  const std::string arm = "armv7-unknown-linux-gnueabihf";
  const fs::path s = build / k_host / "stage2";
  write_file(s / "bin/rustc", "rustc", true);
  const fs::path deps = build / k_host / "stage1-std" / arm / "release/deps";
  write_file(deps / "libcore-1.rlib", "core");
  write_file(deps / "libstd-1.so", "std dylib (host-only entry)");
  write_file(deps / "crt1.o", "self-contained");
  write_file(s / "lib/rustlib" / arm / "lib/libcore-1.rlib", "core");
  write_file(s / "lib/rustlib" / arm / "lib/stray.rlib", "not in the stamp");
  std::string stamp = "t" + (deps / "libcore-1.rlib").string() + '\0' + "h" +
                      (deps / "libstd-1.so").string() + '\0' + "s" + (deps / "crt1.o").string() + '\0';
  write_file(build / k_host / "stage1-std" / arm / "release/.libstd-stamp", stamp);
  SplitOptions options;
  options.work_dir = dir / "images";
  options.packages = {"rust-std"};
  EXPECT_TRUE(is_build_tree(build));
  const auto images = split_any(build, options);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].target, arm);
  EXPECT_EQ(testing::tree_files(images[0].image_dir),
            (std::set<std::string>{"lib/rustlib/" + arm + "/lib/libcore-1.rlib",
                                   "lib/rustlib/" + arm + "/lib/self-contained/crt1.o"}));
}

TEST(BuildTreeSplit, NotABuildTree) {
  TempDir dir;
  SplitOptions options;
  options.work_dir = dir / "images";
  try {
    split_build_tree(dir.path(), options);
    FAIL() << "expected cross::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              dir.path().string() + ": not a Rust build tree: no <host>/stage2 directory");
  }
  EXPECT_FALSE(is_build_tree(dir.path()));
}

} // namespace
} // namespace distbuild::cross
