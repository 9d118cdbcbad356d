#include "builder/pack/install_script.hpp"

#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

TEST(InstallScript, ValuesAreQuotedShellWords) {
  InstallScriptOptions options;
  options.product_name = "Rust's \"best\" $(rm -rf /)";
  options.success_message = "clippy-preview installed.";
  std::string script = render_install_script(options);
  EXPECT_EQ(script.rfind("#!/bin/sh\n", 0), 0u);
  EXPECT_NE(script.find("product_name='Rust'\\''s \"best\" $(rm -rf /)'\n"), std::string::npos);
  EXPECT_NE(script.find("success_message='clippy-preview installed.'\n"), std::string::npos);
  EXPECT_NE(script.find("legacy_manifest_dirs='rustlib,cargo'\n"), std::string::npos);
}

TEST(InstallScript, IsValidPosixShAndPrintsHelp) {
  testutil::TempDir tmp;
  testutil::write_file(tmp / "install.sh", render_install_script({}), true);
  testutil::write_file(tmp / "components", "demo\n");
  auto syntax = testutil::run_process({"sh", "-n", (tmp / "install.sh").string()});
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  auto help = testutil::run_process({"sh", (tmp / "install.sh").string(), "--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--uninstall"), std::string::npos);
  EXPECT_NE(help.out.find("Components in this package:\n  demo\n"), std::string::npos) << help.out;
  auto bad = testutil::run_process({"sh", (tmp / "install.sh").string(), "--frobnicate"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "install: error: Option '--frobnicate' is not recognized\n");
}

// The template is POSIX sh for every checker we have, not only for dash: shellcheck in sh mode
// rejects bashisms dash would tolerate.
TEST(InstallScript, ShellcheckFindsNothing) {
  DISTBUILD_REQUIRE(testutil::find_tool("shellcheck"), "shellcheck");
  testutil::TempDir tmp;
  InstallScriptOptions options;
  options.product_name = "Rust's \"best\"";
  testutil::write_file(tmp / "install.sh", render_install_script(options), true);
  auto check = testutil::run_process({"shellcheck", "--shell=sh", (tmp / "install.sh").string()});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
}

TEST(InstallScript, SplitCommaList) {
  EXPECT_EQ(split_comma_list("rustlib,cargo"), (std::vector<std::string>{"rustlib", "cargo"}));
  EXPECT_EQ(split_comma_list(""), std::vector<std::string>{});
  EXPECT_EQ(split_comma_list("a,,b,"), (std::vector<std::string>{"a", "b"}));
}

} // namespace
} // namespace distbuild::builder
