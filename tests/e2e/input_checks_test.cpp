// `dist` and the porter's command checking every option against the inputs before anything is
// packed (builder/release/input_checks.hpp): each refused case exits non-zero with a message
// naming the input and what was expected, and writes nothing (the --out directory does not
// appear). Defaults taken from the inputs are checked by what the real rustup installs.
// Inputs are the small fake stages of dist_test_support.hpp, so every case takes a second.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_arm64 = "aarch64-unknown-linux-gnu";
const std::string k_armv7 = "armv7-unknown-linux-gnueabihf";

// A stage whose host is aarch64 (the fake rustc is a script, so any host works).
fs::path aarch64_stage(const TempDir& dir, const std::string& version_text = "1.63.0 (4b91a6ea7 2022-08-08)") {
  make_fake_stage(dir / "stage", k_arm64, version_text);
  return dir / "stage";
}

ProcessResult refused(const std::vector<std::string>& args, const fs::path& out) {
  auto result = run_distbuild(args);
  EXPECT_NE(result.exit_code, 0) << result.out;
  EXPECT_FALSE(fs::exists(out)) << "a refused run wrote " << out;
  return result;
}

void expect_has(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "missing: " << part << "\nin:\n" << text;
}

TEST(InputChecks, TargetsTheInputsDoNotHoldAreRefusedWithWhatTheyHold) {
  TempDir dir;
  const fs::path stage = aarch64_stage(dir);
  const fs::path out = dir / "tree";
  // The porter's command: armv7 asked of an aarch64-only install prefix.
  write_file(dir / "prefix/bin/rustc", "#!/bin/sh\necho 'rustc 1.63.0'\n", true);
  write_file(dir / "prefix/lib/rustlib" / k_arm64 / "lib/libstd-fake.rlib", "fake\n");
  auto r = refused({"--target", k_armv7, "--from", (dir / "prefix").string(), "--out",
                    out.string(), "--version", "1.63.0"},
                   out);
  expect_has(r.err, "requested target " + k_armv7 + ": the inputs hold no such target (they hold " +
                        k_arm64 + ")");
  // The same through dist --targets.
  r = refused({"dist", "--targets", k_armv7, "--stage", stage.string(), "--out", out.string(),
               "--version", "1.63.0", "--profile", "fast"},
              out);
  expect_has(r.err, "requested target " + k_armv7 + ": the inputs hold no such target (they hold " +
                        k_arm64 + ")");
  // A typo, and Debian's name for the same target.
  r = refused({"dist", "--targets", "aarch64-unknown-linux-gn,aarch64-linux-gnu", "--stage",
               stage.string(), "--out", out.string(), "--profile", "fast"},
              out);
  expect_has(r.err, "requested target aarch64-unknown-linux-gn: the inputs hold no such target");
  expect_has(r.err, "did you mean aarch64-unknown-linux-gnu?");
  expect_has(r.err, "requested target aarch64-linux-gnu: the inputs hold no such target (they hold " +
                        k_arm64 + "); 'aarch64-linux-gnu' is a distribution's name for " + k_arm64 +
                        "; did you mean " + k_arm64 + "?");
}

TEST(InputChecks, VersionsAreCheckedAgainstTheInputsAndTheChannel) {
  TempDir dir;
  const fs::path stage = aarch64_stage(dir);
  const fs::path out = dir / "tree";
  auto dist = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"dist", "--stage", stage.string(), "--out", out.string(),
                                  "--profile", "fast", "--formats", "gz"};
    args.insert(args.end(), extra.begin(), extra.end());
    return refused(args, out);
  };
  auto r = dist({"--version", "v1.63.0"});
  expect_has(r.err, "--version: 'v1.63.0' is not a Rust version");
  expect_has(r.err, "did you mean 1.63.0?");
  r = dist({"--version", "1.64.0"});
  expect_has(r.err, "--version 1.64.0: the inputs are 1.63.0 (rustc's version file in " +
                        (stage / "rustc" / k_arm64).string() + ")");
  r = dist({"--version", "1.63.0-beta.1"});
  expect_has(r.err, "--version 1.63.0-beta.1 does not fit --channel stable (a stable version is X.Y.Z)");
  r = dist({"--version", "1.63.0-nightly"});
  expect_has(r.err, "--version 1.63.0-nightly does not fit --channel stable");
  r = dist({"--channel", "beta"});
  expect_has(r.err, "--channel beta: the inputs are 1.63.0");
  // Every problem at once: a target and a version in one run.
  r = dist({"--version", "1.64.0", "--targets", k_armv7});
  expect_has(r.err, "--version 1.64.0: the inputs are 1.63.0");
  expect_has(r.err, "requested target " + k_armv7 + ": the inputs hold no such target");
}

TEST(InputChecks, StdOnlyReleaseIsRefusedBeforePackingSayingWhatIsMissing) {
  TempDir dir;
  const fs::path stage = aarch64_stage(dir);
  fs::remove_all(stage / "rustc");
  fs::remove_all(stage / "cargo");
  const fs::path out = dir / "tree";
  auto r = refused({"dist", "--stage", stage.string(), "--out", out.string(), "--version",
                    "1.63.0", "--profile", "fast"},
                   out);
  expect_has(r.err, "the inputs hold no rustc, only rust-std for " + k_arm64);
  expect_has(r.err, "add the host toolchain with --from");
  // Refused in the check step: nothing was packed (no "pack" step line).
  EXPECT_EQ(r.err.find("pack rust-std"), std::string::npos) << r.err;
}

TEST(InputChecks, TarballsNeedNoVersionAndDefaultsComeFromTheInputs) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  // No --version, --channel or --date: the version files say 1.95.0 of 2026-04-14.
  auto first = run_distbuild({"--json", "dist", "--stage", (dir / "stage").string(), "--out",
                              (dir / "tree").string(), "--profile", "fast", "--formats", "gz"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto json = nlohmann::json::parse(first.out);
  EXPECT_EQ(json["version"], "1.95.0");
  EXPECT_EQ(json["channel"], "stable");
  EXPECT_EQ(json["date"], "2026-04-14");
  // The tarballs made by that run, taken as they are with no --version.
  auto second = run_distbuild({"--json", "dist", "--tarballs",
                               (dir / "tree/dist/2026-04-14").string(), "--out",
                               (dir / "tree2").string()});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  json = nlohmann::json::parse(second.out);
  EXPECT_EQ(json["version"], "1.95.0");
  EXPECT_EQ(json["date"], "2026-04-14");
  // ... and with a version they are not.
  auto wrong = refused({"dist", "--tarballs", (dir / "tree/dist/2026-04-14").string(), "--out",
                        (dir / "tree3").string(), "--version", "1.96.0"},
                       dir / "tree3");
  expect_has(wrong.err, "--version 1.96.0: the inputs are 1.95.0");
}

TEST(InputChecks, ToolchainWithoutDateIsDatedWithItsOwnDateAndResolvesAsStableDate) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  make_fake_toolchain(dir / "toolchain", "2026-03-05");
  auto built = run_distbuild({"dist", "--toolchain", (dir / "toolchain").string(), "--out",
                              (dir / "tree").string(), "--profile", "fast", "--formats", "gz"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  expect_has(built.out, "release: stable 1.94.0 (2026-03-05)");
  expect_has(built.out, "note: --date 2026-03-05: from " +
                            (dir / "toolchain/lib/rustlib/multirust-channel-manifest.toml").string());
  ASSERT_TRUE(fs::exists(dir / "tree/dist/2026-03-05/channel-rust-stable.toml"));

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup({"toolchain", "install", "stable-2026-03-05", "--profile",
                              "minimal", "--no-self-update"},
                             "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto version = home.rustup({"run", "stable-2026-03-05", "rustc", "--version"});
  EXPECT_EQ(version.out, "rustc 1.94.0 (0123456789 2026-03-01)\n") << version.err;
}

TEST(InputChecks, PorterHostOptionNamesTheHostThePrefixCannotTell) {
  TempDir dir;
  // Two std directories and a rustc that is a script: nothing says which triple is the host.
  write_file(dir / "prefix/bin/rustc", "#!/bin/sh\necho 'rustc 1.63.0'\n", true);
  for (const auto& triple : {k_host, k_arm64}) {
    write_file(dir / "prefix/lib/rustlib" / triple / "lib/libstd-fake.rlib", "fake\n");
  }
  const fs::path out = dir / "tree";
  auto r = refused({"--from", (dir / "prefix").string(), "--out", out.string(), "--version",
                    "1.63.0", "--profile", "fast", "--formats", "gz"},
                   out);
  expect_has(r.err, "cannot tell the host triple");
  expect_has(r.err, "pass it with --host <triple>");
  auto built = run_distbuild({"--json", "--from", (dir / "prefix").string(), "--host", k_arm64,
                              "--out", out.string(), "--version", "1.63.0", "--profile", "fast",
                              "--formats", "gz", "--date", "2022-08-11"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_TRUE(fs::exists(out / "dist/2022-08-11" / ("rustc-1.63.0-" + k_arm64 + ".tar.gz")));
}

TEST(InputChecks, CustomTargetsBinariesAreCheckedAgainstTheirSpec) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.63.0 (4b91a6ea7 2022-08-08)");
  // "my-board" says nothing by its name; its spec says AArch64, and the std holds an x86-64
  // shared object (this test binary's own, a real ELF file).
  const fs::path image = dir / "stage/rust-std/my-board";
  write_file(image / "lib/rustlib/my-board/target.json",
             R"({"arch": "aarch64", "llvm-target": "aarch64-unknown-linux-gnu",
                 "target-pointer-width": "64", "os": "linux"})");
  fs::create_directories(image / "lib/rustlib/my-board/lib");
  fs::copy_file(distbuild_binary(), image / "lib/rustlib/my-board/lib/libstd-board.so");
  const fs::path out = dir / "tree";
  auto r = refused({"dist", "--stage", (dir / "stage").string(), "--out", out.string(),
                    "--profile", "fast"},
                   out);
  expect_has(r.err, "rust-std for my-board: lib/rustlib/my-board/lib/libstd-board.so: ELF 64-bit "
                    "LSB x86-64 but my-board needs ELF 64-bit LSB AArch64");
}

TEST(InputChecks, PorterHelpShowsItsDistOptionsWithDefaults) {
  auto help = run_distbuild({"--help"});
  ASSERT_EQ(help.exit_code, 0) << help.err;
  for (const char* option : {"--components", "--exclude", "--base-url", "--host"}) {
    expect_has(help.out, option);
  }
  expect_has(help.out, "https://static.rust-lang.org/dist");
  expect_has(help.out, "default: all found");
}

} // namespace
} // namespace distbuild::testutil
