// TUF metadata judged by the real TUF client: tuf-js (the client npm itself uses), given only
// the tree's tuf/1.root.json, refreshing from `distbuild serve` on loopback
// (metadataBaseUrl <server>/tuf, targetBaseUrl <server>) and downloading verified targets.
// For every case `distbuild verify --tuf-root` must reach the same verdict: a fresh tree, a new
// release, a timestamp older than one seen, an expired timestamp, a tampered target, a rotated
// root. The same trees still install with rustup and verify with gpg.
#include "tests/e2e/serve_test_support.hpp"
#include "tests/e2e/tuf_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {
namespace {

const std::string k_manifest = "dist/channel-rust-stable.toml";
const std::string k_tarball = "dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.gz";

std::string problems_of(const nlohmann::json& doc) { return doc["problems"].dump(1); }

TEST(TufJs, RefreshesDownloadsVerifiedTargetsAndSeesEachNewRelease) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_tuf_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  // serve says where the metadata is; tuf-js is given exactly that base URL below.
  const std::string printed = server.more_stdout();
  EXPECT_NE(printed.find("metadata base URL " + server.url() + "/tuf\n"), std::string::npos)
      << printed;
  TufJsClient client(t->trusted_root());

  auto first = client.run(server.url(), {k_manifest, k_tarball});
  ASSERT_TRUE(first["ok"].get<bool>()) << first.dump();
  EXPECT_EQ(first["targets"][k_manifest]["sha256"], sha256_file(t->tree() / k_manifest));
  EXPECT_EQ(read_file(first["targets"][k_tarball]["file"].get<std::string>()),
            read_file(t->tree() / k_tarball));
  EXPECT_EQ(first["timestamp_version"], 1);
  auto doc = t->verify();
  EXPECT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);
  EXPECT_EQ(doc["tuf"]["timestamp_version"], 1);

  // A new release: dist refreshes targets, snapshot and timestamp by itself.
  const std::string old_hash = first["targets"][k_manifest]["sha256"];
  auto r = t->release("1.96.0", "2026-05-28");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto second = client.run(server.url(), {k_manifest});
  ASSERT_TRUE(second["ok"].get<bool>()) << second.dump();
  const std::string new_hash = second["targets"][k_manifest]["sha256"];
  EXPECT_NE(new_hash, old_hash);
  EXPECT_EQ(new_hash, sha256_file(t->tree() / k_manifest));
  EXPECT_NE(read_file(t->tree() / k_manifest).find("1.96.0"), std::string::npos);
  EXPECT_EQ(second["timestamp_version"], 2);
  doc = t->verify();
  EXPECT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);
  // GPG signatures are checked by the same verify run (the tree's own key).
  EXPECT_GT(doc["signatures"].get<int>(), 10);
}

TEST(TufJs, RefusesATimestampOlderThanOneItHasSeen) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_tuf_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  TufJsClient client(t->trusted_root());
  const std::string version_one = read_file(t->tree() / "tuf/timestamp.json");
  auto r = t->tuf({"tuf", "timestamp", t->tree().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const fs::path state = t->dir / "verify-state";
  auto seen = client.run(server.url());
  ASSERT_TRUE(seen["ok"].get<bool>()) << seen.dump();
  EXPECT_EQ(seen["timestamp_version"], 2);
  auto doc = t->verify({"--tuf-state", state.string()});
  ASSERT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);

  // Someone in between serves the older, still validly signed and unexpired timestamp.
  write_file(t->tree() / "tuf/timestamp.json", version_one);
  auto refused = client.run(server.url());
  EXPECT_FALSE(refused["ok"].get<bool>());
  EXPECT_NE(refused["error"].get<std::string>().find(
                "New timestamp version 1 is less than current version 2"),
            std::string::npos)
      << refused.dump();
  doc = t->verify({"--tuf-state", state.string()});
  EXPECT_FALSE(doc["ok"].get<bool>());
  EXPECT_TRUE(reports(doc, "tuf/timestamp.json",
                      "version 1 is older than version 2 seen before (a rollback)"))
      << problems_of(doc);
}

TEST(TufJs, RefusesAnExpiredTimestamp) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_tuf_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  auto r = t->tuf({"tuf", "timestamp", t->tree().string(), "--expires", "timestamp=0s"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  auto refused = TufJsClient(t->trusted_root()).run(server.url());
  EXPECT_FALSE(refused["ok"].get<bool>());
  EXPECT_NE(refused["error"].get<std::string>().find("timestamp.json is expired"),
            std::string::npos)
      << refused.dump();
  auto doc = t->verify();
  EXPECT_FALSE(doc["ok"].get<bool>());
  EXPECT_TRUE(reports(doc, "tuf/timestamp.json", "expired on ")) << problems_of(doc);

  // The cron job's next run, with the period back to a day, makes both happy again.
  r = t->tuf({"tuf", "timestamp", t->tree().string(), "--expires", "timestamp=1d"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto renewed = TufJsClient(t->trusted_root()).run(server.url());
  EXPECT_TRUE(renewed["ok"].get<bool>()) << renewed.dump();
  doc = t->verify();
  EXPECT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);
}

TEST(TufJs, RefusesATamperedTarget) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_tuf_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  std::string bytes = read_file(t->tree() / k_tarball);
  bytes[bytes.size() / 2] = static_cast<char>(bytes[bytes.size() / 2] ^ 0x01);
  write_file(t->tree() / k_tarball, bytes);  // same length, other content

  TufJsClient client(t->trusted_root());
  auto refused = client.run(server.url(), {k_manifest, k_tarball});
  EXPECT_FALSE(refused["ok"].get<bool>());
  EXPECT_EQ(refused["stage"], "download") << refused.dump();
  EXPECT_EQ(refused["target"], k_tarball);
  EXPECT_NE(refused["error"].get<std::string>().find("hash"), std::string::npos)
      << refused.dump();
  auto doc = t->verify();
  EXPECT_FALSE(doc["ok"].get<bool>());
  EXPECT_TRUE(reports(doc, k_tarball, "sha256 differs from the recorded one in tuf/targets.json"))
      << problems_of(doc);
  // The untouched manifest is still fine for both.
  EXPECT_TRUE(client.run(server.url(), {k_manifest})["ok"].get<bool>());
  EXPECT_FALSE(reports(doc, k_manifest, "tuf/targets.json"));
}

TEST(TufJs, FollowsRotatedRootsFromVersionOne) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_tuf_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  TufJsClient seasoned(t->trusted_root());
  ASSERT_TRUE(seasoned.run(server.url())["ok"].get<bool>());

  auto r = t->tuf({"tuf", "rotate", t->tree().string(), "--role", "root", "--root-key-count",
                   "3", "--root-threshold", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = t->tuf({"tuf", "rotate", t->tree().string(), "--role", "timestamp"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = t->tuf({"tuf", "rotate", t->tree().string(), "--role", "root"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  // The client that trusted version 1 before, and a new one only ever given version 1.
  auto walked = seasoned.run(server.url(), {k_manifest});
  EXPECT_TRUE(walked["ok"].get<bool>()) << walked.dump();
  EXPECT_EQ(walked["root_version"], 4);
  walked = TufJsClient(t->trusted_root()).run(server.url(), {k_manifest});
  EXPECT_TRUE(walked["ok"].get<bool>()) << walked.dump();
  EXPECT_EQ(walked["root_version"], 4);
  auto doc = t->verify();
  EXPECT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);
  EXPECT_EQ(doc["tuf"]["root_version"], 4);

  // A new root signed by the new keys only breaks the chain: both refuse it.
  const fs::path root4 = t->tree() / "tuf/4.root.json";
  auto forged = nlohmann::json::parse(read_file(root4));
  forged["signed"]["version"] = 5;
  write_file(t->tree() / "tuf/5.root.json", forged.dump(1));
  auto broken = TufJsClient(t->trusted_root()).run(server.url());
  EXPECT_FALSE(broken["ok"].get<bool>()) << broken.dump();
  doc = t->verify();
  EXPECT_FALSE(doc["ok"].get<bool>());
  EXPECT_TRUE(reports(doc, "tuf/5.root.json", "is not signed by the previous root's keys"))
      << problems_of(doc);
}

TEST(TufJs, RustupInstallsAndRustupSelfUpdatesFromATufTree) {
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  auto t = make_tuf_tree();
  // `distbuild rustup` publishes into the TUF tree and refreshes its metadata.
  auto r = run_distbuild({"rustup", "--tree", t->tree().string(), "--binary",
                          rustup_binary()->string(), "--version", "99.0.0", "--target",
                          k_tuf_host, "--sign-key", t->fingerprint, "--gnupg-home",
                          t->gpg.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  auto walked = TufJsClient(t->trusted_root()).run(server.url(), {"rustup/release-stable.toml"});
  EXPECT_TRUE(walked["ok"].get<bool>()) << walked.dump();
  auto doc = t->verify();
  EXPECT_TRUE(doc["ok"].get<bool>()) << problems_of(doc);

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"},
      server.url());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(home.rustup({"run", "stable", "rustc", "--version"}).out,
            "rustc 1.95.0 (abcdef123 2026-04-16)\n");
  auto update = home.rustup({"self", "update"}, "",
                            {{"RUSTUP_UPDATE_ROOT", server.url() + "/rustup"}});
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.err.find("new version: 99.0.0"), std::string::npos) << update.err;
}

} // namespace
} // namespace distbuild::testutil
