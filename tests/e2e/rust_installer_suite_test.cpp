// rust-installer's own test suite (tests/compat/rust-installer: its test.sh and test images,
// unchanged except for the four wrappers, which call $DISTBUILD) run against the distbuild just
// built, one ctest per case, each in a fresh copy of the suite: generate, combine, script and
// tarball, and above all the generated install.sh, must do what rust-installer's do.
//
// Every case runs twice: as root (skipped when the tests do not run as root) and as a normal
// user. The second matters because two cases (cannot_write_error, leave_log_after_failure) make
// the prefix read-only with chmod; run as root, the tests drop to a throwaway uid with setpriv
// (an id no account uses: nothing is added to /etc/passwd), and the copy of the suite (and of the
// binary, when that uid cannot reach the build tree) is handed to that uid.
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <pwd.h>
#include <sys/types.h>
#include <unistd.h>

#include <fstream>
#include <regex>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

fs::path suite_source() { return testutil::source_dir() / "tests/compat/rust-installer"; }

// The cases in the order test.sh runs them: its `runtest <name>` lines.
std::vector<std::string> suite_cases() {
  std::ifstream in(suite_source() / "test.sh");
  std::vector<std::string> cases;
  std::regex runtest("^runtest ([A-Za-z0-9_]+)$");
  std::smatch match;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_match(line, match, runtest)) {
      cases.push_back(match[1]);
    }
  }
  return cases;
}

// An id that no account on this machine uses, for one test run.
uid_t throwaway_uid() {
  for (uid_t uid = 61000; uid < 65000; ++uid) {
    if (::getpwuid(uid) == nullptr) {
      return uid;
    }
  }
  return 64999;
}

void chown_tree(const fs::path& root, uid_t uid) {
  ASSERT_EQ(::lchown(root.c_str(), uid, uid), 0) << root;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    ASSERT_EQ(::lchown(entry.path().c_str(), uid, uid), 0) << entry.path();
  }
}

// Runs one case of test.sh in a fresh copy of the suite. `uid`: drop to it with setpriv first.
testutil::ProcessResult run_case(const TempDir& tmp, const std::string& name,
                                 std::optional<uid_t> uid) {
  fs::path suite = tmp / "rust-installer";
  fs::copy(suite_source(), suite, fs::copy_options::recursive);
  fs::remove_all(suite / "tmp");  // a developer's own in-place run
  fs::path binary = testutil::distbuild_binary();
  std::vector<std::string> argv = {"bash", (suite / "test.sh").string()};
  if (uid) {
    std::string id = std::to_string(*uid);
    std::vector<std::string> as_uid = {"setpriv", "--reuid=" + id, "--regid=" + id,
                                       "--clear-groups", "--"};
    // The build tree may sit in a directory the throwaway uid cannot enter: then it gets a copy.
    std::vector<std::string> probe = as_uid;
    probe.insert(probe.end(), {"test", "-x", binary.string()});
    if (testutil::run_process(probe).exit_code != 0) {
      fs::copy_file(binary, tmp / "distbuild");
      binary = tmp / "distbuild";
    }
    chown_tree(tmp.path(), *uid);
    argv.insert(argv.begin(), as_uid.begin(), as_uid.end());
  }
  return testutil::run_process(argv, {{"TESTNAME", "^" + name + "$"},
                                      {"DISTBUILD", binary.string()},
                                      {"DISTBUILD_NO_CACHE", "1"},
                                      {"HOME", tmp.path().string()}},
                               tmp.path());
}

void expect_case_passes(const testutil::ProcessResult& r, const std::string& name) {
  EXPECT_EQ(r.exit_code, 0) << "case " << name << " failed:\n" << r.out << r.err;
  EXPECT_NE(r.out.find("test: " + name + "\n"), std::string::npos) << "case did not run:\n" << r.out;
  EXPECT_NE(r.out.find("TOTAL SUCCESS!"), std::string::npos) << r.out << r.err;
}

TEST(RustInstallerSuite, HasTheUpstreamCases) {
  std::vector<std::string> cases = suite_cases();
  EXPECT_EQ(cases.size(), 51u);
  EXPECT_EQ(cases.front(), "basic_install");
  EXPECT_EQ(cases.back(), "tarball_compression_formats_error");
}

class RustInstallerCase : public ::testing::TestWithParam<std::string> {};

TEST_P(RustInstallerCase, AsRoot) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "not running as root; AsNormalUser covers the case";
  }
  DISTBUILD_REQUIRE(testutil::find_tool("bash"), "bash");
  TempDir tmp;
  expect_case_passes(run_case(tmp, GetParam(), std::nullopt), GetParam());
}

TEST_P(RustInstallerCase, AsNormalUser) {
  DISTBUILD_REQUIRE(testutil::find_tool("bash"), "bash");
  TempDir tmp;
  std::optional<uid_t> uid;
  if (::geteuid() == 0) {
    DISTBUILD_REQUIRE(testutil::find_tool("setpriv"), "setpriv (util-linux)");
    uid = throwaway_uid();
    // The drop really happens: the case below runs as that uid, not as root.
    std::string id = std::to_string(*uid);
    auto who = testutil::run_process({"setpriv", "--reuid=" + id, "--regid=" + id, "--clear-groups",
                                      "--", "id", "-u"});
    ASSERT_EQ(who.out, id + "\n") << who.err;
  }
  expect_case_passes(run_case(tmp, GetParam(), uid), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Upstream, RustInstallerCase, ::testing::ValuesIn(suite_cases()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

} // namespace
} // namespace distbuild
