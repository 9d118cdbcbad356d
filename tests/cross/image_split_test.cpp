// split_installed_prefix: the installed stable toolchain (used read-only) splits into images
// whose file lists equal rustup's manifest-* lists; symlinks become regular files; lists that
// name a missing file and links that leave the prefix are errors.
#include "cross/image_split.hpp"

#include "cross/error.hpp"
#include "tests/cross/cross_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace distbuild::cross {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;
using testutil::write_file;

const SplitImage* find_image(const std::vector<SplitImage>& images, const std::string& package) {
  for (const auto& image : images) {
    if (image.package == package) {
      return &image;
    }
  }
  return nullptr;
}

TEST(ImageSplit, InstalledToolchainMatchesManifestLists) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  const std::string host = "x86_64-unknown-linux-gnu";
  DISTBUILD_REQUIRE(fs::exists(*toolchain / "lib/rustlib" / ("manifest-rustc-" + host)),
                    "an x86_64-unknown-linux-gnu toolchain");
  TempDir work;
  SplitOptions options;
  options.work_dir = work / "images";
  // rust-docs (52k files) is left out to keep the test fast; its dir: rule is tested below.
  options.packages = {"rustc", "rust-std", "cargo", "clippy-preview", "rustfmt-preview"};
  const auto images = split_installed_prefix(*toolchain, options);
  ASSERT_EQ(images.size(), 5u);
  for (const auto& image : images) {
    SCOPED_TRACE(image.package);
    EXPECT_EQ(image.target, host);
    EXPECT_EQ(image.image_dir, options.work_dir / (image.package + "-" + host));
    const auto expected = testing::manifest_files(*toolchain, image.package + "-" + host);
    EXPECT_EQ(testing::tree_files(image.image_dir), expected);
    EXPECT_EQ(std::set<std::string>(image.files.begin(), image.files.end()), expected);
    EXPECT_TRUE(image.resolved_links.empty());
  }
  // Same bytes as the toolchain: a hard link (same inode) or an identical copy; never modified.
  const auto* rustc = find_image(images, "rustc");
  ASSERT_TRUE(rustc);
  struct stat a {};
  struct stat b {};
  ASSERT_EQ(::stat((rustc->image_dir / "bin/rustc").c_str(), &a), 0);
  ASSERT_EQ(::stat((*toolchain / "bin/rustc").c_str(), &b), 0);
  EXPECT_EQ(a.st_size, b.st_size);
  EXPECT_EQ(a.st_mode & 0777, b.st_mode & 0777);
  if (a.st_dev == b.st_dev) {
    EXPECT_EQ(a.st_ino, b.st_ino);
  }
}

TEST(ImageSplit, TargetsOptionLimitsRustStd) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  TempDir work;
  SplitOptions options;
  options.work_dir = work / "images";
  options.packages = {"rust-std", "clippy-preview"};
  options.targets = {"armv7-unknown-linux-gnueabihf"};
  const auto images = split_installed_prefix(*toolchain, options);
  ASSERT_EQ(images.size(), 1u);
  EXPECT_EQ(images[0].package, "clippy-preview");
}

TEST(ImageSplit, DirLinesAndLibrarySymlinks) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  write_file(prefix / "lib/rustlib/components", "rust-std-armv7-unknown-linux-gnueabihf\nrust-docs-armv7-unknown-linux-gnueabihf\n");
  write_file(prefix / "lib/rustlib/manifest-rust-std-armv7-unknown-linux-gnueabihf",
             "file:lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libfoo.so\n"
             "file:lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libcore.rlib\n");
  write_file(prefix / "lib/rustlib/manifest-rust-docs-armv7-unknown-linux-gnueabihf",
             "dir:share/doc/rust/html\n");
  const fs::path lib = prefix / "lib/rustlib/armv7-unknown-linux-gnueabihf/lib";
  write_file(lib / "libfoo.so.1", "shared object");
  fs::create_symlink("libfoo.so.1", lib / "libfoo.so");
  write_file(lib / "libcore.rlib", "rlib");
  write_file(prefix / "share/doc/rust/html/index.html", "<html>");
  write_file(prefix / "share/doc/rust/html/std/index.html", "<html>std");

  SplitOptions options;
  options.work_dir = dir / "images";
  const auto images = split_installed_prefix(prefix, options);
  ASSERT_EQ(images.size(), 2u);
  const auto& std_image = images[0];
  EXPECT_EQ(std_image.package, "rust-std");
  EXPECT_EQ(std_image.target, "armv7-unknown-linux-gnueabihf");
  const fs::path so = std_image.image_dir / "lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libfoo.so";
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(so)));
  EXPECT_EQ(testutil::read_file(so), "shared object");
  EXPECT_EQ(std_image.resolved_links,
            std::vector<std::string>{
                "lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libfoo.so -> libfoo.so.1"});
  EXPECT_TRUE(fs::is_symlink(fs::symlink_status(lib / "libfoo.so"))); // input untouched
  EXPECT_EQ(images[1].package, "rust-docs");
  EXPECT_EQ(testing::tree_files(images[1].image_dir),
            (std::set<std::string>{"share/doc/rust/html/index.html",
                                   "share/doc/rust/html/std/index.html"}));
}

TEST(ImageSplit, SymlinkOutsidePrefixIsAnError) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  write_file(dir / "outside.so", "elsewhere");
  write_file(prefix / "lib/rustlib/components", "rustc-x86_64-unknown-linux-gnu\n");
  write_file(prefix / "lib/rustlib/manifest-rustc-x86_64-unknown-linux-gnu", "file:lib/libfoo.so\n");
  fs::create_directories(prefix / "lib");
  fs::create_symlink("../../outside.so", prefix / "lib/libfoo.so");
  SplitOptions options;
  options.work_dir = dir / "images";
  try {
    split_installed_prefix(prefix, options);
    FAIL() << "expected cross::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (prefix / "lib/libfoo.so").string() + ": symlink points outside " +
                  fs::weakly_canonical(prefix).string() + ": " +
                  fs::weakly_canonical(dir / "outside.so").string());
  }
}

TEST(ImageSplit, MissingListedFileIsAnError) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  write_file(prefix / "lib/rustlib/components", "cargo-x86_64-unknown-linux-gnu\n");
  write_file(prefix / "lib/rustlib/manifest-cargo-x86_64-unknown-linux-gnu", "file:bin/cargo\n");
  SplitOptions options;
  options.work_dir = dir / "images";
  try {
    split_installed_prefix(prefix, options);
    FAIL() << "expected cross::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (prefix / "bin/cargo").string() +
                                         ": listed in lib/rustlib/manifest-cargo-x86_64-unknown-linux-gnu but missing");
    EXPECT_EQ(e.path(), prefix / "bin/cargo");
  }
}

TEST(ImageSplit, ExistingImageDirectoryIsRefused) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  write_file(prefix / "lib/rustlib/components", "rust-src\n");
  write_file(prefix / "lib/rustlib/manifest-rust-src", "file:lib/rustlib/src/rust/library/core/lib.rs\n");
  write_file(prefix / "lib/rustlib/src/rust/library/core/lib.rs", "//! core");
  fs::create_directories(dir / "images/rust-src");
  SplitOptions options;
  options.work_dir = dir / "images";
  try {
    split_installed_prefix(prefix, options);
    FAIL() << "expected cross::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir / "images/rust-src").string() + ": already exists; split into a new work directory");
  }
}

TEST(ImageSplit, PrefixWithoutListsFollowsDistRules) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  const std::string t = "armv7-unknown-linux-gnueabihf";
  write_file(prefix / "bin/rustc", "rustc", true);
  write_file(prefix / "bin/cargo", "cargo", true);
  write_file(prefix / "bin/cargo-clippy", "x", true);
  write_file(prefix / "bin/rustfmt", "x", true);
  write_file(prefix / "lib/librustc_driver-1.so", "driver");
  write_file(prefix / "lib/rustlib/etc/gdb_lookup.py", "py");
  write_file(prefix / ("lib/rustlib/" + t + "/bin/rust-lld"), "lld", true);
  write_file(prefix / ("lib/rustlib/" + t + "/lib/libstd-1.rlib"), "std");
  write_file(prefix / ("lib/rustlib/" + t + "/lib/librustc_demangle-1.rlib"), "demangle");
  write_file(prefix / ("lib/rustlib/" + t + "/lib/librustc_middle-1.rlib"), "compiler");
  write_file(prefix / "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-2.rlib", "std x86");
  write_file(prefix / "lib/rustlib/src/rust/library/core/src/lib.rs", "core");
  write_file(prefix / "share/man/man1/cargo.1", "man");
  write_file(prefix / "share/man/man1/rustc.1", "man");
  write_file(prefix / "share/doc/rust/html/index.html", "docs");
  write_file(prefix / "lib/rustlib/uninstall.sh", "installer bookkeeping");
  SplitOptions options;
  options.work_dir = dir / "images";
  std::map<std::string, std::set<std::string>> got;
  for (const auto& image : split_installed_prefix(prefix, options)) {
    got[image.package + "|" + image.target] = testing::tree_files(image.image_dir);
  }
  std::map<std::string, std::set<std::string>> expected = {
      {"rustc|" + t,
       {"bin/rustc", "lib/librustc_driver-1.so", "lib/rustlib/etc/gdb_lookup.py",
        "lib/rustlib/" + t + "/bin/rust-lld", "share/man/man1/rustc.1"}},
      {"cargo|" + t, {"bin/cargo", "share/man/man1/cargo.1"}},
      {"clippy-preview|" + t, {"bin/cargo-clippy"}},
      {"rustfmt-preview|" + t, {"bin/rustfmt"}},
      {"rust-std|" + t,
       {"lib/rustlib/" + t + "/lib/libstd-1.rlib", "lib/rustlib/" + t + "/lib/librustc_demangle-1.rlib"}},
      {"rustc-dev|" + t, {"lib/rustlib/" + t + "/lib/librustc_middle-1.rlib"}},
      {"rust-std|x86_64-unknown-linux-gnu", {"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-2.rlib"}},
      {"rust-src|*", {"lib/rustlib/src/rust/library/core/src/lib.rs"}},
      {"rust-docs|" + t, {"share/doc/rust/html/index.html"}},
  };
  EXPECT_EQ(got, expected);
}

// A 52-byte ELF32 LSB header of an ARM EABI5 hard-float executable: what Debian's armhf rustc
// starts with.
std::string armhf_executable_header() {
  std::string h(52, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 1;                          // ELFCLASS32
  h[5] = 1;                          // ELFDATA2LSB
  h[6] = 1;                          // EV_CURRENT
  h[16] = 2;                         // ET_EXEC
  h[18] = 40;                        // EM_ARM
  h[20] = 1;                         // e_version
  h[36] = 0x00; h[37] = 0x04; h[39] = 0x05; // e_flags 0x05000400
  return h;
}

TEST(ImageSplit, HostOfAPrefixWithoutRustLldIsTheMachineOfRustc) {
  // A distro's rustc (Debian's) ships no lib/rustlib/<host>/bin, so with std for two targets the
  // host is the one bin/rustc is built for.
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  const std::string arm = "armv7-unknown-linux-gnueabihf";
  const std::string x86 = "x86_64-unknown-linux-gnu";
  write_file(prefix / "bin/rustc", armhf_executable_header(), true);
  write_file(prefix / ("lib/rustlib/" + arm + "/lib/libstd-1.rlib"), "std arm");
  write_file(prefix / ("lib/rustlib/" + x86 + "/lib/libstd-2.rlib"), "std x86");
  SplitOptions options;
  options.work_dir = dir / "images";
  std::map<std::string, std::string> got;
  for (const auto& image : split_installed_prefix(prefix, options)) {
    got[image.package + "|" + image.target] = image.image_dir.filename().string();
  }
  EXPECT_EQ(got, (std::map<std::string, std::string>{{"rustc|" + arm, "rustc-" + arm},
                                                      {"rust-std|" + arm, "rust-std-" + arm},
                                                      {"rust-std|" + x86, "rust-std-" + x86}}));
}

TEST(ImageSplit, HostUnknownWhenRustcMatchesNoSingleTarget) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  write_file(prefix / "bin/rustc", "#!/bin/sh\n", true);
  write_file(prefix / "lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libstd-1.rlib", "std");
  write_file(prefix / "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd-2.rlib", "std");
  SplitOptions options;
  options.work_dir = dir / "images";
  try {
    split_installed_prefix(prefix, options);
    ADD_FAILURE() << "expected cross::Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              prefix.string() + ": cannot tell the host triple (no single lib/rustlib/<triple>/bin, "
                                "and bin/rustc matches no single lib/rustlib/<triple>); pass it "
                                "with --host <triple>");
  }
}

TEST(ImageSplit, ComponentVersionFromRustupManifest) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  auto version = read_component_version(*toolchain, "rustc");
  ASSERT_TRUE(version);
  EXPECT_TRUE(version->starts_with("1.")) << *version;
  EXPECT_FALSE(read_component_version(*toolchain, "no-such-package"));
  TempDir dir;
  EXPECT_FALSE(read_component_version(dir.path(), "rustc"));
}

// A reused work dir (issue 17, item 2): an unchanged input is not linked again, so its files
// keep their inodes in the image and their ctimes in the input (the pack cache's stat index
// compares ctimes); a changed, removed or newly unwanted file is brought up to date.
TEST(ImageSplit, AReusedWorkDirKeepsUnchangedLinksAndDropsWhatIsGone) {
  TempDir dir;
  const fs::path prefix = dir / "prefix";
  const std::string std_name = "rust-std-x86_64-unknown-linux-gnu";
  write_file(prefix / "lib/rustlib/components", std_name + "\nrust-docs-x86_64-unknown-linux-gnu\n");
  write_file(prefix / "lib/rustlib/manifest-rust-docs-x86_64-unknown-linux-gnu",
             "dir:share/doc/rust/html\n");
  const fs::path lib = prefix / "lib/rustlib/x86_64-unknown-linux-gnu/lib";
  auto list = [&](const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names) {
      text += "file:lib/rustlib/x86_64-unknown-linux-gnu/lib/" + name + "\n";
    }
    write_file(prefix / ("lib/rustlib/manifest-" + std_name), text);
  };
  write_file(lib / "libcore.rlib", "core");
  write_file(lib / "libstd.rlib", "std");
  write_file(lib / "old/libgone.rlib", "gone");
  list({"libcore.rlib", "libstd.rlib", "old/libgone.rlib"});
  write_file(prefix / "share/doc/rust/html/index.html", "<html>");

  SplitOptions options;
  options.work_dir = dir / "slot";
  options.reuse_work_dir = true;
  const auto first = split_installed_prefix(prefix, options);
  ASSERT_EQ(first.size(), 2u);
  const fs::path image = first[0].image_dir / "lib/rustlib/x86_64-unknown-linux-gnu/lib";
  const struct stat core_before = testutil::stat_of(lib / "libcore.rlib");
  const struct stat core_image_before = testutil::stat_of(image / "libcore.rlib");

  // libstd replaced by a new file (what rustup does), libgone dropped from the list, rust-docs
  // no longer asked for.
  fs::remove(lib / "libstd.rlib");
  write_file(lib / "libstd.rlib", "std 2");
  list({"libcore.rlib", "libstd.rlib"});
  options.packages = {"rust-std"};
  const auto second = split_installed_prefix(prefix, options);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(second[0].image_dir, first[0].image_dir);
  EXPECT_EQ(second[0].files, (std::vector<std::string>{
                                 "lib/rustlib/x86_64-unknown-linux-gnu/lib/libcore.rlib",
                                 "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib"}));

  const struct stat core_after = testutil::stat_of(lib / "libcore.rlib");
  EXPECT_EQ(core_after.st_ctim.tv_sec, core_before.st_ctim.tv_sec);
  EXPECT_EQ(core_after.st_ctim.tv_nsec, core_before.st_ctim.tv_nsec);  // not linked again
  EXPECT_EQ(core_after.st_nlink, 2u);                                   // the input + the image
  EXPECT_EQ(testutil::stat_of(image / "libcore.rlib").st_ino, core_image_before.st_ino);
  EXPECT_EQ(testutil::stat_of(image / "libstd.rlib").st_ino, testutil::stat_of(lib / "libstd.rlib").st_ino);
  EXPECT_EQ(testutil::read_file(image / "libstd.rlib"), "std 2");
  EXPECT_FALSE(fs::exists(image / "old"));  // the file and its emptied directory
  EXPECT_FALSE(fs::exists(first[1].image_dir));
  EXPECT_EQ(testing::tree_files(options.work_dir),
            (std::set<std::string>{
                std_name + "/lib/rustlib/x86_64-unknown-linux-gnu/lib/libcore.rlib",
                std_name + "/lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib"}));

  // Without reuse a work dir that exists is still refused.
  options.reuse_work_dir = false;
  EXPECT_THROW(split_installed_prefix(prefix, options), Error);
}

} // namespace
} // namespace distbuild::cross
