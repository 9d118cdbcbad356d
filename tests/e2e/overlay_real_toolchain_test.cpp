// The main case on real compiled code: a nightly tree made by distbuild from the
// installed nightly toolchain WITHOUT rustfmt stands in for an upstream whose rustfmt failed to
// build (its manifest lists rustfmt-preview as available = false for the host, as upstream does,
// so rustup's default profile refuses it). overlay adds rustfmt packed from the installed
// toolchain's files, and the real rustup installs nightly-<date> with the default profile from
// the result and runs rustfmt. Fast profile and zst only: the inputs are ~600 MB.
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include "manifest/channel.hpp"
#include "signing/sha256.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

// rustfmt-preview as an upstream that failed to build it publishes it: listed, unavailable.
void mark_rustfmt_failed(const fs::path& tree, const std::string& date) {
  for (const fs::path& path : {tree / "dist/channel-rust-nightly.toml",
                               tree / "dist" / date / "channel-rust-nightly.toml"}) {
    auto channel = manifest::parse_channel(read_file(path), path.string());
    channel.packages["rustfmt-preview"].version = "";
    channel.packages["rustfmt-preview"].targets[k_host] = manifest::TargetEntry{};
    channel.packages["rust"].targets[k_host].extensions.push_back({"rustfmt-preview", k_host});
    channel.renames["rustfmt"] = "rustfmt-preview";
    std::string text = manifest::to_toml(channel);
    write_file(path, text);
    write_file(path.string() + ".sha256",
               signing::sha256_hex(text) + "  channel-rust-nightly.toml\n");
  }
}

TEST(OverlayRealToolchain, AddedRustfmtMakesTheDefaultProfileInstall) {
  auto toolchain = installed_toolchain("nightly");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a nightly toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  TempDir dir;
  auto stored = manifest::parse_channel(
      read_file(*toolchain / "lib/rustlib/multirust-channel-manifest.toml"), "stored");
  const std::string date = stored.date;
  auto r = run_distbuild({"dist", "--channel", "nightly", "--toolchain", toolchain->string(),
                          "--components", "rustc,rust-std,cargo", "--profile", "fast",
                          "--formats", "zst", "--date", date, "--out",
                          (dir / "upstream").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  mark_rustfmt_failed(dir / "upstream", date);
  StaticServer http(dir / "upstream");
  ASSERT_TRUE(http.ok());

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string toolchain_name = "nightly-" + date;
  // From the stand-in upstream rustup gives no working rustfmt: it either refuses the default
  // profile or (rustup 1.29 on a dated nightly) skips the unavailable component.
  auto from_upstream = home.rustup(
      {"toolchain", "install", toolchain_name, "--profile", "default", "--no-self-update"},
      http.url(), loopback_env());
  if (from_upstream.exit_code == 0) {
    EXPECT_NE(from_upstream.err.find("rustfmt"), std::string::npos) << from_upstream.err;
    auto missing = home.run({"rustfmt", "--version"}, {{"RUSTUP_TOOLCHAIN", toolchain_name}});
    EXPECT_NE(missing.exit_code, 0) << "the stand-in upstream must lack rustfmt";
    auto removed = home.rustup({"toolchain", "uninstall", toolchain_name});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
  }

  // rustfmt from the installed toolchain's files, packed by `distbuild pack`.
  copy_component_image(*toolchain, "rustfmt-preview-" + k_host, dir / "rustfmt-image");
  auto packed = run_distbuild(
      {"pack", "--image", (dir / "rustfmt-image").string(), "--component", "rustfmt-preview",
       "--package", "rustfmt", "--version", "nightly", "--target", k_host, "--version-info",
       stored.packages.at("rustfmt-preview").version, "--output-dir",
       (dir / "added").string(), "--formats", "zst", "--profile", "fast"});
  ASSERT_EQ(packed.exit_code, 0) << packed.err;

  signing::test::GpgHome gpg;
  gpg.prefer_sha512();
  std::string fpr = gpg.quick_gen_key("Overlay <overlay@example.org>", "ed25519");
  r = run_distbuild({"--json", "overlay", "--upstream",
                     http.url() + "/dist/channel-rust-nightly.toml", "--add",
                     (dir / "added").string(), "--out", (dir / "tree").string(), "--sign-key",
                     fpr, "--gnupg-home", gpg.path().string()},
                    loopback_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["changes"].size(), 1u);
  EXPECT_EQ(doc["changes"][0]["package"], "rustfmt-preview");
  EXPECT_EQ(doc["changes"][0]["target"], k_host);
  EXPECT_EQ(doc["changes"][0]["action"], "filled");
  const std::string tarball = "rustfmt-nightly-" + k_host + ".tar.zst";
  EXPECT_EQ(doc["changes"][0]["files"][0]["sha256"], sha256_file(dir / "added" / tarball));
  EXPECT_EQ(sha256_file(dir / "tree/dist" / date / tarball), sha256_file(dir / "added" / tarball));
  EXPECT_EQ(doc["mirrored"].size(), 3u);  // rustc, rust-std, cargo
  auto verified = run_distbuild({"verify", (dir / "tree").string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;

  auto install = home.rustup(
      {"toolchain", "install", toolchain_name, "--profile", "default", "--no-self-update"},
      "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto fmt = home.run({"rustfmt", "--version"}, {{"RUSTUP_TOOLCHAIN", toolchain_name}});
  EXPECT_EQ(fmt.exit_code, 0) << fmt.err;
  EXPECT_NE(fmt.out.find("rustfmt"), std::string::npos) << fmt.out;
}

} // namespace
} // namespace distbuild::testutil
