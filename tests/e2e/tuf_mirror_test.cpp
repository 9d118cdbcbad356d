// `mirror --upstream-tuf-root`: a mirror of a TUF upstream (a tree with tuf/, served by
// `distbuild serve`) checks the upstream's metadata before copying anything, follows new
// releases, and refuses what a client would refuse: older metadata than it mirrored before, a
// manifest that is not the one the upstream's targets vouch for (even with a matching .sha256),
// a root it was not given. A refused run leaves the mirror as it was. The mirror operator's own
// `tuf init` then makes the mirror a TUF repository of its own that tuf-js accepts.
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/e2e/serve_test_support.hpp"
#include "tests/e2e/tuf_test_support.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {
namespace {

const std::string k_manifest = "dist/channel-rust-stable.toml";

struct MirrorSetup {
  std::unique_ptr<TufTree> upstream = make_tuf_tree();
  TempDir dir;
  fs::path mirror() const { return dir / "mirror"; }

  ProcessResult run(const std::string& url, const fs::path& trusted_root) const {
    return run_distbuild({"--json", "mirror", "--upstream", url, "--channels", "stable",
                          "--out", mirror().string(), "--upstream-tuf-root",
                          trusted_root.string()},
                         loopback_env());
  }
};

// Every file of the mirror except its own lock: what a refused run must leave alone.
std::map<std::string, std::string> mirror_files(const fs::path& mirror) {
  auto files = snapshot_tree(mirror);
  files.erase(".distbuild.lock");
  return files;
}

TEST(TufMirror, VerifiesTheUpstreamFollowsReleasesAndRefusesARollback) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  MirrorSetup s;
  ServeProcess server(s.upstream->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();

  auto r = s.run(server.url(), s.upstream->trusted_root());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_NE(doc["upstream_tuf"].get<std::string>().find("timestamp version 1"),
            std::string::npos)
      << doc["upstream_tuf"];
  EXPECT_EQ(read_file(s.mirror() / k_manifest), read_file(s.upstream->tree() / k_manifest));

  // Keep the upstream's first release state, then publish a second one and mirror it.
  const fs::path saved = s.dir / "saved";
  fs::copy(s.upstream->tree(), saved, fs::copy_options::recursive);
  r = s.upstream->release("1.96.0", "2026-05-28");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = s.run(server.url(), s.upstream->trusted_root());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(s.mirror() / k_manifest).find("1.96.0"), std::string::npos);

  // The upstream (or someone in between) serves the first release again, metadata and all:
  // consistent and validly signed, but older than what this mirror already holds.
  const auto before = mirror_files(s.mirror());
  for (const char* file :
       {"tuf/timestamp.json", "tuf/snapshot.json", "tuf/targets.json",
        "dist/channel-rust-stable.toml", "dist/channel-rust-stable.toml.sha256"}) {
    fs::copy_file(saved / file, s.upstream->tree() / file, fs::copy_options::overwrite_existing);
  }
  r = s.run(server.url(), s.upstream->trusted_root());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/tuf/timestamp.json: version 1 is older than version 2 seen before (a "
                       "rollback)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("nothing was mirrored"), std::string::npos) << r.err;
  EXPECT_EQ(mirror_files(s.mirror()), before);
}

TEST(TufMirror, RefusesAManifestTheTargetsDoNotVouchForAndAForeignRoot) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  MirrorSetup s;
  ServeProcess server(s.upstream->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();

  // A root from elsewhere: nothing of the upstream verifies, nothing is written.
  auto other = make_tuf_tree();
  auto r = s.run(server.url(), other->trusted_root());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/tuf/timestamp.json: signed by 0 of the 1 timestamp keys"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(s.mirror() / "dist"));

  // A manifest changed after signing, its .sha256 fixed up to match: only TUF notices.
  const fs::path manifest = s.upstream->tree() / k_manifest;
  write_file(manifest, read_file(manifest) + "# changed\n");
  write_file(manifest.string() + ".sha256",
             sha256_file(manifest) + "  channel-rust-stable.toml\n");
  r = s.run(server.url(), s.upstream->trusted_root());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("dist/channel-rust-stable.toml: as served: length"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("in the upstream's TUF targets"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(s.mirror() / k_manifest));
}

TEST(TufMirror, TheMirrorsOwnMetadataFollowsEachRun) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  DISTBUILD_REQUIRE(have_tuf_js(), "node and tests/tuf/node_modules (scripts/install-deps.sh)");
  MirrorSetup s;
  ServeProcess upstream_server(s.upstream->tree());
  ASSERT_TRUE(upstream_server.ok()) << upstream_server.first_line();
  auto r = s.run(upstream_server.url(), s.upstream->trusted_root());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The operator makes the mirror a TUF repository with keys of their own.
  r = run_distbuild({"tuf", "init", s.mirror().string(), "--tuf-keys",
                     (s.dir / "mirror-keys").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::copy_file(s.mirror() / "tuf/1.root.json", s.dir / "mirror-root.json");

  r = s.upstream->release("1.96.0", "2026-05-28");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = s.run(upstream_server.url(), s.upstream->trusted_root());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ServeProcess mirror_server(s.mirror());
  ASSERT_TRUE(mirror_server.ok()) << mirror_server.first_line();
  auto walked = TufJsClient(s.dir / "mirror-root.json").run(mirror_server.url(), {k_manifest});
  ASSERT_TRUE(walked["ok"].get<bool>()) << walked.dump();
  EXPECT_EQ(walked["targets"][k_manifest]["sha256"], sha256_file(s.mirror() / k_manifest));
  EXPECT_NE(read_file(s.mirror() / k_manifest).find("1.96.0"), std::string::npos);
  auto verify = run_distbuild({"--json", "verify", s.mirror().string(), "--allow-unsigned",
                               "--tuf-root", (s.dir / "mirror-root.json").string()});
  auto doc = nlohmann::json::parse(verify.out);
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc["problems"].dump(1);
}

} // namespace
} // namespace distbuild::testutil
