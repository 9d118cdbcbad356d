// `distbuild pack` end to end: the golden listing of the example image, independent tools
// (tar, gzip, xz, zstd) on the output, JSON output, and every bad input: error text, exit code,
// no output file left.
#include "signing/sha256.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

const std::string k_stem = "demo-tool-0.1.0-x86_64-unknown-linux-gnu";

std::vector<std::string> example_args(const fs::path& out) {
  return {"pack", "--image", testutil::example_image().string(), "--component", "demo-tool",
          "--package", "demo-tool", "--version", "0.1.0", "--target", "x86_64-unknown-linux-gnu",
          "--overlay", testutil::example_overlay().string(), "--bulk-dir", "share/doc/demo-tool/html",
          "--output-dir", out.string(), "--profile", "fast"};
}

TEST(PackCli, GoldenListingOfTheExample) {
  TempDir tmp;
  auto r = testutil::run_distbuild(example_args(tmp / "dist"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path gz = tmp / "dist" / (k_stem + ".tar.gz");
  std::string tar = testutil::run_process({"gzip", "-dc", gz.string()}).out;
  std::string actual = testutil::list_tarball(gz) + "\n# manifest.in\n" +
                       testutil::tarball_member(gz, k_stem + "/demo-tool/manifest.in") +
                       "\n# sha256 of the uncompressed tar\n" + signing::sha256_hex(tar) + "\n";
  fs::path golden = testutil::source_dir() / "tests/golden/pack-demo-tool.txt";
  if (std::getenv("UPDATE_GOLDEN") != nullptr) {
    testutil::write_file(golden, actual);
  }
  EXPECT_EQ(actual, testutil::read_file(golden));
}

TEST(PackCli, IndependentToolsAcceptTheOutput) {
  for (const char* tool : {"tar", "gzip", "xz", "zstd"}) {
    DISTBUILD_REQUIRE(testutil::find_tool(tool), tool);
  }
  TempDir tmp;
  auto r = testutil::run_distbuild(example_args(tmp / "dist"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path base = tmp / "dist" / k_stem;
  std::string gz = base.string() + ".tar.gz", xz = base.string() + ".tar.xz",
              zst = base.string() + ".tar.zst";
  EXPECT_EQ(testutil::run_process({"gzip", "-t", gz}).exit_code, 0);
  EXPECT_EQ(testutil::run_process({"xz", "-t", xz}).exit_code, 0);
  EXPECT_EQ(testutil::run_process({"zstd", "-t", zst}).exit_code, 0);
  auto listing = testutil::run_process({"tar", "-tvf", gz});
  EXPECT_NE(listing.out.find("-rwxr-xr-x 0/0              33 2006-07-24"), std::string::npos)
      << listing.out;
  EXPECT_NE(listing.out.find(k_stem + "/demo-tool/lib/demo-tool/a-rather-long-directory-name-to-"
                                      "exercise-gnu-long-names/and-another-nested-level-of-some-length/data-file.txt"),
            std::string::npos);
  // One xz stream, one zstd frame, one gzip member (gzip -l would not notice a second one).
  auto xz_list = testutil::run_process({"xz", "--robot", "--list", xz});
  EXPECT_NE(xz_list.out.find("\nfile\t1\t"), std::string::npos) << xz_list.out;
  auto zst_list = testutil::run_process({"zstd", "-lv", zst});
  EXPECT_NE(zst_list.out.find("# Zstandard Frames: 1\n"), std::string::npos) << zst_list.out;
  std::string raw = testutil::read_file(gz);
  std::string tar = testutil::run_process({"gzip", "-dc", gz}).out;
  std::string recompressed_first_member_only =
      testutil::run_process({"python3", "-c",
                             "import sys, zlib\n"
                             "d = zlib.decompressobj(31)\n"
                             "data = open(sys.argv[1], 'rb').read()\n"
                             "d.decompress(data)\n"
                             "print(len(d.unused_data))\n",
                             gz})
          .out;
  EXPECT_EQ(recompressed_first_member_only, "0\n");
  // The gzip header: mtime 0, no name, OS byte 255.
  EXPECT_EQ(raw.substr(4, 4), std::string(4, '\0'));
  EXPECT_EQ(static_cast<unsigned char>(raw[3]), 0u);
  EXPECT_EQ(static_cast<unsigned char>(raw[9]), 255u);
}

TEST(PackCli, HumanAndJsonReports) {
  TempDir tmp;
  auto args = example_args(tmp / "dist");
  args.push_back("--formats");
  args.push_back("xz");
  auto r = testutil::run_distbuild(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path xz = tmp / "dist" / (k_stem + ".tar.xz");
  EXPECT_EQ(r.out, xz.string() + "  " + std::to_string(fs::file_size(xz)) + "  " +
                       testutil::sha256_file(xz) + "\n");
  args.push_back("--json");
  auto j = testutil::run_distbuild(args);
  ASSERT_EQ(j.exit_code, 0) << j.err;
  EXPECT_NE(j.out.find("\"package\": \"" + k_stem + "\""), std::string::npos) << j.out;
  EXPECT_NE(j.out.find("\"sha256\": \"" + testutil::sha256_file(xz) + "\""), std::string::npos);
  EXPECT_NE(j.out.find("\"format\": \"xz\""), std::string::npos);
}

TEST(PackCli, SourceDateEpochAndTargetIndependentNames) {
  TempDir tmp;
  testutil::make_image(tmp / "img", {{"lib/rustlib/src/rust/lib.rs", "fn main() {}\n"}});
  auto r = testutil::run_distbuild({"pack", "--image", (tmp / "img").string(), "--component",
                                    "rust-src", "--package", "rust-src", "--version", "nightly",
                                    "--target", "*", "--formats", "gz", "--output-dir",
                                    (tmp / "out").string()},
                                   {{"SOURCE_DATE_EPOCH", "1700000000"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string listing = testutil::list_tarball(tmp / "out/rust-src-nightly.tar.gz");
  EXPECT_NE(listing.find("f 0644 0/0 / 13 1700000000 rust-src-nightly/rust-src/lib/rustlib/src/rust/lib.rs\n"),
            std::string::npos) << listing;
  auto bad = testutil::run_distbuild({"pack", "--image", (tmp / "img").string(), "--component", "x",
                                      "--package", "x", "--version", "1", "--target", "*",
                                      "--output-dir", (tmp / "out2").string()},
                                     {{"SOURCE_DATE_EPOCH", "yesterday"}});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "distbuild: error: SOURCE_DATE_EPOCH: not a whole number of seconds: 'yesterday'\n");
}

// Runs pack on `image` into `out`, expecting failure with exactly `expected_err` and no file in `out`.
void expect_rejected(const fs::path& image, const fs::path& out, const std::string& expected_err,
                     std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"pack", "--image", image.string(), "--component", "c", "--package",
                                   "c", "--version", "1.0.0", "--target", "x86_64-unknown-linux-gnu",
                                   "--output-dir", out.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = testutil::run_distbuild(args);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.err, expected_err);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(testutil::dir_listing(out), "");
}

TEST(PackCli, BadInputsAreRejectedBeforeAnythingIsWritten) {
  TempDir tmp;
  fs::path out = tmp / "out";
  fs::create_directories(out);
  expect_rejected(tmp / "missing", out,
                  "distbuild: error: " + (tmp / "missing").string() + ": image directory does not exist\n");
  fs::create_directories(tmp / "empty");
  expect_rejected(tmp / "empty", out,
                  "distbuild: error: " + (tmp / "empty").string() + ": image directory contains no files\n");

  testutil::make_image(tmp / "fifo", {{"bin/a", "a"}});
  ASSERT_EQ(::mkfifo((tmp / "fifo/bin/pipe").c_str(), 0644), 0);
  expect_rejected(tmp / "fifo", out, "distbuild: error: " + (tmp / "fifo/bin/pipe").string() +
                                         ": is a fifo; only regular files and directories can be packed\n");

  testutil::make_image(tmp / "links", {{"lib/libz.so.1", "z"}, {"bin/a", "a"}});
  fs::create_symlink("libz.so.1", tmp / "links/lib/libz.so");
  fs::create_symlink("../lib/libz.so.1", tmp / "links/bin/z");
  std::string link_line = ": is a symlink (pass --dereference to store the file it points to)\n";
  expect_rejected(tmp / "links", out,
                  "distbuild: error: " + (tmp / "links/bin/z").string() + link_line +
                      "distbuild: error: " + (tmp / "links/lib/libz.so").string() + link_line);

  testutil::make_image(tmp / "escape", {{"bin/a", "a"}});
  fs::create_symlink("/etc/hostname", tmp / "escape/bin/h");
  expect_rejected(tmp / "escape", out,
                  "distbuild: error: " + (tmp / "escape/bin/h").string() +
                      ": symlink points outside the image (/etc/hostname)\n",
                  {"--dereference"});

  testutil::make_image(tmp / "names", {{"bin/a\\b", "x"}});
  expect_rejected(tmp / "names", out, "distbuild: error: " + (tmp / "names/bin/a\\b").string() +
                                          ": file name contains a backslash\n");
  testutil::make_image(tmp / "nl", {{"bin/a\nb", "x"}});
  expect_rejected(tmp / "nl", out, "distbuild: error: " + (tmp / "nl").string() +
                                       "/bin/a\\nb: file name contains a newline\n");
  testutil::make_image(tmp / "utf", {{"bin/caf\xe9", "x"}});
  expect_rejected(tmp / "utf", out, "distbuild: error: " + (tmp / "utf").string() +
                                        "/bin/caf\\xe9: file name is not valid UTF-8\n");

  testutil::make_image(tmp / "rustup", {{"lib/rustlib/components", "x"}, {"lib/rustlib/multirust-channel-manifest.toml", "x"}});
  std::string reserved = ": reserved name: rustup keeps its own bookkeeping in lib/rustlib/\n";
  expect_rejected(tmp / "rustup", out,
                  "distbuild: error: " + (tmp / "rustup/lib/rustlib/components").string() + reserved +
                      "distbuild: error: " +
                      (tmp / "rustup/lib/rustlib/multirust-channel-manifest.toml").string() + reserved);

  testutil::make_image(tmp / "ok", {{"bin/a", "a"}});
  expect_rejected(tmp / "ok", out,
                  "distbuild: error: --formats: unknown compression format 'rar' (expected gz, xz or zst)\n",
                  {"--formats", "gz,rar"});
  expect_rejected(tmp / "ok", out,
                  "distbuild: error: --profile: unknown compression profile 'max' (expected fast, "
                  "balanced or best)\n",
                  {"--profile", "max"});
  testutil::write_file(tmp / "file-not-dir", "x");
  expect_rejected(tmp / "ok", tmp / "file-not-dir" / "sub",
                  "distbuild: error: " + (tmp / "file-not-dir/sub").string() +
                      ": output directory: Not a directory\n");
}

// Root reads everything: unreadable files and unwritable dirs are tried as the nobody user.
TEST(PackCli, UnreadableFileAndUnwritableOutputAsAnotherUser) {
  bool root = ::geteuid() == 0;
  DISTBUILD_REQUIRE(!root || testutil::find_tool("setpriv"), "setpriv (to drop root)");
  TempDir tmp;
  fs::permissions(tmp.path(), fs::perms(0755), fs::perm_options::replace);
  testutil::make_image(tmp / "img", {{"bin/a", "a"}, {"bin/secret", "s"}});
  fs::permissions(tmp / "img/bin/secret", fs::perms(0000), fs::perm_options::replace);
  fs::create_directories(tmp / "out");
  fs::permissions(tmp / "out", fs::perms(0777), fs::perm_options::replace);
  fs::create_directories(tmp / "readonly");
  fs::permissions(tmp / "readonly", fs::perms(0555), fs::perm_options::replace);
  std::vector<std::string> prefix;
  if (root) {
    prefix = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"};
  }
  auto run = [&](const fs::path& image, const fs::path& out) {
    std::vector<std::string> argv = prefix;
    argv.push_back(testutil::distbuild_binary());
    for (const auto& a : {std::string("pack"), std::string("--image"), image.string(),
                          std::string("--component"), std::string("c"), std::string("--package"),
                          std::string("c"), std::string("--version"), std::string("1"),
                          std::string("--target"), std::string("t"), std::string("--output-dir"),
                          out.string()}) {
      argv.push_back(a);
    }
    return testutil::run_process(argv);
  };
  auto unreadable = run(tmp / "img", tmp / "out");
  EXPECT_EQ(unreadable.exit_code, 1);
  EXPECT_EQ(unreadable.err, "distbuild: error: " + (tmp / "img/bin/secret").string() +
                                ": cannot read: Permission denied\n");
  EXPECT_EQ(testutil::dir_listing(tmp / "out"), "");
  fs::permissions(tmp / "img/bin/secret", fs::perms(0644), fs::perm_options::replace);
  auto unwritable = run(tmp / "img", tmp / "readonly");
  EXPECT_EQ(unwritable.exit_code, 1);
  EXPECT_EQ(unwritable.err, "distbuild: error: " + (tmp / "readonly").string() +
                                ": output directory is not writable: Permission denied\n");
  EXPECT_EQ(testutil::dir_listing(tmp / "readonly"), "");
}

// A real full disk: a 256 KiB tmpfs in a private mount namespace (needs root).
TEST(PackCli, FullDiskLeavesNothingBehind) {
  DISTBUILD_REQUIRE(::geteuid() == 0 && testutil::find_tool("unshare"), "root and unshare (tmpfs)");
  TempDir tmp;
  std::string noise;
  unsigned x = 1;
  for (int i = 0; i < (2 << 20); ++i) {
    x = x * 1103515245 + 12345;
    noise += static_cast<char>(x >> 16);
  }
  testutil::make_image(tmp / "img", {{"bin/big", noise}});
  fs::create_directories(tmp / "small");
  std::string script =
      "mount -t tmpfs -o size=256k tmpfs \"$1\" || exit 77\n"
      "\"$2\" pack --image \"$3\" --component c --package c --version 1 --target t --profile fast "
      "--output-dir \"$1\"\n"
      "rc=$?; echo \"left: $(ls -A \"$1\" | wc -l)\"; exit $rc\n";
  auto r = testutil::run_process({"unshare", "-m", "sh", "-c", script, "sh", (tmp / "small").string(),
                                  testutil::distbuild_binary(), (tmp / "img").string()});
  if (r.exit_code == 77) {
    DISTBUILD_REQUIRE(false, "permission to mount a tmpfs");
  }
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(": write: No space left on device\n"), std::string::npos) << r.err;
  // After the "packing c-1-t" step line (stderr is not a TTY here), the error comes first.
  EXPECT_NE(r.err.find("\ndistbuild: error: " + (tmp / "small").string() + "/c-1-t.tar."),
            std::string::npos) << r.err;
  EXPECT_EQ(r.out, "left: 0\n");
}

} // namespace
} // namespace distbuild
