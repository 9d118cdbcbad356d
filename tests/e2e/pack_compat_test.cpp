// rust-installer's command line: generate with exactly the flags bootstrap passes, combine,
// script and tarball.
#include "builder/inspect/installer_reader.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

fs::path generate(const fs::path& tmp, const std::string& comp, const std::map<std::string, std::string>& files) {
  testutil::make_image(tmp / ("image-" + comp), files);
  testutil::make_image(tmp / ("overlay-" + comp), {{"version", "1.95.0 (59807616e 2026-04-14)\n"},
                                                   {"git-commit-hash", "59807616e1234\n"}});
  std::string pkg = comp + "-1.95.0-x86_64-unknown-linux-gnu";
  auto r = testutil::run_distbuild(
      {"generate", "--product-name=Rust", "--rel-manifest-dir=rustlib", "--success-message=" + comp + " installed.",
       "--image-dir", (tmp / ("image-" + comp)).string(), "--work-dir", (tmp / "work").string(),
       "--output-dir", (tmp / "dist").string(), "--non-installed-overlay",
       (tmp / ("overlay-" + comp)).string(), "--component-name=" + comp,
       "--legacy-manifest-dirs=rustlib,cargo", "--package-name=" + pkg,
       "--compression-profile=fast", "--compression-formats=gz,xz"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tmp / "dist" / (pkg + ".tar.xz");
}

TEST(PackCompat, GenerateWithBootstrapFlags) {
  TempDir tmp;
  fs::path xz = generate(tmp.path(), "cargo", {{"bin/cargo*", "#!/bin/sh\n"}});
  EXPECT_TRUE(fs::exists(tmp / "dist/cargo-1.95.0-x86_64-unknown-linux-gnu.tar.gz"));
  EXPECT_FALSE(fs::exists(tmp / "dist/cargo-1.95.0-x86_64-unknown-linux-gnu.tar.zst"));
  builder::InstallerInfo info = builder::read_installer(xz);
  EXPECT_EQ(info.components, std::vector<std::string>{"cargo"});
  EXPECT_EQ(info.version, "1.95.0 (59807616e 2026-04-14)");
  EXPECT_EQ(info.git_commit_hash, "59807616e1234");
  std::string script = testutil::tarball_member(xz, "cargo-1.95.0-x86_64-unknown-linux-gnu/install.sh");
  EXPECT_NE(script.find("success_message='cargo installed.'\n"), std::string::npos);
  EXPECT_NE(script.find("legacy_manifest_dirs='rustlib,cargo'\n"), std::string::npos);
}

TEST(PackCompat, CombineScriptAndTarball) {
  TempDir tmp;
  fs::path cargo = generate(tmp.path(), "cargo", {{"bin/cargo*", "c"}});
  fs::path rustc = generate(tmp.path(), "rustc", {{"bin/rustc*", "r"}});
  auto r = testutil::run_distbuild({"combine", "--product-name=Rust", "--rel-manifest-dir=rustlib",
                                    "--success-message=Rust is ready to roll.",
                                    "--legacy-manifest-dirs=rustlib,cargo",
                                    "--input-tarballs=" + cargo.string() + "," + rustc.string(),
                                    "--package-name=rust-1.95.0-x86_64-unknown-linux-gnu",
                                    "--work-dir", (tmp / "work").string(), "--output-dir",
                                    (tmp / "out").string(), "--compression-formats=xz,zst",
                                    "--override-file-mtime", "1700000000"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path combined = tmp / "out/rust-1.95.0-x86_64-unknown-linux-gnu.tar.zst";
  builder::InstallerInfo info = builder::read_installer(combined);
  EXPECT_EQ(info.components, (std::vector<std::string>{"rustc", "cargo"}));
  EXPECT_EQ(builder::check_installer_structure(combined), std::vector<std::string>{});
  EXPECT_TRUE(fs::is_empty(tmp / "work"));  // the scratch copy is gone

  auto s = testutil::run_distbuild({"script", "--product-name=Rust", "--rel-manifest-dir=rustlib",
                                    "--success-message=done", "--legacy-manifest-dirs=rustlib,cargo",
                                    "--output-script", (tmp / "install.sh").string()});
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_EQ(fs::status(tmp / "install.sh").permissions(), fs::perms(0755));
  EXPECT_NE(testutil::read_file(tmp / "install.sh").find("success_message='done'\n"), std::string::npos);

  testutil::make_image(tmp / "work/prepared", {{"components", "x\n"}, {"x/manifest.in", "file:a\n"}, {"x/a", "a"}});
  auto t = testutil::run_distbuild({"tarball", "--input", "prepared", "--work-dir", (tmp / "work").string(),
                                    "--output", (tmp / "out/prepared").string(),
                                    "--compression-formats", "gz"});
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_EQ(testutil::list_tarball(tmp / "out/prepared.tar.gz"),
            "d 0755 0/0 / 0 1153704088 prepared/\n"
            "d 0755 0/0 / 0 1153704088 prepared/x/\n"
            "f 0644 0/0 / 1 1153704088 prepared/x/a\n"
            "f 0644 0/0 / 7 1153704088 prepared/x/manifest.in\n"
            "f 0644 0/0 / 2 1153704088 prepared/components\n");
  auto bad = testutil::run_distbuild({"tarball", "--input", "prepared", "--work-dir", (tmp / "work").string(),
                                      "--output", (tmp / "out/p2").string(), "--compression-profile", "no-op"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "distbuild: error: --compression-profile: no-op is not supported: distbuild "
                     "always writes the tarballs\n");
}

} // namespace
} // namespace distbuild
