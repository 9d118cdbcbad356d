#include "builder/pack/pack.hpp"

#include "builder/tree/error.hpp"
#include "builder/inspect/installer_reader.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <utime.h>
#include <sys/resource.h>
#include <csignal>

#include <random>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

using testutil::TempDir;

PackRequest example_request(const fs::path& image, const fs::path& out) {
  PackRequest request;
  request.package_name = "demo-tool-0.1.0-x86_64-unknown-linux-gnu";
  request.components = {ComponentImage{"demo-tool", image, {"share/doc/demo-tool/html"}}};
  request.overlay_dir = testutil::example_overlay();
  request.output_dir = out;
  request.profile = Profile::Fast;
  return request;
}

TEST(Pack, LayoutManifestAndMetadata) {
  TempDir tmp;
  PackResult result = pack(example_request(testutil::example_image(), tmp / "out"));
  ASSERT_EQ(result.files.size(), 3u);
  EXPECT_EQ(result.files[0].path, tmp / "out/demo-tool-0.1.0-x86_64-unknown-linux-gnu.tar.gz");
  EXPECT_EQ(result.files[2].format, Format::Zst);
  for (const PackedFile& file : result.files) {
    EXPECT_EQ(file.size, fs::file_size(file.path));
    EXPECT_EQ(file.sha256, testutil::sha256_file(file.path));
    InstallerInfo info = read_installer(file.path);
    EXPECT_EQ(info.top_dir, "demo-tool-0.1.0-x86_64-unknown-linux-gnu");
    EXPECT_EQ(info.installer_version, "3");
    EXPECT_EQ(info.components, std::vector<std::string>{"demo-tool"});
    EXPECT_EQ(info.version, "0.1.0 (0123456789 2026-01-01)");
    EXPECT_FALSE(info.git_commit_hash);
    EXPECT_EQ(info.manifest_in["demo-tool"],
              (std::vector<std::string>{
                  "dir:share/doc/demo-tool/html",
                  "file:bin/demo-tool",
                  "file:lib/demo-tool/a-rather-long-directory-name-to-exercise-gnu-long-names/"
                  "and-another-nested-level-of-some-length/data-file.txt",
                  "file:lib/demo-tool/data.txt",
                  "file:share/doc/demo-tool/README.md"}));
    EXPECT_EQ(check_installer_structure(file.path), std::vector<std::string>{});
  }
  EXPECT_EQ(testutil::dir_listing(tmp / "out"),
            "demo-tool-0.1.0-x86_64-unknown-linux-gnu.tar.gz\n"
            "demo-tool-0.1.0-x86_64-unknown-linux-gnu.tar.xz\n"
            "demo-tool-0.1.0-x86_64-unknown-linux-gnu.tar.zst\n");
}

TEST(Pack, TarBytesMatchThePlan) {
  TempDir tmp;
  PackRequest request = example_request(testutil::example_image(), tmp / "out");
  request.formats = {Format::Gz};
  PackResult result = pack(request);
  std::string tar = testutil::run_process({"gzip", "-dc", result.files[0].path.string()}).out;
  EXPECT_EQ(tar.size(), result.tar_bytes);
  EXPECT_EQ(result.tar_bytes, predicted_tar_size(plan_pack(request)));
}

// Copies the example image, shuffles mtimes and permission bits other than owner-x.
void scrambled_copy(const fs::path& from, const fs::path& to, unsigned seed) {
  fs::copy(from, to, fs::copy_options::recursive);
  std::mt19937 rng(seed);
  for (const auto& entry : fs::recursive_directory_iterator(to)) {
    struct utimbuf times {static_cast<time_t>(rng() % 2000000000), static_cast<time_t>(rng() % 2000000000)};
    ::utime(entry.path().c_str(), &times);
    if (entry.is_regular_file()) {
      bool exec = (fs::status(entry).permissions() & fs::perms::owner_exec) != fs::perms::none;
      fs::permissions(entry.path(), exec ? fs::perms(0700) : fs::perms(0600 | (rng() % 2 ? 044 : 0)),
                      fs::perm_options::replace);
    }
  }
}

TEST(Pack, ReproducibleAcrossThreadsMtimesAndUmask) {
  TempDir tmp;
  scrambled_copy(testutil::example_image(), tmp / "img1", 1);
  scrambled_copy(testutil::example_image(), tmp / "img2", 2);
  // A big, compressible-but-not-trivial file so xz and zstd really use several blocks/jobs.
  std::string big;
  std::mt19937 rng(7);
  for (int i = 0; i < 3 * 1024 * 1024; ++i) big += static_cast<char>('a' + rng() % 4);
  testutil::write_file(tmp / "img1/lib/big.bin", big);
  testutil::write_file(tmp / "img2/lib/big.bin", big);

  PackRequest a = example_request(tmp / "img1", tmp / "out1");
  a.threads = 1;
  PackRequest b = example_request(tmp / "img2", tmp / "out2");
  b.threads = 4;
  mode_t old = ::umask(022);
  PackResult ra = pack(a);
  ::umask(077);
  PackResult rb = pack(b);
  ::umask(old);
  ASSERT_EQ(ra.files.size(), rb.files.size());
  for (std::size_t i = 0; i < ra.files.size(); ++i) {
    EXPECT_EQ(ra.files[i].sha256, rb.files[i].sha256) << ra.files[i].path;
  }
  // The outputs themselves do not depend on the umask either.
  EXPECT_EQ(fs::status(rb.files[0].path).permissions(), fs::perms(0644));
}

TEST(Pack, MtimeChangesOnlyFileTimes) {
  TempDir tmp;
  PackRequest request = example_request(testutil::example_image(), tmp / "out");
  request.formats = {Format::Gz};
  request.mtime = 1700000000;
  PackResult result = pack(request);
  std::string listing = testutil::list_tarball(result.files[0].path);
  EXPECT_NE(listing.find("f 0755 0/0 / 33 1700000000 demo-tool-0.1.0-x86_64-unknown-linux-gnu/demo-tool/bin/demo-tool\n"), std::string::npos) << listing;
  EXPECT_NE(listing.find("d 0755 0/0 / 0 1153704088 demo-tool-0.1.0-x86_64-unknown-linux-gnu/\n"), std::string::npos);
}

TEST(Pack, ErrorsLeaveNoOutputAndListEveryProblem) {
  TempDir tmp;
  testutil::make_image(tmp / "img", {{"bin/a", "a"}});
  fs::create_symlink("a", tmp / "img/bin/b");
  fs::create_symlink("a", tmp / "img/bin/c");
  PackRequest request = example_request(tmp / "img", tmp / "out");
  request.overlay_dir.reset();
  request.components[0].bulk_dirs = {"share/html"};
  try {
    pack(request);
    FAIL();
  } catch (const Error& e) {
    std::string img = (tmp / "img").string();
    EXPECT_EQ(std::string(e.what()),
              img + "/bin/b: is a symlink (pass --dereference to store the file it points to)\n"
              "distbuild: error: " + img + "/bin/c: is a symlink (pass --dereference to store the file it points to)\n"
              "distbuild: error: " + img + "/share/html: bulk dir does not exist in the image");
  }
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

TEST(Pack, DereferenceReportsWhatItResolved) {
  TempDir tmp;
  testutil::make_image(tmp / "img", {{"lib/libx.so.1", "so"}});
  fs::create_symlink("libx.so.1", tmp / "img/lib/libx.so");
  PackRequest request = example_request(tmp / "img", tmp / "out");
  request.components[0].bulk_dirs.clear();
  request.dereference = true;
  request.formats = {Format::Xz};
  PackResult result = pack(request);
  EXPECT_EQ(result.dereferenced, std::vector<std::string>{"demo-tool/lib/libx.so"});
  EXPECT_EQ(testutil::tarball_member(result.files[0].path,
                                     "demo-tool-0.1.0-x86_64-unknown-linux-gnu/demo-tool/lib/libx.so"),
            "so");
}

TEST(Pack, ConflictingComponentsAndNamesAreRejected) {
  TempDir tmp;
  testutil::make_image(tmp / "a", {{"share/doc/README.md", "a"}});
  testutil::make_image(tmp / "b", {{"share/doc/README.md", "b"}});
  PackRequest request;
  request.package_name = "rust-1.0.0-x";
  request.components = {ComponentImage{"rustc", tmp / "a", {}}, ComponentImage{"cargo", tmp / "b", {}},
                        ComponentImage{"install.sh", tmp / "b", {}}};
  request.output_dir = tmp / "out";
  try {
    pack(request);
    FAIL();
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find((tmp / "b/share/doc/README.md").string() +
                           ": also shipped by component 'rustc' (rustup refuses components that share a file)"),
              std::string::npos) << message;
    EXPECT_NE(message.find("component name 'install.sh': given twice or clashes with an installer file"),
              std::string::npos) << message;
  }
}

TEST(Pack, WriteErrorRemovesEveryTempFile) {
  TempDir tmp;
  std::string noise;
  std::mt19937 rng(3);
  for (int i = 0; i < (1 << 20); ++i) noise += static_cast<char>(rng());
  testutil::make_image(tmp / "img", {{"bin/a", noise}});
  PackRequest request = example_request(tmp / "img", tmp / "out");
  request.components[0].bulk_dirs.clear();
  fs::create_directories(tmp / "out");
  // Simulated full disk for this process: writes past 64 KiB fail with EFBIG.
  struct rlimit old {};
  ::getrlimit(RLIMIT_FSIZE, &old);
  struct rlimit small = old;
  small.rlim_cur = 64 << 10;
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  ::setrlimit(RLIMIT_FSIZE, &small);
  std::string message;
  try {
    pack(request);
  } catch (const Error& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_NE(message.find(": write: File too large"), std::string::npos) << message;
  EXPECT_EQ(testutil::dir_listing(tmp / "out"), "");
}

TEST(Pack, PackageFileStem) {
  EXPECT_EQ(package_file_stem("rust-std", "1.95.0", "armv7-unknown-linux-gnueabihf"),
            "rust-std-1.95.0-armv7-unknown-linux-gnueabihf");
  EXPECT_EQ(package_file_stem("rust-src", "nightly", "*"), "rust-src-nightly");
}

} // namespace
} // namespace distbuild::builder
