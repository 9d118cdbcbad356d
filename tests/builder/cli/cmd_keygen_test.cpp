// `distbuild keygen` end to end through the real binary (it mirrors builder/cli/cmd_keygen.cpp;
// it lives here because the signing engineer owns both).
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/signer.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

TEST(CmdKeygen, CreatesOnceThenReportsTheExistingKey) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  const std::string dir = home.path().string();
  testutil::ProcessResult first =
      testutil::run_distbuild({"keygen", "--gnupg-home", dir, "--email", "release@example.org"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  std::smatch m;
  ASSERT_TRUE(
      std::regex_match(first.out, m, std::regex("created signing key ([0-9A-F]{40}) in (.*)\n")))
      << first.out;
  const std::string fpr = m[1];
  EXPECT_EQ(m[2], dir);
  EXPECT_EQ(home.secret_fingerprints(), std::vector<std::string>{fpr});
  testutil::ProcessResult uid = home.gpg({"--with-colons", "--list-keys", fpr});
  EXPECT_NE(uid.out.find(":distbuild signing key <release@example.org>:"), std::string::npos)
      << uid.out;

  testutil::ProcessResult second = testutil::run_distbuild({"keygen", "--gnupg-home", dir});
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out,
            "signing key " + fpr + " already exists in " + dir + " (--force makes another)\n");
  EXPECT_EQ(home.secret_fingerprints(), std::vector<std::string>{fpr});

  // The key it made signs with SHA-512 straight away, through the home's gpg.conf.
  EXPECT_EQ(make_gpgme_signer(KeyOptions{"", home.path(), {}, {}})->fingerprint(), fpr);
}

TEST(CmdKeygen, JsonAndForce) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  const std::string dir = home.path().string();
  testutil::ProcessResult first =
      testutil::run_distbuild({"keygen", "--gnupg-home", dir, "--name", "CI key", "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const nlohmann::json made = nlohmann::json::parse(first.out);
  EXPECT_EQ(made["created"], true);
  EXPECT_EQ(made["gnupg_home"], dir);
  const std::string fpr = made["fingerprint"];

  const nlohmann::json kept =
      nlohmann::json::parse(testutil::run_distbuild({"keygen", "--gnupg-home", dir, "--json"}).out);
  EXPECT_EQ(kept["created"], false);
  EXPECT_EQ(kept["fingerprint"], fpr);

  const nlohmann::json forced = nlohmann::json::parse(
      testutil::run_distbuild({"keygen", "--gnupg-home", dir, "--force", "--json"}).out);
  EXPECT_EQ(forced["created"], true);
  EXPECT_NE(forced["fingerprint"], fpr);
  EXPECT_EQ(home.secret_fingerprints().size(), 2u);
}

TEST(CmdKeygen, DefaultHomeIsUnderXdgDataHome) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  TempDir data;
  const fs::path home = data / "distbuild" / "gnupg";
  test::StopAgentAtEnd stop{home};
  testutil::ProcessResult r =
      testutil::run_distbuild({"keygen"}, {{"XDG_DATA_HOME", data.path().string()}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(" in " + home.string() + "\n"), std::string::npos) << r.out;
  EXPECT_EQ(existing_signing_keys(home).size(), 1u);
}

TEST(CmdKeygen, PassphraseFileProtectsTheKeyAndIsNeverPrinted) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  const std::string secret = "keygen-cli-secret-4711";
  testutil::write_file(dir / "pass", secret + "\n");
  testutil::ProcessResult r =
      testutil::run_distbuild({"keygen", "--gnupg-home", home.path().string(), "--passphrase-file",
                               (dir / "pass").string(), "--verbose"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(secret), std::string::npos);
  EXPECT_EQ(r.err.find(secret), std::string::npos);

  stop_gpg_agent(home.path()); // forget the cached passphrase
  try {
    make_gpgme_signer(KeyOptions{"", home.path(), {}, {}});
    FAIL() << "an unprotected key";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("protected by a passphrase"), std::string::npos)
        << e.what();
  }
  KeyOptions with_file{"", home.path(), dir / "pass", {}};
  EXPECT_EQ(make_gpgme_signer(with_file)->fingerprint(), home.secret_fingerprints().at(0));
}

TEST(CmdKeygen, BadPassphraseFileIsAnError) {
  TempDir dir;
  testutil::ProcessResult r =
      testutil::run_distbuild({"keygen", "--gnupg-home", (dir / "gnupg").string(),
                               "--passphrase-file", (dir / "missing").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "gnupg"));
}

} // namespace
} // namespace distbuild::signing
