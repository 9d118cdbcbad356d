// Verifier: only the given keys count, the user's keyring is never read or written, and each way
// a signature can be wrong gets its own problem text.
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/signer.hpp"
#include "signing/verifier.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <thread>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

// A zombie (exited, not yet reaped by whatever init the container has) counts as stopped.
bool process_alive(int pid) {
  if (::kill(pid, 0) != 0) {
    return false;
  }
  std::string stat;
  try {
    stat = testutil::read_file("/proc/" + std::to_string(pid) + "/stat");
  } catch (const std::exception&) {
    return false;
  }
  const std::size_t paren = stat.rfind(')');
  return paren == std::string::npos || paren + 2 >= stat.size() || stat[paren + 2] != 'Z';
}

// One signing key for the whole suite: key generation and agent start-up are the slow part.
class VerifierTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (!test::have_gnupg_tools()) {
      return;
    }
    s_home = new GpgHome();
    s_other_home = new GpgHome();
    generate_signing_key(s_home->path(), "release <release@example.org>");
    generate_signing_key(s_other_home->path(), "intruder <intruder@example.org>");
    s_signer = make_gpgme_signer(KeyOptions{"", s_home->path(), {}, {}}).release();
    s_other = make_gpgme_signer(KeyOptions{"", s_other_home->path(), {}, {}}).release();
  }
  static void TearDownTestSuite() {
    delete s_signer;
    delete s_other;
    delete s_home; // stops the agents
    delete s_other_home;
  }
  void SetUp() override {
    DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
    m_file = m_dir / "cargo-1.80.0-x86_64-unknown-linux-gnu.tar.gz";
    testutil::write_file(m_file, "pretend tarball bytes\n");
  }

  static inline GpgHome* s_home = nullptr;
  static inline GpgHome* s_other_home = nullptr;
  static inline Signer* s_signer = nullptr;
  static inline Signer* s_other = nullptr;
  TempDir m_dir;
  fs::path m_file;
};

TEST_F(VerifierTest, AcceptsGoodSignature) {
  Verifier verifier(s_signer->export_public_key());
  EXPECT_EQ(verifier.fingerprints(), std::vector<std::string>{s_signer->fingerprint()});
  const SignatureCheck check = verifier.verify_file(m_file, s_signer->sign_file(m_file));
  EXPECT_TRUE(check.valid) << check.problem;
  EXPECT_EQ(check.signer_fingerprint, s_signer->fingerprint());
  EXPECT_EQ(check.problem, "");
}

TEST_F(VerifierTest, AcceptsSignatureMadeByRealGpg) {
  testutil::ProcessResult r = s_home->gpg({"--armor", "--detach-sign", "--digest-algo", "SHA512",
                                           "--output", m_file.string() + ".asc", m_file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Verifier verifier(s_signer->export_public_key());
  const SignatureCheck check =
      verifier.verify_file(m_file, testutil::read_file(m_file.string() + ".asc"));
  EXPECT_TRUE(check.valid) << check.problem;
}

TEST_F(VerifierTest, RejectsFlippedByte) {
  const std::string sig = s_signer->sign_file(m_file);
  std::string bytes = testutil::read_file(m_file);
  bytes[5] ^= 0x01;
  testutil::write_file(m_file, bytes);
  Verifier verifier(s_signer->export_public_key());
  const SignatureCheck check = verifier.verify_file(m_file, sig);
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.problem, "bad signature");
  EXPECT_EQ(check.signer_fingerprint, s_signer->fingerprint());
}

TEST_F(VerifierTest, RejectsSignatureOfAnotherFile) {
  Verifier verifier(s_signer->export_public_key());
  const SignatureCheck check =
      verifier.verify_file(m_file, s_signer->sign_bytes("some other file\n"));
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.problem, "bad signature");
}

TEST_F(VerifierTest, RejectsSignatureByAnotherKeyNamingIt) {
  Verifier verifier(s_signer->export_public_key());
  const SignatureCheck check = verifier.verify_file(m_file, s_other->sign_file(m_file));
  EXPECT_FALSE(check.valid);
  EXPECT_EQ(check.problem, "signed by unknown key " + s_other->fingerprint());
  EXPECT_EQ(check.signer_fingerprint, s_other->fingerprint());
}

TEST_F(VerifierTest, AcceptsEitherOfSeveralKeys) {
  Verifier verifier(s_signer->export_public_key() + s_other->export_public_key());
  EXPECT_EQ(verifier.fingerprints().size(), 2u);
  EXPECT_TRUE(verifier.verify_file(m_file, s_other->sign_file(m_file)).valid);
  EXPECT_TRUE(verifier.verify_bytes("abc", s_signer->sign_bytes("abc")).valid);
}

TEST_F(VerifierTest, RejectsGarbageArmor) {
  Verifier verifier(s_signer->export_public_key());
  for (const std::string& garbage :
       {std::string(""), std::string("not a signature\n"),
        std::string("-----BEGIN PGP SIGNATURE-----\n\nAAAA\n=AAAA\n-----END PGP SIGNATURE-----\n"),
        s_signer->export_public_key()}) {
    const SignatureCheck check = verifier.verify_file(m_file, garbage);
    EXPECT_FALSE(check.valid) << garbage;
    EXPECT_EQ(check.problem, "no signature") << garbage;
  }
}

TEST_F(VerifierTest, RefusesTextWithoutKey) {
  try {
    Verifier verifier("no key here\n");
    FAIL() << "accepted a text without keys";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(), "public key: no OpenPGP public key found in the given text");
  }
}

TEST_F(VerifierTest, NeverTouchesTheUsersKeyring) {
  // GNUPGHOME and HOME point at an empty dir while verifying; it must stay empty.
  TempDir user;
  const char* old_gnupghome = std::getenv("GNUPGHOME");
  const std::string saved = old_gnupghome != nullptr ? old_gnupghome : "";
  ::setenv("GNUPGHOME", user.path().c_str(), 1);
  {
    Verifier verifier(s_signer->export_public_key());
    EXPECT_TRUE(verifier.verify_file(m_file, s_signer->sign_file(m_file)).valid);
  }
  if (old_gnupghome != nullptr) {
    ::setenv("GNUPGHOME", saved.c_str(), 1);
  } else {
    ::unsetenv("GNUPGHOME");
  }
  EXPECT_TRUE(fs::is_empty(user.path()));
}

TEST_F(VerifierTest, RemovesItsHomeAndStopsItsAgent) {
  fs::path home;
  int agent_pid = 0;
  {
    Verifier verifier(s_signer->export_public_key());
    home = verifier.gnupg_home();
    ASSERT_TRUE(fs::exists(home / "pubring.kbx"));
    // Make sure an agent runs there, so the test proves that it is stopped.
    testutil::ProcessResult r = testutil::run_process(
        {"gpg-connect-agent", "--homedir", home.string(), "getinfo pid", "/bye"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_EQ(r.out.rfind("D ", 0), 0u) << r.out;
    agent_pid = std::stoi(r.out.substr(2));
  }
  EXPECT_FALSE(fs::exists(home));
  bool gone = false;
  for (int i = 0; i < 100 && !gone; ++i) {
    gone = !process_alive(agent_pid);
    if (!gone) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  EXPECT_TRUE(gone) << "gpg-agent " << agent_pid << " still running";
}

} // namespace
} // namespace distbuild::signing
