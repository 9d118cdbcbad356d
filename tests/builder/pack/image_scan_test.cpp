#include "builder/pack/image_scan.hpp"

#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

using testutil::TempDir;

TEST(ImageScan, ListsDirsAndFilesSortedWithExecBits) {
  TempDir tmp;
  testutil::make_image(tmp / "img", {{"bin/tool*", "x"}, {"lib/b", "bb"}, {"lib/a", "a"}});
  std::vector<std::string> problems;
  ImageScan scan = scan_image(tmp / "img", ScanOptions{}, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(scan.dirs, (std::vector<std::string>{"bin", "lib"}));
  ASSERT_EQ(scan.files.size(), 3u);
  EXPECT_EQ(scan.files[0].rel, "bin/tool");
  EXPECT_TRUE(scan.files[0].executable);
  EXPECT_EQ(scan.files[1].rel, "lib/a");
  EXPECT_FALSE(scan.files[1].executable);
  EXPECT_EQ(scan.files[2].size, 2u);
}

TEST(ImageScan, EveryProblemIsListedWithItsPath) {
  TempDir tmp;
  fs::path img = tmp / "img";
  testutil::make_image(img, {{"bin/ok", "x"}, {"lib/rustlib/components", "c"},
                             {"lib/rustlib/manifest-foo", "m"}, {"lib/rustlib/multirust-x.toml", "t"},
                             {"lib/rustlib/rust-installer-version", "3"},
                             {"lib/rustlib/x86_64/lib/components", "fine here"},
                             {"share/a\\b", "x"}, {std::string("share/bad\xff"), "x"},
                             {"share/new\nline", "x"}});
  ASSERT_EQ(::mkfifo((img / "bin/fifo").c_str(), 0644), 0);
  fs::create_symlink("ok", img / "bin/link");
  fs::create_symlink("/etc/passwd", img / "bin/escape");
  fs::create_symlink("missing", img / "bin/dangling");
  std::vector<std::string> problems;
  scan_image(img, ScanOptions{}, problems);
  std::string p = img.string();
  EXPECT_EQ(problems, (std::vector<std::string>{
                          p + "/bin/dangling: symlink target does not exist (missing)",
                          p + "/bin/escape: symlink points outside the image (/etc/passwd)",
                          p + "/bin/fifo: is a fifo; only regular files and directories can be packed",
                          p + "/bin/link: is a symlink (pass --dereference to store the file it points to)",
                          p + "/lib/rustlib/components: reserved name: rustup keeps its own bookkeeping in lib/rustlib/",
                          p + "/lib/rustlib/manifest-foo: reserved name: rustup keeps its own bookkeeping in lib/rustlib/",
                          p + "/lib/rustlib/multirust-x.toml: reserved name: rustup keeps its own bookkeeping in lib/rustlib/",
                          p + "/lib/rustlib/rust-installer-version: reserved name: rustup keeps its own bookkeeping in lib/rustlib/",
                          p + "/share/a\\b: file name contains a backslash",
                          p + "/share/bad\\xff: file name is not valid UTF-8",
                          p + "/share/new\\nline: file name contains a newline",
                      }));
}

TEST(ImageScan, DereferenceStoresTargetsInsideTheImage) {
  TempDir tmp;
  fs::path img = tmp / "img";
  testutil::make_image(img, {{"lib/libfoo.so.1*", "elf"}});
  fs::create_symlink("libfoo.so.1", img / "lib/libfoo.so");
  ScanOptions options;
  options.dereference = true;
  std::vector<std::string> problems;
  ImageScan scan = scan_image(img, options, problems);
  EXPECT_TRUE(problems.empty());
  EXPECT_EQ(scan.dereferenced, std::vector<std::string>{"lib/libfoo.so"});
  ASSERT_EQ(scan.files.size(), 2u);
  EXPECT_EQ(scan.files[0].rel, "lib/libfoo.so");
  EXPECT_EQ(scan.files[0].size, 3u);
  EXPECT_TRUE(scan.files[0].executable);
}

TEST(ImageScan, MissingAndEmptyImages) {
  TempDir tmp;
  std::vector<std::string> problems;
  scan_image(tmp / "nope", ScanOptions{}, problems);
  fs::create_directories(tmp / "empty/sub");
  scan_image(tmp / "empty", ScanOptions{}, problems);
  testutil::write_file(tmp / "file", "x");
  scan_image(tmp / "file", ScanOptions{}, problems);
  EXPECT_EQ(problems, (std::vector<std::string>{
                          (tmp / "nope").string() + ": image directory does not exist",
                          (tmp / "empty").string() + ": image directory contains no files",
                          (tmp / "file").string() + ": image directory is not a directory"}));
}

TEST(ImageScan, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("gr\xc3\xbc\xc3\x9f"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));      // surrogate
  EXPECT_EQ(display_path("a\nb\xff"), "a\\nb\\xff");
}

} // namespace
} // namespace distbuild::builder
