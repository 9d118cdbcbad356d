// The README's main job, as a new user runs it: `distbuild quickstart` with nothing set up gives
// a signed tree from the installed stable toolchain that verifies and that rustup installs.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

TEST(Quickstart, BuildsASignedTreeThatVerifiesAndInstalls) {
  auto toolchain = installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(find_tool("gpg").has_value(), "gpg");
  TempDir dir;
  // distbuild's own key goes under XDG_DATA_HOME: here a temp dir, never the user's data.
  std::map<std::string, std::string> env{{"XDG_DATA_HOME", (dir / "data").string()}};
  signing::test::StopAgentAtEnd stop{dir / "data/distbuild/gnupg"};
  auto r = run_distbuild({"quickstart", "--out", (dir / "tree").string()}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("export RUSTUP_DIST_SERVER=file://" + (dir / "tree").string()),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(fs::exists(dir / "data/distbuild/gnupg"));

  auto verified = run_distbuild({"--json", "verify", (dir / "tree").string()});
  auto doc = nlohmann::json::parse(verified.out);
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
  EXPECT_TRUE(doc["ok"].get<bool>());
  EXPECT_EQ(doc["key_fingerprint"].get<std::string>() + "\n",
            read_file(dir / "tree/release-key.fingerprint"));

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"},
      "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto version = home.rustup({"run", "stable", "rustc", "--version"});
  EXPECT_EQ(version.out.rfind("rustc 1.", 0), 0u) << version.out;

  // Later runs reuse the key made by the first (here: re-signing the tree with the default key).
  const std::string fingerprint = read_file(dir / "tree/release-key.fingerprint");
  auto resigned = run_distbuild({"--json", "sign", (dir / "tree").string()}, env);
  ASSERT_EQ(resigned.exit_code, 0) << resigned.err;
  EXPECT_EQ(nlohmann::json::parse(resigned.out)["fingerprint"].get<std::string>() + "\n",
            fingerprint);
}

} // namespace
} // namespace distbuild::testutil
