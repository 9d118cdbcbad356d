// Keys as a release engineer meets them, through the real binary and judged by the real gpg:
//   - a key made by plain `gpg --quick-gen-key` (ed25519 or RSA, no gpg.conf) signs a release,
//     `gpg --verify` accepts every .asc, `distbuild verify` says which digest was used;
//   - keygen's home is the default home of every signing command, GNUPGHOME overrides it, and
//     each command says which home and key it signed with;
//   - a wrong --passphrase-file fails every time, however recently the right one was used;
//   - `verify --json` names every key that signed the tree.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;
using signing::test::StopAgentAtEnd;

const std::string k_host = "x86_64-unknown-linux-gnu";

// `dist` of a small fake release into <dir>/tree with the given extra arguments.
ProcessResult dist(const fs::path& dir, const std::vector<std::string>& extra,
                   const std::map<std::string, std::string>& env = {}) {
  if (!fs::exists(dir / "stage")) {
    make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-16)");
  }
  std::vector<std::string> args{"dist", "--stage", (dir / "stage").string(), "--out",
                                (dir / "tree").string(), "--version", "1.95.0", "--date",
                                "2026-04-16", "--profile", "fast", "--formats", "gz"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_distbuild(args, env);
}

// Every .asc of the tree but the key, checked by gpg in `home`; returns how many.
int gpg_verify_all(const GpgHome& home, const fs::path& tree) {
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {
    const fs::path& asc = entry.path();
    if (asc.extension() != ".asc" || asc.filename() == "release-key.asc") {
      continue;
    }
    ProcessResult r =
        home.gpg({"--verify", asc.string(), (asc.parent_path() / asc.stem()).string()});
    EXPECT_EQ(r.exit_code, 0) << asc << "\n" << r.err;
    ++checked;
  }
  return checked;
}

TEST(KeysE2e, KeysMadeByPlainGpgSignAReleaseOutOfTheBox) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  // GnuPG 2.2 signs with SHA-256 for ed25519 and SHA-512 for RSA when nothing says otherwise.
  for (const auto& [algo, digest] : std::vector<std::pair<std::string, std::string>>{
           {"ed25519", "SHA256"}, {"rsa3072", "SHA512"}}) {
    SCOPED_TRACE(algo);
    TempDir dir;
    GpgHome home;
    ASSERT_FALSE(fs::exists(home.path() / "gpg.conf"));
    const std::string fpr = home.quick_gen_key("Release <release@example.org>", algo);
    ProcessResult made =
        dist(dir.path(), {"--sign-key", fpr, "--gnupg-home", home.path().string()});
    ASSERT_EQ(made.exit_code, 0) << made.err;
    EXPECT_NE(made.err.find("distbuild: signing with key " + fpr + " (" + digest +
                            ") from GnuPG home " + home.path().string() + " (from --gnupg-home)\n"),
              std::string::npos)
        << made.err;
    // The independent judge: gpg itself, with nothing but the key's own home.
    EXPECT_GE(gpg_verify_all(home, dir / "tree"), 8);

    ProcessResult verify = run_distbuild({"verify", (dir / "tree").string()});
    EXPECT_EQ(verify.exit_code, 0) << verify.out;
    EXPECT_NE(verify.out.find("(signed by " + fpr + " with " + digest + ")"), std::string::npos)
        << verify.out;
    auto doc =
        nlohmann::json::parse(run_distbuild({"--json", "verify", (dir / "tree").string()}).out);
    EXPECT_EQ(doc["digests"], nlohmann::json::array({digest}));
    EXPECT_EQ(doc["signed_by"], nlohmann::json::array({fpr}));
    EXPECT_FALSE(fs::exists(home.path() / "gpg.conf")); // the user's home was not edited
  }
}

TEST(KeysE2e, AWeakDigestIsRefusedBeforeAnythingIsWritten) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  TempDir dir;
  GpgHome home;
  const std::string fpr = home.quick_gen_key("Old <old@example.org>", "rsa2048");
  write_file(home.path() / "gpg.conf", "personal-digest-preferences SHA1\n");
  ProcessResult r = dist(dir.path(), {"--sign-key", fpr, "--gnupg-home", home.path().string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("gpg signed with SHA1, which is too weak"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("gpg.conf of " + home.path().string()), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "tree" / "dist"));
}

TEST(KeysE2e, KeygensHomeIsTheDefaultOfEverySigningCommand) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  TempDir dir;
  const fs::path own = dir / "data" / "distbuild" / "gnupg";
  StopAgentAtEnd stop{own};
  // An empty GNUPGHOME counts as unset (as for gpg), whatever the test runner's environment.
  const std::map<std::string, std::string> env{{"XDG_DATA_HOME", (dir / "data").string()},
                                               {"GNUPGHOME", ""}};
  ProcessResult made = run_distbuild({"--json", "keygen"}, env);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string fpr = nlohmann::json::parse(made.out)["fingerprint"];
  EXPECT_EQ(nlohmann::json::parse(made.out)["gnupg_home"], own.string());

  ProcessResult signed_run = dist(dir / "a", {"--sign-key", fpr}, env);
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
  EXPECT_NE(signed_run.err.find("distbuild: signing with key " + fpr +
                                " (SHA512) from GnuPG home " + own.string() +
                                " (distbuild's default)\n"),
            std::string::npos)
      << signed_run.err;
  EXPECT_EQ(read_file(dir / "a/tree/release-key.fingerprint"), fpr + "\n");

  // GNUPGHOME moves the default for keygen and for signing alike, and errors name it.
  GpgHome user;
  std::map<std::string, std::string> user_env = env;
  user_env["GNUPGHOME"] = user.path().string();
  ProcessResult missing = dist(dir / "b", {"--sign-key", fpr}, user_env);
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find(fpr + ": no such key in " + user.path().string()), std::string::npos)
      << missing.err;
  EXPECT_EQ(missing.err.find("default GnuPG home"), std::string::npos) << missing.err;
  ProcessResult user_key = run_distbuild({"--json", "keygen"}, user_env);
  ASSERT_EQ(user_key.exit_code, 0) << user_key.err;
  const std::string user_fpr = nlohmann::json::parse(user_key.out)["fingerprint"];
  EXPECT_EQ(user.secret_fingerprints(), std::vector<std::string>{user_fpr});
  ProcessResult b = dist(dir / "b", {"--sign-key", user_fpr}, user_env);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(b.err.find("from GnuPG home " + user.path().string() + " (from GNUPGHOME)\n"),
            std::string::npos)
      << b.err;

  // `sign` without --sign-key uses the same home's key (no second key is made).
  ProcessResult resign = run_distbuild({"sign", (dir / "a/tree").string()}, env);
  ASSERT_EQ(resign.exit_code, 0) << resign.err;
  EXPECT_NE(resign.err.find("signing with key " + fpr), std::string::npos) << resign.err;
  EXPECT_EQ(resign.err.find("made a signing key"), std::string::npos) << resign.err;
  // --sign-key takes one value: the tree after it is still the tree.
  ProcessResult named = run_distbuild({"sign", "--sign-key", fpr, (dir / "a/tree").string()}, env);
  EXPECT_EQ(named.exit_code, 0) << named.err;
}

TEST(KeysE2e, AWrongPassphraseFailsEveryTimeEvenRightAfterTheRightOne) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  const std::string right = "right-horse-battery-staple-1";
  const std::string wrong = "wrong-horse-battery-staple-2";
  TempDir dir;
  GpgHome home;
  const std::string fpr = home.quick_gen_key("CI <ci@example.org>", "ed25519", right);
  write_file(dir / "right", right + "\n");
  write_file(dir / "wrong", wrong + "\n");
  ProcessResult first = dist(dir.path(), {"--sign-key", fpr, "--gnupg-home", home.path().string(),
                                          "--passphrase-file", (dir / "right").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  for (int round = 0; round < 2; ++round) {
    const auto before = snapshot_tree(dir / "tree");
    // No agent is stopped between runs: the right passphrase is as fresh as it gets.
    ProcessResult bad = run_distbuild({"sign", (dir / "tree").string(), "--sign-key", fpr,
                                       "--gnupg-home", home.path().string(), "--passphrase-file",
                                       (dir / "wrong").string()});
    EXPECT_NE(bad.exit_code, 0);
    EXPECT_NE(bad.err.find(fpr + ": bad passphrase for the secret key"), std::string::npos)
        << bad.err;
    EXPECT_EQ(bad.err.find(wrong), std::string::npos);
    EXPECT_EQ(snapshot_tree(dir / "tree"), before);
    ::setenv("DISTBUILD_KEYS_TEST_PASS", right.c_str(), 1);
    ProcessResult good = run_distbuild({"sign", (dir / "tree").string(), "--sign-key", fpr,
                                        "--gnupg-home", home.path().string(), "--passphrase-env",
                                        "DISTBUILD_KEYS_TEST_PASS"});
    ::unsetenv("DISTBUILD_KEYS_TEST_PASS");
    EXPECT_EQ(good.exit_code, 0) << good.err;
  }
}

TEST(KeysE2e, VerifyJsonNamesEveryKeyThatSigned) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  TempDir dir;
  GpgHome first;
  GpgHome second;
  const std::string k1 = first.quick_gen_key("K1 <k1@example.org>", "ed25519");
  const std::string k2 = second.quick_gen_key("K2 <k2@example.org>", "rsa2048");
  ASSERT_EQ(dist(dir.path(), {"--sign-key", k1, "--gnupg-home", first.path().string()}).exit_code,
            0);
  // One file re-signed by K2 alone, whose key is published next to K1's.
  const fs::path tree = dir / "tree";
  const fs::path manifest = tree / "dist/channel-rust-stable.toml";
  fs::remove(manifest.string() + ".asc");
  ASSERT_EQ(second.gpg({"--armor", "--detach-sign", "-o", manifest.string() + ".asc",
                        manifest.string()})
                .exit_code,
            0);
  ProcessResult k2_pub = second.gpg({"--armor", "--export", k2});
  write_file(tree / "release-key.asc", read_file(tree / "release-key.asc") + k2_pub.out);

  ProcessResult r = run_distbuild({"--json", "verify", tree.string()});
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.exit_code, 0) << doc.dump(2);
  std::vector<std::string> both{k1, k2};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(doc["signed_by"], nlohmann::json(both));
  EXPECT_EQ(doc["digests"], nlohmann::json::array({"SHA256", "SHA512"}));
  EXPECT_EQ(doc["key_fingerprints"].size(), 2u);
  EXPECT_EQ(doc["key_fingerprint"], doc["key_fingerprints"][0]);
}

} // namespace
} // namespace distbuild::testutil
