// One rule for the GnuPG home of every command: --gnupg-home, else GNUPGHOME, else distbuild's
// own home under XDG_DATA_HOME (or ~/.local/share); and open_signer makes distbuild's default
// key only in distbuild's own home, never in one the user named.
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/signer_setup.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using test::ScopedEnv;
using testutil::TempDir;
namespace fs = std::filesystem;

TEST(GnupgHome, OptionThenGnupghomeThenDistbuildsOwn) {
  ScopedEnv xdg("XDG_DATA_HOME", "/srv/data");
  {
    ScopedEnv gnupghome("GNUPGHOME", "/srv/gnupg");
    const GnupgHome chosen = resolve_gnupg_home(fs::path("/opt/keys"));
    EXPECT_EQ(chosen.path, "/opt/keys");
    EXPECT_EQ(chosen.source, HomeSource::option);
    EXPECT_EQ(chosen.describe(), "/opt/keys (from --gnupg-home)");
    const GnupgHome from_env = resolve_gnupg_home(std::nullopt);
    EXPECT_EQ(from_env.path, "/srv/gnupg");
    EXPECT_EQ(from_env.describe(), "/srv/gnupg (from GNUPGHOME)");
  }
  for (const char* unset : {static_cast<const char*>(nullptr), ""}) {
    ScopedEnv gnupghome("GNUPGHOME", unset); // an empty GNUPGHOME counts as unset, as for gpg
    const GnupgHome own = resolve_gnupg_home(std::nullopt);
    EXPECT_EQ(own.path, "/srv/data/distbuild/gnupg");
    EXPECT_EQ(own.source, HomeSource::distbuild_default);
    EXPECT_EQ(own.describe(), "/srv/data/distbuild/gnupg (distbuild's default)");
    EXPECT_EQ(own.path, default_distbuild_gnupg_home()); // keygen's home
  }
}

TEST(GnupgHome, RelativeOptionBecomesAbsolute) {
  EXPECT_EQ(resolve_gnupg_home(fs::path("keys")).path, fs::current_path() / "keys");
}

TEST(OpenSigner, NothingAskedMeansNoSigner) {
  ScopedEnv gnupghome("GNUPGHOME", "/nonexistent/gnupg");
  const OpenedSigner opened = open_signer(SignerRequest{});
  EXPECT_EQ(opened.signer, nullptr);
  EXPECT_EQ(opened.home.path, "/nonexistent/gnupg");
}

TEST(OpenSigner, DefaultKeyIsMadeOnceInDistbuildsOwnHomeOnly) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  TempDir data;
  ScopedEnv no_gnupghome("GNUPGHOME", nullptr);
  ScopedEnv xdg("XDG_DATA_HOME", data.path().c_str());
  const fs::path own = data / "distbuild" / "gnupg";
  test::StopAgentAtEnd stop{own};
  SignerRequest request;
  request.default_key = true;
  const OpenedSigner first = open_signer(request);
  ASSERT_NE(first.signer, nullptr);
  EXPECT_TRUE(first.key_created);
  EXPECT_EQ(first.home.path, own);
  EXPECT_EQ(first.signer->digest_name(), "SHA512"); // keygen's home asks for it
  const OpenedSigner second = open_signer(request);
  EXPECT_FALSE(second.key_created);
  EXPECT_EQ(second.signer->fingerprint(), first.signer->fingerprint());
  EXPECT_EQ(existing_signing_keys(own).size(), 1u);

  // A home the user named (here through GNUPGHOME) is never given a key behind their back.
  GpgHome named;
  ScopedEnv gnupghome("GNUPGHOME", named.path().c_str());
  try {
    open_signer(request);
    FAIL() << "a key was made or found in an empty home";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              named.path().string() +
                  ": no secret signing key in this GnuPG home (`distbuild keygen` makes one)");
  }
  EXPECT_TRUE(named.secret_fingerprints().empty());
}

} // namespace
} // namespace distbuild::signing
