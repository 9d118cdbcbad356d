// generate_signing_key / ensure_signing_key / default_distbuild_gnupg_home, checked with the real
// gpg's own view of the key it finds in the home.
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/signer_setup.hpp"  // default_distbuild_gnupg_home
#include "signing/temporary_home.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>
#include <sstream>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

// The colon-separated fields of the first line of `kind` in gpg --with-colons output.
std::vector<std::string> colon_fields(const std::string& listing, const std::string& kind) {
  std::istringstream lines(listing);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(kind + ":", 0) == 0) {
      std::vector<std::string> fields;
      std::istringstream parts(line);
      std::string field;
      while (std::getline(parts, field, ':')) {
        fields.push_back(field);
      }
      return fields;
    }
  }
  return {};
}

using test::ScopedEnv;

TEST(Keygen, MakesEd25519SigningKeyWithoutExpiry) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  TempDir dir;
  const fs::path home = dir / "gnupg"; // does not exist yet
  test::StopAgentAtEnd stop{home};
  const GeneratedKey key = generate_signing_key(home, "distbuild signing key <k@example.org>");
  EXPECT_EQ(key.gnupg_home, home);
  EXPECT_EQ(fs::status(home).permissions() & fs::perms::all, fs::perms::owner_all);
  EXPECT_NE(testutil::read_file(home / "gpg.conf").find("personal-digest-preferences SHA512\n"),
            std::string::npos);

  testutil::ProcessResult r = testutil::run_process(
      {"gpg", "--homedir", home.string(), "--batch", "--with-colons", "--list-secret-keys"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> sec = colon_fields(r.out, "sec");
  ASSERT_GE(sec.size(), 17u) << r.out;
  EXPECT_EQ(sec[3], "22");    // EdDSA
  EXPECT_EQ(sec[6], "");      // no expiry
  EXPECT_EQ(sec[11], "scSC"); // sign + certify only, no encryption subkey
  EXPECT_EQ(sec[16], "ed25519");
  EXPECT_EQ(colon_fields(r.out, "fpr")[9], key.fingerprint);
  EXPECT_EQ(colon_fields(r.out, "ssb").size(), 0u);
  const std::vector<std::string> uid = colon_fields(r.out, "uid");
  ASSERT_GE(uid.size(), 10u);
  EXPECT_EQ(uid[9], "distbuild signing key <k@example.org>");
}

TEST(Keygen, KeepsAnExistingGpgConf) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  testutil::write_file(home.path() / "gpg.conf", "# mine\nkeyid-format long\n");
  generate_signing_key(home.path(), "mine <mine@example.org>");
  EXPECT_EQ(testutil::read_file(home.path() / "gpg.conf"), "# mine\nkeyid-format long\n");
}

TEST(Keygen, EnsureKeepsTheFirstKeyUnlessForced) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  EXPECT_TRUE(existing_signing_keys(home.path()).empty());
  const KeygenResult first = ensure_signing_key(home.path(), "k <k@example.org>", "", false);
  EXPECT_TRUE(first.created);
  const KeygenResult again = ensure_signing_key(home.path(), "k <k@example.org>", "", false);
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.key.fingerprint, first.key.fingerprint);
  EXPECT_EQ(home.secret_fingerprints(), std::vector<std::string>{first.key.fingerprint});

  const KeygenResult forced = ensure_signing_key(home.path(), "k <k@example.org>", "", true);
  EXPECT_TRUE(forced.created);
  EXPECT_NE(forced.key.fingerprint, first.key.fingerprint);
  EXPECT_EQ(home.secret_fingerprints().size(), 2u);
}

TEST(Keygen, ExistingKeysOfMissingHomeIsEmpty) {
  TempDir dir;
  EXPECT_TRUE(existing_signing_keys(dir / "absent").empty());
  EXPECT_FALSE(fs::exists(dir / "absent"));
}

TEST(Keygen, RefusesEmptyUserIdAndFileAsHome) {
  TempDir dir;
  testutil::write_file(dir / "file", "x");
  try {
    generate_signing_key(dir / "file", "someone");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "file").string() + ": not a directory");
  }
  try {
    generate_signing_key(dir / "home", "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              (dir / "home").string() + ": a key needs a user ID (name and/or email)");
  }
}

TEST(Keygen, DefaultHomeFollowsXdgDataHome) {
  {
    ScopedEnv xdg("XDG_DATA_HOME", "/srv/data");
    EXPECT_EQ(default_distbuild_gnupg_home(), fs::path("/srv/data/distbuild/gnupg"));
  }
  {
    ScopedEnv xdg("XDG_DATA_HOME", nullptr);
    ScopedEnv home("HOME", "/home/builder");
    EXPECT_EQ(default_distbuild_gnupg_home(),
              fs::path("/home/builder/.local/share/distbuild/gnupg"));
  }
  {
    // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
    ScopedEnv xdg("XDG_DATA_HOME", "relative/data");
    ScopedEnv home("HOME", "/home/builder");
    EXPECT_EQ(default_distbuild_gnupg_home(),
              fs::path("/home/builder/.local/share/distbuild/gnupg"));
  }
}

} // namespace
} // namespace distbuild::signing
