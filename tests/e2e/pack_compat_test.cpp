// rust-installer's command line: generate with exactly the flags bootstrap passes, combine,
// script and tarball; the unpacked installers they leave in the work dir, as rust-installer
// does; `--compression-profile no-op`. (rust-installer's own suite runs in
// rust_installer_suite_test.cpp.)
#include "builder/inspect/installer_reader.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

// Every entry below root: "d <mode>" or "f <mode> <content>", by relative path.
std::map<std::string, std::string> snapshot(const fs::path& root) {
  std::map<std::string, std::string> entries;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    auto mode = static_cast<unsigned>(entry.symlink_status().permissions() & fs::perms::mask);
    char octal[8];
    std::snprintf(octal, sizeof octal, "%04o", mode);
    std::string rel = fs::relative(entry.path(), root).string();
    entries[rel] = entry.is_directory() ? std::string("d ") + octal
                                        : std::string("f ") + octal + " " +
                                              testutil::read_file(entry.path());
  }
  return entries;
}

// What a tarball holds, unpacked by tar (not by distbuild).
std::map<std::string, std::string> tarball_snapshot(const fs::path& tarball, const fs::path& scratch) {
  fs::create_directories(scratch);
  auto x = testutil::run_process({"tar", "-xf", tarball.string(), "-C", scratch.string()});
  EXPECT_EQ(x.exit_code, 0) << x.err;
  return snapshot(scratch);
}

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
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
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
  // As rust-installer leaves it: the inputs unpacked (bootstrap reuses them) and the combined
  // installer, exactly the tarball's content, components keeping their manifest.in.
  const std::string pkg = "rust-1.95.0-x86_64-unknown-linux-gnu";
  auto expected = tarball_snapshot(tmp / "out" / (pkg + ".tar.xz"), tmp / "x-combined");
  expected.merge(tarball_snapshot(cargo, tmp / "x-cargo"));
  expected.merge(tarball_snapshot(rustc, tmp / "x-rustc"));
  EXPECT_EQ(snapshot(tmp / "work"), expected);
  EXPECT_EQ(testutil::read_file(tmp / "work" / pkg / "cargo/manifest.in"), "file:bin/cargo\n");

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
  // no-op: rust-installer's tarballer writes nothing at all.
  auto noop = testutil::run_distbuild({"tarball", "--input", "prepared", "--work-dir", (tmp / "work").string(),
                                       "--output", (tmp / "out/p2").string(), "--compression-profile", "no-op"});
  EXPECT_EQ(noop.exit_code, 0) << noop.err;
  EXPECT_FALSE(fs::exists(tmp / "out/p2.tar.gz"));
  EXPECT_FALSE(fs::exists(tmp / "out/p2.tar.xz"));
}

TEST(PackCompat, GenerateLeavesTheUnpackedInstallerInTheWorkDir) {
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
  TempDir tmp;
  const std::string pkg = "cargo-1.95.0-x86_64-unknown-linux-gnu";
  // A stale file from an earlier run must not survive: the directory is replaced, not merged.
  testutil::write_file(tmp / "work" / pkg / "cargo/bin/stale", "old");
  fs::path xz = generate(tmp.path(), "cargo", {{"bin/cargo*", "#!/bin/sh\n"}, {"share/doc/cargo/README", "r"}});
  EXPECT_EQ(snapshot(tmp / "work"), tarball_snapshot(xz, tmp / "x"));
  EXPECT_EQ(fs::status(tmp / "work" / pkg / "install.sh").permissions(), fs::perms(0755));
  EXPECT_EQ(testutil::read_file(tmp / "work" / pkg / "cargo/manifest.in"),
            "file:bin/cargo\nfile:share/doc/cargo/README\n");
}

TEST(PackCompat, NoOpProfileLeavesOnlyTheWorkDirAndDashesBecomeSpaces) {
  TempDir tmp;
  testutil::make_image(tmp / "image", {{"bin/rust-analyzer*", "ra"}});
  auto r = testutil::run_distbuild({"generate", "--image-dir", (tmp / "image").string(), "--work-dir",
                                    (tmp / "work").string(), "--output-dir", (tmp / "dist").string(),
                                    "--component-name=rust-analyzer", "--package-name=ra",
                                    "--product-name=Rust-Analyzer",
                                    "--success-message=rust-analyzer-installed.",
                                    "--compression-profile", "no-op"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_FALSE(fs::exists(tmp / "dist"));
  std::string script = testutil::read_file(tmp / "work/ra/install.sh");
  EXPECT_NE(script.find("product_name='Rust Analyzer'\n"), std::string::npos);
  EXPECT_NE(script.find("success_message='rust analyzer installed.'\n"), std::string::npos);
  // bootstrap's `x install` runs the work dir's install.sh.
  auto install = testutil::run_process({"sh", (tmp / "work/ra/install.sh").string(),
                                        "--prefix=" + (tmp / "prefix").string(), "--disable-ldconfig"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(testutil::read_file(tmp / "prefix/bin/rust-analyzer"), "ra");
  EXPECT_NE(install.out.find("\n    rust analyzer installed.\n"), std::string::npos) << install.out;
}

} // namespace
} // namespace distbuild
