// overlay on small fake trees, judged by the JSON it prints, the files on disk, `distbuild
// verify` and the real rustup: a rust-std for a target upstream never listed (tier 3 and custom
// triples) installs with `rustup target add`, a second overlay onto the result works, an
// altered upstream manifest fails the .asc check, and replacing needs --replace.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_version_text = "1.95.0 (abcdef123 2026-04-14)";

// An upstream tree signed with one key, and a second key for the overlay, in one home.
struct Fixture {
  TempDir dir;
  GpgHome gpg;
  std::string upstream_fpr, local_fpr;
  fs::path upstream() const { return dir / "upstream"; }
  fs::path upstream_key() const { return dir / "upstream-key.asc"; }

  Fixture() {
    gpg.prefer_sha512();
    upstream_fpr = gpg.quick_gen_key("Upstream <up@example.org>", "ed25519");
    local_fpr = gpg.quick_gen_key("Overlay <overlay@example.org>", "ed25519");
    make_fake_stage(dir / "stage", k_host, k_version_text, {"armv7-unknown-linux-gnueabihf"});
    auto r = run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out",
                            upstream().string(), "--version", "1.95.0", "--date", "2026-04-16",
                            "--profile", "fast", "--formats", "xz,zst", "--sign-key",
                            upstream_fpr, "--gnupg-home", gpg.path().string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    fs::copy_file(upstream() / "release-key.asc", upstream_key());
  }

  // A stage holding only rust-std for `target`.
  fs::path std_stage(const std::string& name, const std::string& target) const {
    fs::path stage = dir / name;
    make_fake_stage(stage, k_host, k_version_text, {target});
    fs::remove_all(stage / "rustc");
    fs::remove_all(stage / "cargo");
    fs::remove_all(stage / "rust-std" / k_host);
    fs::remove_all(stage / "rust-std" / (k_host + ".overlay"));
    return stage;
  }

  ProcessResult overlay(const std::string& upstream, const fs::path& add, const fs::path& out,
                        std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--json", "overlay", "--upstream", upstream, "--add",
                                  add.string(), "--out", out.string(), "--profile", "fast",
                                  "--formats", "zst", "--sign-key", local_fpr, "--gnupg-home",
                                  gpg.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_distbuild(args, loopback_env());
  }
};

nlohmann::json verify_json(const fs::path& tree, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "verify", tree.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_distbuild(args);
  return nlohmann::json::parse(r.out);
}

bool host_lists_std(const fs::path& manifest, const std::string& target) {
  auto table = toml::parse_file(manifest.string());
  auto* extensions = table["pkg"]["rust"]["target"][k_host]["extensions"].as_array();
  if (extensions == nullptr) {
    return false;
  }
  for (auto&& item : *extensions) {
    auto* ref = item.as_table();
    if ((*ref)["pkg"].value_or(std::string()) == "rust-std" &&
        (*ref)["target"].value_or(std::string()) == target) {
      return true;
    }
  }
  return false;
}

// Everything the JSON says about files is true on disk.
void expect_json_matches_disk(const nlohmann::json& doc, const fs::path& upstream_manifest) {
  EXPECT_EQ(doc["upstream"]["manifest_sha256"], sha256_file(upstream_manifest));
  for (const auto& file : doc["mirrored"]) {
    fs::path path = file["path"].get<std::string>();
    ASSERT_TRUE(fs::exists(path)) << path;
    EXPECT_EQ(file["sha256"], sha256_file(path));
    EXPECT_EQ(read_file(path.string() + ".sha256"),
              file["sha256"].get<std::string>() + "  " + path.filename().string() + "\n");
  }
  fs::path tree = doc["tree"].get<std::string>();
  for (const auto& change : doc["changes"]) {
    for (const auto& file : change["files"]) {
      fs::path path = tree / file["path"].get<std::string>();
      ASSERT_TRUE(fs::exists(path)) << path;
      EXPECT_EQ(file["sha256"], sha256_file(path));
    }
  }
  for (const auto& manifest : doc["manifests"]) {
    EXPECT_EQ(doc["manifest_sha256"], sha256_file(manifest.get<std::string>()));
  }
  // The provenance record on disk is the JSON's core.
  auto provenance = nlohmann::json::parse(read_file(doc["provenance"].get<std::string>()));
  EXPECT_EQ(provenance["upstream"], doc["upstream"]);
  EXPECT_EQ(provenance["changes"], doc["changes"]);
  EXPECT_EQ(provenance["mirrored_files"], doc["mirrored"].size());
}

TEST(OverlayFake, NewTargetsInstallWithRustupTargetAddAndASecondOverlayWorks) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Fixture f;
  StaticServer http(f.upstream());
  ASSERT_TRUE(http.ok());
  const std::string tier3 = "riscv64gc-unknown-linux-gnu";
  auto r = f.overlay(http.url() + "/dist/channel-rust-stable.toml", f.std_stage("add1", tier3),
                     f.dir / "tree", {"--upstream-key", f.upstream_key().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["upstream"]["signature"], "verified");
  EXPECT_EQ(doc["upstream"]["date"], "2026-04-16");
  ASSERT_EQ(doc["changes"].size(), 1u);
  EXPECT_EQ(doc["changes"][0]["package"], "rust-std");
  EXPECT_EQ(doc["changes"][0]["target"], tier3);
  EXPECT_EQ(doc["changes"][0]["action"], "added");
  EXPECT_EQ(doc["manifest_rewritten"], true);
  EXPECT_EQ(doc["mirrored"].size(), 8u);  // rustc, cargo, 2 rust-std; xz + zst
  EXPECT_EQ(doc["fetch"]["files_downloaded"], 8);
  expect_json_matches_disk(doc, f.upstream() / "dist/channel-rust-stable.toml");
  const fs::path manifest = f.dir / "tree/dist/channel-rust-stable.toml";
  EXPECT_TRUE(host_lists_std(manifest, tier3));
  // Upstream's date and version strings are kept.
  auto table = toml::parse_file(manifest.string());
  EXPECT_EQ(table["date"].value_or(std::string()), "2026-04-16");
  EXPECT_EQ(table["pkg"]["rust"]["version"].value_or(std::string()), k_version_text);
  auto verified = verify_json(f.dir / "tree");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);

  // A second overlay onto the result, in place, with a custom triple.
  const std::string custom = "armv7a-acme-linux-gnueabihf";
  r = f.overlay((f.dir / "tree/dist/channel-rust-stable.toml").string(),
                f.std_stage("add2", custom), f.dir / "tree",
                {"--upstream-key", (f.dir / "tree/release-key.asc").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["fetch"]["files_downloaded"], 0);
  EXPECT_TRUE(host_lists_std(manifest, tier3));
  EXPECT_TRUE(host_lists_std(manifest, custom));
  verified = verify_json(f.dir / "tree");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);

  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string server = "file://" + (f.dir / "tree").string();
  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"}, server);
  ASSERT_EQ(install.exit_code, 0) << install.err;
  for (const auto& target : {tier3, custom}) {
    auto add = home.rustup({"target", "add", "--toolchain", "stable", target}, server);
    ASSERT_EQ(add.exit_code, 0) << target << "\n" << add.err;
  }
  auto listed = home.rustup({"target", "list", "--installed", "--toolchain", "stable"});
  EXPECT_NE(listed.out.find(tier3), std::string::npos) << listed.out;
  EXPECT_NE(listed.out.find(custom), std::string::npos) << listed.out;
}

TEST(OverlayFake, AlteredUpstreamManifestFailsTheAscCheck) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Fixture f;
  fs::path manifest = f.upstream() / "dist/channel-rust-stable.toml";
  // Altered and re-hashed: the .sha256 check passes, only the signature can tell.
  write_file(manifest, read_file(manifest) + "# altered\n");
  write_file(manifest.string() + ".sha256",
             sha256_file(manifest) + "  channel-rust-stable.toml\n");
  StaticServer http(f.upstream());
  ASSERT_TRUE(http.ok());
  const std::string url = http.url() + "/dist/channel-rust-stable.toml";
  auto r = f.overlay(url, f.std_stage("add", "riscv64gc-unknown-linux-gnu"), f.dir / "tree",
                     {"--upstream-key", f.upstream_key().string()});
  EXPECT_EQ(r.exit_code, 1);
  // The last line (the one before says which key would have signed).
  EXPECT_TRUE(r.err.ends_with("\ndistbuild: error: " + url +
                              ".asc: the upstream manifest does not verify with " +
                              f.upstream_key().string() + ": bad signature\n"))
      << r.err;
  EXPECT_FALSE(fs::exists(f.dir / "tree"));
  // A .sha256 that does not match is refused before any signature is looked at.
  write_file(manifest, read_file(manifest) + "# again\n");
  r = f.overlay(url, f.std_stage("add2", "riscv64gc-unknown-linux-gnu"), f.dir / "tree");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("distbuild: error: " + url + ": SHA-256 " + sha256_file(manifest) +
                       " does not match its .sha256"),
            std::string::npos)
      << r.err;
}

TEST(OverlayFake, ReplacingAnAvailablePackageNeedsReplace) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Fixture f;
  fs::path add = f.dir / "hoststd";
  make_fake_stage(add, k_host, k_version_text);
  fs::remove_all(add / "rustc");
  fs::remove_all(add / "cargo");
  const std::string upstream = (f.upstream() / "dist/channel-rust-stable.toml").string();
  auto r = f.overlay(upstream, add, f.dir / "tree");
  EXPECT_EQ(r.exit_code, 1);
  // The check runs once the added images are packed: after the packing lines, one error.
  const std::string refused = "distbuild: error: --add: available upstream; pass --replace to "
                              "replace:\n  rust-std for x86_64-unknown-linux-gnu (from " +
                              (add / "rust-std" / k_host).string() + ")\n";
  EXPECT_TRUE(r.err.ends_with(refused)) << r.err;
  EXPECT_EQ(r.err.find("distbuild: error:"), r.err.size() - refused.size()) << r.err;
  r = f.overlay(upstream, add, f.dir / "tree", {"--replace"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  ASSERT_EQ(doc["changes"].size(), 1u);
  EXPECT_EQ(doc["changes"][0]["action"], "replaced");
  // The replaced upstream files are no longer referenced, so not mirrored.
  EXPECT_EQ(doc["mirrored"].size(), 6u);
  auto verified = verify_json(f.dir / "tree");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);
}

// --no-mirror: upstream's files stay on upstream's server, and rustup, pointed at our tree,
// must still fetch them there (not from the tree, which does not have them).
TEST(OverlayFake, NoMirrorTreeSendsRustupToTheUpstreamServer) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Fixture f;
  StaticServer http(f.upstream());
  ASSERT_TRUE(http.ok());
  const std::string tier3 = "riscv64gc-unknown-linux-gnu";
  auto r = f.overlay(http.url() + "/dist/channel-rust-stable.toml", f.std_stage("add", tier3),
                     f.dir / "tree", {"--upstream-key", f.upstream_key().string(), "--no-mirror"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["mirrored"].size(), 0u);
  const fs::path manifest = f.dir / "tree/dist/channel-rust-stable.toml";
  auto table = toml::parse_file(manifest.string());
  const std::string rustc_url =
      table["pkg"]["rustc"]["target"][k_host]["xz_url"].value_or(std::string());
  EXPECT_TRUE(rustc_url.starts_with(http.url() + "/dist/2026-04-16/rustc-")) << rustc_url;
  EXPECT_FALSE(fs::exists(f.dir / "tree/dist/2026-04-16" / fs::path(rustc_url).filename()));

  // verify refuses URLs outside the tree unless told, and then lists them.
  auto verified = verify_json(f.dir / "tree");
  EXPECT_FALSE(verified["ok"].get<bool>());
  EXPECT_NE(verified.dump().find("--allow-external"), std::string::npos) << verified.dump(2);
  verified = verify_json(f.dir / "tree", {"--allow-external"});
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);
  EXPECT_EQ(verified["external"].size(), 8u);  // rustc, cargo, 2 rust-std; xz + zst

  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string server = "file://" + (f.dir / "tree").string();
  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"}, server);
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto add = home.rustup({"target", "add", "--toolchain", "stable", tier3}, server);
  ASSERT_EQ(add.exit_code, 0) << add.err;
}

} // namespace
} // namespace distbuild::testutil
