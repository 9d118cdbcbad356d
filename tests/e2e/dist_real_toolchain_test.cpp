// dist on the real compiled toolchains rustup installed on this machine, judged by the real
// rustup in a fresh home: stable under every name it resolves, over file:// and http, the
// preview tools through renames, cargo building and running a program; nightly as
// nightly-<date>; and a release packed on two "machines" and assembled with dist.
// Fast profile and zst/gz only: rustup takes zst first, and these inputs are 600 MB.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace distbuild::testutil {
namespace {

std::string stored_manifest_date(const fs::path& toolchain) {
  auto table = toml::parse_file((toolchain / "lib/rustlib/multirust-channel-manifest.toml").string());
  return table["date"].value_or(std::string());
}

std::string stored_version(const fs::path& toolchain, const std::string& package) {
  auto table = toml::parse_file((toolchain / "lib/rustlib/multirust-channel-manifest.toml").string());
  return table["pkg"][package]["version"].value_or(std::string());
}

void expect_cargo_runs_hello(const RustupHome& home, const std::string& toolchain) {
  TempDir project;
  std::map<std::string, std::string> env{{"CARGO_NET_OFFLINE", "true"},
                                         {"RUSTUP_TOOLCHAIN", toolchain}};
  auto created = home.run({"cargo", "new", "--vcs", "none", "hello"}, env, project.path());
  ASSERT_EQ(created.exit_code, 0) << created.err;
  auto ran = home.run({"cargo", "run", "--quiet"}, env, project / "hello");
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "Hello, world!\n");
}

TEST(DistRealToolchain, StableInstallsUnderEveryNameOverFileAndHttp) {
  auto toolchain = installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  const std::string date = stored_manifest_date(*toolchain);
  const std::string rustc_version = stored_version(*toolchain, "rustc");
  const std::string version = rustc_version.substr(0, rustc_version.find(' '));
  auto r = run_distbuild({"--json", "dist", "--toolchain", toolchain->string(), "--components",
                          "rustc,rust-std,cargo,clippy,rustfmt", "--profile", "fast",
                          "--formats", "gz,zst", "--date", date, "--out",
                          (dir / "tree").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["version"], version);

  // The manifest keeps upstream's profiles and the renames of the tools given.
  auto ours = toml::parse_file((dir / "tree/dist/channel-rust-stable.toml").string());
  auto upstream =
      toml::parse_file((*toolchain / "lib/rustlib/multirust-channel-manifest.toml").string());
  for (std::string profile : {"minimal", "default", "complete"}) {
    EXPECT_EQ(*ours["profiles"][profile].as_array(), *upstream["profiles"][profile].as_array())
        << profile;
  }
  EXPECT_EQ(ours["renames"]["clippy"]["to"].value_or(std::string()), "clippy-preview");
  EXPECT_EQ(ours["renames"]["rustfmt"]["to"].value_or(std::string()), "rustfmt-preview");
  EXPECT_EQ(ours["pkg"]["rustc"]["version"].value_or(std::string()), rustc_version);

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string file_server = "file://" + (dir / "tree").string();
  StaticServer http(dir / "tree");
  ASSERT_TRUE(http.ok());

  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"}, file_server);
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto add = home.rustup({"component", "add", "--toolchain", "stable", "clippy", "rustfmt"},
                         file_server);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto fmt = home.run({"rustfmt", "--version"}, {{"RUSTUP_TOOLCHAIN", "stable"}});
  EXPECT_EQ(fmt.exit_code, 0) << fmt.err;
  auto clippy = home.run({"cargo", "clippy", "--version"}, {{"RUSTUP_TOOLCHAIN", "stable"}});
  EXPECT_EQ(clippy.exit_code, 0) << clippy.err;
  expect_cargo_runs_hello(home, "stable");

  for (const auto& [name, server] :
       std::vector<std::pair<std::string, std::string>>{{version, http.url()},
                                                         {version.substr(0, version.rfind('.')),
                                                          file_server},
                                                         {"stable-" + date, http.url()}}) {
    auto again = home.rustup(
        {"toolchain", "install", name, "--profile", "minimal", "--no-self-update"}, server);
    ASSERT_EQ(again.exit_code, 0) << name << "\n" << again.err;
    auto v = home.rustup({"run", name, "rustc", "--version"});
    EXPECT_EQ(v.out, "rustc " + rustc_version + "\n") << name;
  }
}

TEST(DistRealToolchain, NightlyInstallsAsDatedNightly) {
  auto toolchain = installed_toolchain("nightly");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a nightly toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  const std::string date = stored_manifest_date(*toolchain);
  auto r = run_distbuild({"dist", "--channel", "nightly", "--toolchain", toolchain->string(),
                          "--components", "rustc,rust-std,cargo", "--profile", "fast",
                          "--formats", "zst", "--date", date, "--out", (dir / "tree").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir / "tree/dist" / date / "channel-rust-nightly.toml"));

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup({"toolchain", "install", "nightly-" + date, "--profile", "minimal",
                              "--no-self-update"},
                             "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto v = home.rustup({"run", "nightly-" + date, "rustc", "--version"});
  EXPECT_EQ(v.out, "rustc " + stored_version(*toolchain, "rustc") + "\n");
  expect_cargo_runs_hello(home, "nightly-" + date);
}

TEST(DistRealToolchain, TwoPackMachinesAssembleIntoOneInstallableTree) {
  auto toolchain = installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  const std::string host = "x86_64-unknown-linux-gnu";
  const std::string rustc_version = stored_version(*toolchain, "rustc");
  struct Part { std::string manifest, component, package, machine, version; };
  for (const Part& part :
       {Part{"rustc-" + host, "rustc", "rustc", "machine-a", rustc_version},
        Part{"rust-std-" + host, "rust-std-" + host, "rust-std", "machine-b", rustc_version},
        Part{"cargo-" + host, "cargo", "cargo", "machine-b", stored_version(*toolchain, "cargo")}}) {
    fs::path image = dir / "images" / part.package;
    copy_component_image(*toolchain, part.manifest, image);
    write_file(dir / "overlays" / part.package / "version", part.version + "\n");
    auto packed = run_distbuild({"pack", "--image", image.string(), "--component", part.component,
                                 "--package", part.package, "--version", "1.95.0", "--target",
                                 host, "--overlay", (dir / "overlays" / part.package).string(),
                                 "--output-dir", (dir / part.machine).string(), "--formats",
                                 "zst", "--profile", "fast"});
    ASSERT_EQ(packed.exit_code, 0) << packed.err;
  }
  auto r = run_distbuild({"dist", "--tarballs", (dir / "machine-a").string(), "--tarballs",
                          (dir / "machine-b").string(), "--date", "2026-04-16", "--out",
                          (dir / "tree").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Tarballs are taken as they are: the same bytes as the machines made.
  EXPECT_EQ(sha256_file(dir / "machine-a" / ("rustc-1.95.0-" + host + ".tar.zst")),
            sha256_file(dir / "tree/dist/2026-04-16" / ("rustc-1.95.0-" + host + ".tar.zst")));

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup({"toolchain", "install", "1.95.0", "--profile", "minimal",
                              "--no-self-update"},
                             "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  expect_cargo_runs_hello(home, "1.95.0");
}

} // namespace
} // namespace distbuild::testutil
