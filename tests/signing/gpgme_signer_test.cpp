// GpgmeSigner against the real gpg: signatures made through GPGME must verify with
// `gpg --verify` and with `gpgv` on the exported key, and be v4 detached binary ones with a
// digest of SHA-256 or stronger (SHA-512 where the key and home give it). Keys made by plain
// `gpg --quick-gen-key` in a home without gpg.conf work; weak digests are refused.
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/signer.hpp"
#include "signing/temporary_home.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cstdlib>
#include <functional>
#include <regex>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

constexpr int k_sha256 = 8;  // OpenPGP digest algorithm numbers (RFC 4880 9.4)
constexpr int k_sha512 = 10;

// Checks one signature of `file` three ways: gpg in the signing home, gpgv with only the
// exported key, and the packet dump (the digest, v4, binary document).
void expect_verifies(const GpgHome& home, const Signer& signer, const fs::path& file,
                     const fs::path& asc, int digest = k_sha512) {
  testutil::ProcessResult verify = home.gpg({"--verify", asc.string(), file.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
  EXPECT_NE(verify.err.find("Good signature"), std::string::npos) << verify.err;

  const fs::path keyring = asc.parent_path() / "signer.gpg";
  test::dearmor_to_keyring(signer.export_public_key(), keyring);
  testutil::ProcessResult gpgv =
      testutil::run_process({"gpgv", "--keyring", keyring.string(), asc.string(), file.string()});
  EXPECT_EQ(gpgv.exit_code, 0) << gpgv.err;
  EXPECT_NE(gpgv.err.find("Good signature"), std::string::npos) << gpgv.err;

  EXPECT_EQ(test::digest_algos_of(asc), std::vector<int>{digest});
  const std::string packets = test::list_packets(asc);
  EXPECT_NE(packets.find(":signature packet: algo"), std::string::npos) << packets;
  EXPECT_NE(packets.find("version 4, created"), std::string::npos) << packets;
  EXPECT_NE(packets.find("sigclass 0x00"), std::string::npos) << packets;
}

TEST(GpgmeSigner, GeneratedEd25519KeySignsFileWithSha512) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  const GeneratedKey key = generate_signing_key(home.path(), "distbuild test <t@example.org>");
  auto signer = make_gpgme_signer(KeyOptions{"", home.path(), std::nullopt, std::nullopt});
  EXPECT_EQ(signer->fingerprint(), key.fingerprint);
  EXPECT_TRUE(std::regex_match(signer->fingerprint(), std::regex("[0-9A-F]{40}")));

  const fs::path file = dir / "rust-std-1.80.0-armv7-unknown-linux-gnueabihf.tar.xz";
  testutil::write_file(file, std::string(3 << 20, 'x') + "end");
  const std::string sig = signer->sign_file(file);
  EXPECT_EQ(sig.rfind("-----BEGIN PGP SIGNATURE-----\n", 0), 0u) << sig;
  EXPECT_NE(sig.find("-----END PGP SIGNATURE-----"), std::string::npos);
  testutil::write_file(file.string() + ".asc", sig);
  expect_verifies(home, *signer, file, file.string() + ".asc");
}

TEST(GpgmeSigner, SignBytesEqualsSigningTheSameFile) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  generate_signing_key(home.path(), "bytes <b@example.org>");
  auto signer = make_gpgme_signer(KeyOptions{"b@example.org", home.path(), {}, {}});
  const std::string manifest = "manifest-version = \"2\"\ndate = \"2024-07-25\"\n";
  testutil::write_file(dir / "channel-rust-stable.toml", manifest);
  testutil::write_file(dir / "channel-rust-stable.toml.asc", signer->sign_bytes(manifest));
  expect_verifies(home, *signer, dir / "channel-rust-stable.toml",
                  dir / "channel-rust-stable.toml.asc");
}

TEST(GpgmeSigner, RsaKeyFromGpgQuickGenKeySignsWithSha512) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  const std::string fpr = home.quick_gen_key("rsa user <rsa@example.org>", "rsa2048");
  auto signer = make_gpgme_signer(KeyOptions{fpr, home.path(), {}, {}});
  EXPECT_EQ(signer->fingerprint(), fpr);
  EXPECT_EQ(signer->digest_name(), "SHA512");
  testutil::write_file(dir / "f", "payload\n");
  testutil::write_file(dir / "f.asc", signer->sign_file(dir / "f"));
  expect_verifies(home, *signer, dir / "f", dir / "f.asc");
}

TEST(GpgmeSigner, Ed25519KeyFromPlainGpgSignsWithoutAnyGpgConf) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  ASSERT_FALSE(fs::exists(home.path() / "gpg.conf"));
  const std::string fpr = home.quick_gen_key("ed user <ed@example.org>", "ed25519");
  // GnuPG 2.2 signs with SHA-256 for ed25519 by default: accepted, and said.
  auto signer = make_gpgme_signer(KeyOptions{fpr, home.path(), {}, {}});
  EXPECT_EQ(signer->digest_name(), "SHA256");
  testutil::write_file(dir / "f", "payload\n");
  testutil::write_file(dir / "f.asc", signer->sign_file(dir / "f"));
  expect_verifies(home, *signer, dir / "f", dir / "f.asc", k_sha256);
  EXPECT_FALSE(fs::exists(home.path() / "gpg.conf")); // the user's home is never edited

  // Where the home asks for SHA-512, SHA-512 it is.
  home.prefer_sha512();
  auto strong = make_gpgme_signer(KeyOptions{fpr, home.path(), {}, {}});
  EXPECT_EQ(strong->digest_name(), "SHA512");
  testutil::write_file(dir / "g.asc", strong->sign_file(dir / "f"));
  expect_verifies(home, *strong, dir / "f", dir / "g.asc", k_sha512);
}

TEST(GpgmeSigner, WeakDigestsAreRefusedNamingTheHome) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  const std::string rsa = home.quick_gen_key("rsa <rsa@example.org>", "rsa2048");
  for (const std::string digest : {"SHA1", "MD5", "RIPEMD160"}) {
    testutil::write_file(home.path() / "gpg.conf", "digest-algo " + digest + "\n");
    EXPECT_EQ(error_of([&] { make_gpgme_signer(KeyOptions{rsa, home.path(), {}, {}}); }),
              rsa + ": gpg signed with " + digest +
                  ", which is too weak (SHA256, SHA384 or SHA512 are accepted); remove the "
                  "digest-algo or personal-digest-preferences line that asks for it from "
                  "gpg.conf of " +
                  home.path().string());
  }
  testutil::write_file(home.path() / "gpg.conf", "digest-algo SHA384\n");
  EXPECT_EQ(make_gpgme_signer(KeyOptions{rsa, home.path(), {}, {}})->digest_name(), "SHA384");
}

TEST(GpgmeSigner, ChoosesTheOnlyKeyOrRefusesToGuess) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  EXPECT_EQ(error_of([&] {
              make_gpgme_signer(KeyOptions{"", home.path(), {}, {}});
            }),
            home.path().string() +
                ": no secret signing key in this GnuPG home (`distbuild keygen` makes one)");
  const GeneratedKey first = generate_signing_key(home.path(), "one <one@example.org>");
  EXPECT_EQ(make_gpgme_signer(KeyOptions{"", home.path(), {}, {}})->fingerprint(),
            first.fingerprint);
  const GeneratedKey second = generate_signing_key(home.path(), "two <two@example.org>");
  EXPECT_EQ(error_of([&] {
              make_gpgme_signer(KeyOptions{"", home.path(), {}, {}});
            }),
            home.path().string() + ": 2 secret signing keys match (" + first.fingerprint + ", " +
                second.fingerprint + "); choose one by fingerprint");
  EXPECT_EQ(make_gpgme_signer(KeyOptions{second.fingerprint, home.path(), {}, {}})->fingerprint(),
            second.fingerprint);
  EXPECT_EQ(make_gpgme_signer(KeyOptions{"one@example.org", home.path(), {}, {}})->fingerprint(),
            first.fingerprint);
  EXPECT_EQ(error_of([&] {
              make_gpgme_signer(KeyOptions{"nobody@example.org", home.path(), {}, {}});
            }),
            "nobody@example.org: no such key in " + home.path().string());
}

TEST(GpgmeSigner, PublicKeyAloneCannotSign) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome owner;
  GpgHome other;
  TempDir dir;
  const GeneratedKey key = generate_signing_key(owner.path(), "owner <owner@example.org>");
  auto signer = make_gpgme_signer(KeyOptions{"", owner.path(), {}, {}});
  testutil::write_file(dir / "pub.asc", signer->export_public_key());
  ASSERT_EQ(other.gpg({"--import", (dir / "pub.asc").string()}).exit_code, 0);
  EXPECT_EQ(error_of([&] {
              make_gpgme_signer(KeyOptions{key.fingerprint, other.path(), {}, {}});
            }),
            key.fingerprint + ": no usable secret signing key in " + other.path().string() +
                " (only the public key, or the key is revoked or expired)");
}

TEST(GpgmeSigner, StreamsLargeFilesInsteadOfLoadingThem) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  generate_signing_key(home.path(), "large <l@example.org>");
  auto signer = make_gpgme_signer(KeyOptions{"", home.path(), {}, {}});
  // Sparse, so the test costs no disk; gpg still hashes every byte.
  constexpr std::uintmax_t k_size = 48u << 20;
  const fs::path file = dir / "rustc-1.80.0-x86_64-unknown-linux-gnu.tar.xz";
  testutil::write_file(file, "");
  fs::resize_file(file, k_size);
  rusage before{};
  ::getrusage(RUSAGE_SELF, &before);
  testutil::write_file(file.string() + ".asc", signer->sign_file(file));
  rusage after{};
  ::getrusage(RUSAGE_SELF, &after);
  // ru_maxrss is in KiB; loading the file would add ~48 MiB.
  EXPECT_LT(after.ru_maxrss - before.ru_maxrss, 16 * 1024);
  testutil::ProcessResult verify = home.gpg({"--verify", file.string() + ".asc", file.string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST(GpgmeSigner, NoHomeMeansGnupghome) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  const GeneratedKey key = generate_signing_key(home.path(), "env <env@example.org>");
  const char* old = std::getenv("GNUPGHOME");
  const std::string saved = old != nullptr ? old : "";
  ::setenv("GNUPGHOME", home.path().c_str(), 1);
  std::string fpr;
  try {
    fpr = make_gpgme_signer(KeyOptions{})->fingerprint();
  } catch (const Error& e) {
    fpr = e.what();
  }
  old != nullptr ? ::setenv("GNUPGHOME", saved.c_str(), 1) : ::unsetenv("GNUPGHOME");
  EXPECT_EQ(fpr, key.fingerprint);
}

TEST(GpgmeSigner, ErrorsNameTheHomeActuallyUsed) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir data;
  {
    test::ScopedEnv gnupghome("GNUPGHOME", home.path().c_str());
    EXPECT_EQ(error_of([&] { make_gpgme_signer(KeyOptions{"nobody@example.org", {}, {}, {}}); }),
              "nobody@example.org: no such key in " + home.path().string());
  }
  // No GNUPGHOME: distbuild's own home, named, with the way to the user's own keyring.
  test::ScopedEnv no_gnupghome("GNUPGHOME", nullptr);
  test::ScopedEnv xdg("XDG_DATA_HOME", data.path().c_str());
  const fs::path own = data / "distbuild" / "gnupg";
  EXPECT_EQ(error_of([&] { make_gpgme_signer(KeyOptions{"nobody@example.org", {}, {}, {}}); }),
            own.string() + ": no such GnuPG home (distbuild's default: `distbuild keygen` makes "
                           "a key there; for a key of your own gpg give --gnupg-home ~/.gnupg or "
                           "set GNUPGHOME)");
  fs::create_directories(own);
  fs::permissions(own, fs::perms::owner_all, fs::perm_options::replace);
  test::StopAgentAtEnd stop{own};
  EXPECT_EQ(error_of([&] { make_gpgme_signer(KeyOptions{"nobody@example.org", {}, {}, {}}); }),
            "nobody@example.org: no such key in " + own.string() +
                " (distbuild's default GnuPG home; for a key of your own gpg give --gnupg-home "
                "~/.gnupg or set GNUPGHOME)");
}

TEST(GpgmeSigner, ExportedKeyIsArmoredPublicBlock) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  generate_signing_key(home.path(), "export <e@example.org>");
  const std::string key =
      make_gpgme_signer(KeyOptions{"", home.path(), {}, {}})->export_public_key();
  EXPECT_EQ(key.rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", 0), 0u) << key;
  EXPECT_EQ(key.find("PRIVATE KEY"), std::string::npos);
}

TEST(GpgmeSigner, MissingFileIsNamed) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  generate_signing_key(home.path(), "missing <m@example.org>");
  auto signer = make_gpgme_signer(KeyOptions{"", home.path(), {}, {}});
  EXPECT_EQ(error_of([&] { signer->sign_file(dir / "nope.tar.xz"); }),
            (dir / "nope.tar.xz").string() + ": cannot open: No such file or directory");
}

// --- passphrase-protected keys -----------------------------------------------------------------

constexpr const char* k_passphrase = "correct horse battery staple 7";
constexpr const char* k_wrong = "tr0ub4dor&3-wrong";

class ProtectedKey : public ::testing::Test {
protected:
  void SetUp() override {
    if (!test::have_gnupg_tools()) {
      return;
    }
    m_key = generate_signing_key(m_home.path(), "protected <p@example.org>", k_passphrase);
    // Key generation leaves the passphrase in the agent's cache; each case starts cold.
    stop_gpg_agent(m_home.path());
  }
  KeyOptions options() const { return KeyOptions{"", m_home.path(), {}, {}}; }

  GpgHome m_home;
  TempDir m_dir;
  GeneratedKey m_key;
};

TEST_F(ProtectedKey, SignsWithPassphraseFile) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  testutil::write_file(m_dir / "pass", std::string(k_passphrase) + "\n");
  KeyOptions opts = options();
  opts.passphrase_file = m_dir / "pass";
  auto signer = make_gpgme_signer(opts);
  testutil::write_file(m_dir / "f", "protected payload\n");
  testutil::write_file(m_dir / "f.asc", signer->sign_file(m_dir / "f"));
  expect_verifies(m_home, *signer, m_dir / "f", m_dir / "f.asc");
}

TEST_F(ProtectedKey, SignsWithPassphraseEnv) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  ::setenv("DISTBUILD_TEST_PASSPHRASE", k_passphrase, 1);
  KeyOptions opts = options();
  opts.passphrase_env = "DISTBUILD_TEST_PASSPHRASE";
  auto signer = make_gpgme_signer(opts);
  ::unsetenv("DISTBUILD_TEST_PASSPHRASE");
  testutil::write_file(m_dir / "f", "protected payload\n");
  testutil::write_file(m_dir / "f.asc", signer->sign_file(m_dir / "f"));
  expect_verifies(m_home, *signer, m_dir / "f", m_dir / "f.asc");
}

TEST_F(ProtectedKey, WrongPassphraseFailsWithoutShowingIt) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  testutil::write_file(m_dir / "pass", std::string(k_wrong) + "\n");
  KeyOptions opts = options();
  opts.passphrase_file = m_dir / "pass";
  const std::string message = error_of([&] { make_gpgme_signer(opts); });
  EXPECT_EQ(message, m_key.fingerprint + ": bad passphrase for the secret key");
  EXPECT_EQ(message.find(k_wrong), std::string::npos);
  EXPECT_EQ(message.find(k_passphrase), std::string::npos);
}

// gpg-agent remembers a passphrase once a key was unlocked; a given passphrase must be the one
// that counts anyway, or a broken CI secret would sign on a machine where the right one is
// still cached.
TEST_F(ProtectedKey, WrongPassphraseFailsEvenWhileTheAgentRemembersTheRightOne) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  testutil::write_file(m_dir / "right", std::string(k_passphrase) + "\n");
  testutil::write_file(m_dir / "wrong", std::string(k_wrong) + "\n");
  KeyOptions right = options();
  right.passphrase_file = m_dir / "right";
  KeyOptions wrong = options();
  wrong.passphrase_file = m_dir / "wrong";
  const std::string refused = m_key.fingerprint + ": bad passphrase for the secret key";

  // The agent unlocked the key for a signer that is still at work.
  auto signer = make_gpgme_signer(right);
  testutil::write_file(m_dir / "f", "payload\n");
  signer->sign_file(m_dir / "f");
  EXPECT_EQ(error_of([&] { make_gpgme_signer(wrong); }), refused);
  // ... and the right one still works afterwards, and again and again.
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(make_gpgme_signer(right)->fingerprint(), m_key.fingerprint);
    EXPECT_EQ(error_of([&] { make_gpgme_signer(wrong); }), refused);
  }

  // The user's own gpg unlocked it (the agent caches that too).
  testutil::ProcessResult warm =
      m_home.gpg({"--pinentry-mode", "loopback", "--passphrase", k_passphrase, "--detach-sign",
                  "--armor", "-o", (m_dir / "warm.asc").string(), (m_dir / "f").string()});
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_EQ(error_of([&] { make_gpgme_signer(wrong); }), refused);
}

TEST_F(ProtectedKey, GivenPassphraseDoesNotOutliveTheSigner) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  testutil::write_file(m_dir / "right", std::string(k_passphrase) + "\n");
  KeyOptions right = options();
  right.passphrase_file = m_dir / "right";
  testutil::write_file(m_dir / "f", "payload\n");
  make_gpgme_signer(right)->sign_file(m_dir / "f");
  // Had the agent kept it, gpg would sign with any passphrase at all.
  testutil::ProcessResult after =
      m_home.gpg({"--pinentry-mode", "loopback", "--passphrase", k_wrong, "--detach-sign",
                  "--armor", "-o", (m_dir / "after.asc").string(), (m_dir / "f").string()});
  EXPECT_NE(after.exit_code, 0) << after.err;
  EXPECT_NE(after.err.find("Bad passphrase"), std::string::npos) << after.err;
}

TEST_F(ProtectedKey, NoPassphraseNeverPrompts) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  EXPECT_EQ(error_of([&] { make_gpgme_signer(options()); }),
            m_key.fingerprint + ": the secret key is protected by a passphrase; give a "
                                "passphrase file or environment variable");
}

} // namespace
} // namespace distbuild::signing
