// A passphrase must not outlive the signing that needed it (agent_cache.hpp): not in the
// environment of the gpg-agent that gpg starts and leaves running, not in the agent's cache
// once the signer is gone, not in the environment of this process after it was read.
#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/passphrase.hpp"
#include "signing/signer.hpp"
#include "signing/temporary_home.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

constexpr const char* k_passphrase = "lifetime-passphrase-0489-staple";
constexpr const char* k_variable = "DISTBUILD_TEST_LIFETIME_PP";

// The pid of the gpg-agent serving `home` (gpg starts it as `gpg-agent --homedir <home> ...`).
std::optional<std::string> agent_pid(const fs::path& home) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    std::string pid = entry.path().filename().string();
    if (pid.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string cmdline;
    try {
      cmdline = testutil::read_file(entry.path() / "cmdline");
    } catch (const std::exception&) {
      continue;  // gone meanwhile
    }
    for (char& c : cmdline) {
      c = c == '\0' ? ' ' : c;
    }
    if (cmdline.find("gpg-agent") != std::string::npos &&
        cmdline.find(home.string()) != std::string::npos) {
      return pid;
    }
  }
  return std::nullopt;
}

class PassphraseLifetime : public ::testing::Test {
protected:
  void SetUp() override {
    if (!test::have_gnupg_tools()) {
      return;
    }
    m_fingerprint = generate_signing_key(m_home.path(), "lifetime <l@example.org>", k_passphrase)
                        .fingerprint;
    stop_gpg_agent(m_home.path());  // every case starts with no agent: the signer starts it
  }
  KeyOptions options() const { return KeyOptions{m_fingerprint, m_home.path(), {}, {}}; }
  std::string sign_something(Signer& signer) {
    testutil::write_file(m_dir / "f", "payload\n");
    return signer.sign_file(m_dir / "f");
  }

  GpgHome m_home;
  TempDir m_dir;
  std::string m_fingerprint;
};

TEST_F(PassphraseLifetime, TheAgentGpgStartsDoesNotInheritThePassphraseVariable) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgconf, gpg-connect-agent");
  ::setenv(k_variable, k_passphrase, 1);
  KeyOptions opts = options();
  opts.passphrase_env = k_variable;
  auto signer = make_gpgme_signer(opts);
  EXPECT_EQ(std::getenv(k_variable), nullptr);  // read once, then gone from this process
  EXPECT_FALSE(sign_something(*signer).empty());
  auto pid = agent_pid(m_home.path());
  ASSERT_TRUE(pid.has_value()) << "no gpg-agent runs for " << m_home.path();
  const std::string environment = testutil::read_file(fs::path("/proc") / *pid / "environ");
  EXPECT_EQ(environment.find(k_passphrase), std::string::npos);
  EXPECT_EQ(environment.find(k_variable), std::string::npos);
  ::unsetenv(k_variable);
}

TEST_F(PassphraseLifetime, TheAgentForgetsThePassphraseWhenTheSignerIsDone) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgconf, gpg-connect-agent");
  testutil::write_file(m_dir / "pass", std::string(k_passphrase) + "\n");
  {
    KeyOptions opts = options();
    opts.passphrase_file = m_dir / "pass";
    auto signer = make_gpgme_signer(opts);
    EXPECT_FALSE(sign_something(*signer).empty());
    ASSERT_TRUE(agent_pid(m_home.path()).has_value());
  }
  // The same agent still runs; without the cache entry it must ask again, and nobody answers.
  ASSERT_TRUE(agent_pid(m_home.path()).has_value());
  try {
    make_gpgme_signer(options());
    FAIL() << "signed without a passphrase: the agent still had it cached";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              m_fingerprint + ": the secret key is protected by a passphrase; give a passphrase "
                              "file or environment variable");
  }
}

} // namespace
} // namespace distbuild::signing
