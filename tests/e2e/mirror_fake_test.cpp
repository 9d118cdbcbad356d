// mirror of a fake upstream served on loopback by overlay_test_server.py (which logs every
// request): the second run downloads nothing, a selective mirror rewrites and re-signs the
// manifest while keeping upstream's signatures on unchanged files, a corrupt upstream file is
// refused and never lands, a connection dropped mid-file is resumed and the tree verifies.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_armv7 = "armv7-unknown-linux-gnueabihf";

struct Upstream : SignedUpstream {
  Upstream() : SignedUpstream(k_host, "1.95.0 (abcdef123 2026-04-14)", {k_armv7}, "xz,zst") {}

  ProcessResult mirror(const std::string& url, const fs::path& out,
                       std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{"--json", "mirror", "--upstream", url, "--channels",
                                  "stable,1.95.0", "--out", out.string(), "--upstream-key",
                                  key().string(), "--sign-key", local_fpr, "--gnupg-home",
                                  gpg.path().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_distbuild(args, loopback_env());
  }
};

nlohmann::json verify_json(const fs::path& tree) {
  auto r = run_distbuild({"--json", "verify", tree.string()});
  return nlohmann::json::parse(r.out);
}

std::size_t tarball_requests(const LoggingServer& server) {
  std::size_t count = 0;
  for (const auto& line : server.requests()) {
    if (line.find(".tar.") != std::string::npos && line.find(".asc ") == std::string::npos) {
      ++count;
    }
  }
  return count;
}

TEST(MirrorFake, SecondRunDownloadsNothingAndUpstreamSignaturesAreKept) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  auto r = up.mirror(server.url(), up.dir / "mirror");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["fetch"]["files_downloaded"], 8);  // 4 packages x (xz, zst), shared by both
  EXPECT_EQ(tarball_requests(server), 8u);
  ASSERT_EQ(doc["channels"].size(), 2u);
  const auto& stable = doc["channels"][0];
  EXPECT_EQ(stable["manifest_rewritten"], false);
  EXPECT_EQ(stable["upstream_signatures_kept"], 8);
  EXPECT_EQ(stable["top_level_updated"], nlohmann::json({"stable", "1.95.0", "1.95"}));
  EXPECT_EQ(doc["channels"][1]["top_level_updated"], nlohmann::json({"1.95.0"}));
  // Unchanged bytes keep upstream's signature: the stable manifest's, which was fetched, also
  // beside its pins (upstream signed its own pins separately, maybe in another second, so
  // their .asc bytes can differ). Every mirrored file is where the JSON says.
  const std::string fetched = "dist/channel-rust-stable.toml";
  for (const std::string name : {fetched, std::string("dist/2026-04-16/channel-rust-1.95.toml")}) {
    EXPECT_EQ(read_file(up.dir / "mirror" / name), read_file(up.tree() / name)) << name;
    EXPECT_EQ(read_file(up.dir / "mirror" / (name + ".asc")),
              read_file(up.tree() / (fetched + ".asc")))
        << name;
  }
  for (const auto& file : stable["mirrored"]) {
    fs::path path = file["path"].get<std::string>();
    EXPECT_EQ(sha256_file(path), file["sha256"]);
    EXPECT_EQ(file["upstream_signature"], true);
    EXPECT_EQ(read_file(path.string() + ".asc"),
              read_file(up.tree() / "dist/2026-04-16" / (path.filename().string() + ".asc")));
  }
  auto verified = verify_json(up.dir / "mirror");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);

  server.clear_log();
  r = up.mirror(server.url(), up.dir / "mirror");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["fetch"]["files_downloaded"], 0);
  EXPECT_EQ(doc["fetch"]["files_present"], 16);  // 8 per channel
  EXPECT_EQ(tarball_requests(server), 0u);
  verified = verify_json(up.dir / "mirror");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);
}

TEST(MirrorFake, SelectedTargetsRewriteTheManifestAndSignItLocally) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  auto r = up.mirror(server.url(), up.dir / "mirror", {"--hosts", k_host, "--targets", k_host});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  const auto& stable = doc["channels"][0];
  EXPECT_EQ(stable["manifest_rewritten"], true);
  EXPECT_EQ(stable["unavailable_targets"],
            nlohmann::json::array({{{"package", "rust-std"}, {"target", k_armv7}}}));
  EXPECT_EQ(doc["fetch"]["files_downloaded"], 6);
  EXPECT_FALSE(fs::exists(up.dir / "mirror/dist/2026-04-16" /
                          ("rust-std-1.95.0-" + k_armv7 + ".tar.xz")));
  fs::path manifest = up.dir / "mirror/dist/channel-rust-stable.toml";
  EXPECT_NE(read_file(manifest), read_file(up.tree() / "dist/channel-rust-stable.toml"));
  // The rewritten manifest carries the mirror's signature: upstream's key alone rejects it.
  GpgHome check;
  ASSERT_EQ(check.gpg({"--import", up.key().string()}).exit_code, 0);
  EXPECT_NE(check.gpg({"--verify", manifest.string() + ".asc", manifest.string()}).exit_code, 0);
  ASSERT_EQ(check.gpg({"--import", (up.dir / "mirror/release-key.asc").string()}).exit_code, 0);
  EXPECT_EQ(check.gpg({"--verify", manifest.string() + ".asc", manifest.string()}).exit_code, 0);
  auto verified = verify_json(up.dir / "mirror");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);
}

TEST(MirrorFake, CorruptUpstreamFileIsRefusedAndNeverLands) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  const std::string name = "rust-std-1.95.0-" + k_armv7 + ".tar.xz";
  fs::path file = up.tree() / "dist/2026-04-16" / name;
  std::string bytes = read_file(file);
  bytes[bytes.size() / 2] ^= 0x01;
  write_file(file, bytes);
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  auto r = up.mirror(server.url(), up.dir / "mirror");
  EXPECT_EQ(r.exit_code, 1);
  const std::string url = server.url() + "/dist/2026-04-16/" + name;
  EXPECT_NE(r.err.find("distbuild: error: " + url + ": SHA-256 " + sha256_file(file) +
                       " differs from the manifest's "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("; the file was not written to the tree"), std::string::npos) << r.err;
  for (const auto& [path, hash] : snapshot_tree(up.dir / "mirror")) {
    EXPECT_EQ(path.find(name), std::string::npos) << path;
  }
  EXPECT_FALSE(fs::exists(up.dir / "mirror/dist/channel-rust-stable.toml"));
}

TEST(MirrorFake, DroppedConnectionIsResumedAndTheTreeVerifies) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  const std::string name = "rustc-1.95.0-" + k_host + ".tar.zst";
  LoggingServer server(up.tree(), {name});
  ASSERT_TRUE(server.ok());
  auto r = up.mirror(server.url(), up.dir / "mirror");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_GE(doc["fetch"]["retries"].get<int>(), 1);
  EXPECT_EQ(doc["fetch"]["resumed"], 1);
  bool ranged = false;
  for (const auto& line : server.requests()) {
    ranged |= line.find(name) != std::string::npos && line.find("bytes=") != std::string::npos;
  }
  EXPECT_TRUE(ranged);
  EXPECT_EQ(sha256_file(up.dir / "mirror/dist/2026-04-16" / name),
            sha256_file(up.tree() / "dist/2026-04-16" / name));
  auto verified = verify_json(up.dir / "mirror");
  EXPECT_TRUE(verified["ok"].get<bool>()) << verified.dump(2);
}

TEST(MirrorFake, UnknownChannelSpecIsRefused) {
  TempDir dir;
  auto r = run_distbuild({"mirror", "--upstream", "http://127.0.0.1:9", "--channels",
                          "stable,lts", "--out", (dir / "m").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "distbuild: error: --channels: 'lts' is not a channel (stable, beta, "
                   "nightly, 1.95.0, 1.95, 1.96.0-beta.3, optionally followed by -YYYY-MM-DD)\n");
}

} // namespace
} // namespace distbuild::testutil
