// install.sh from a packed example: --prefix/--destdir installs exactly the manifest, records
// it under lib/rustlib/ (absolute paths, as rust-installer records them), and --uninstall (or the
// recorded uninstall.sh, which acts where it lives) leaves the prefix empty.
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::string tree(const fs::path& root) {
  std::vector<std::string> lines;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(entry.path(), root).string();
    if (entry.is_directory()) {
      lines.push_back(rel + "/");
    } else {
      bool exec = (entry.status().permissions() & fs::perms::owner_exec) != fs::perms::none;
      lines.push_back(rel + (exec ? " *" : ""));
    }
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

fs::path packed_example(const fs::path& tmp) {
  auto r = testutil::run_distbuild({"pack", "--image", testutil::example_image().string(),
                                    "--component", "demo-tool", "--package", "demo-tool",
                                    "--version", "0.1.0", "--target", "x86_64-unknown-linux-gnu",
                                    "--bulk-dir", "share/doc/demo-tool/html", "--formats", "gz",
                                    "--output-dir", (tmp / "dist").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testutil::run_process({"tar", "-xzf",
                                   (tmp / "dist/demo-tool-0.1.0-x86_64-unknown-linux-gnu.tar.gz").string(),
                                   "-C", tmp.string()})
                .exit_code,
            0);
  return tmp / "demo-tool-0.1.0-x86_64-unknown-linux-gnu/install.sh";
}

TEST(InstallShExample, InstallRecordAndUninstall) {
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
  TempDir tmp;
  fs::path script = packed_example(tmp.path());
  fs::create_directories(tmp / "prefix");
  const std::string prefix = (tmp / "prefix").string();
  auto install = testutil::run_process({"sh", script.string(), "--prefix=" + prefix,
                                        "--disable-ldconfig"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(install.out, "install: creating uninstall script at " + prefix +
                             "/lib/rustlib/uninstall.sh\n"
                             "install: installing component 'demo-tool'\n"
                             "\n    demo-tool installed.\n\n");
  EXPECT_EQ(tree(tmp / "prefix"),
            "bin/\n"
            "bin/demo-tool *\n"
            "lib/\n"
            "lib/demo-tool/\n"
            "lib/demo-tool/a-rather-long-directory-name-to-exercise-gnu-long-names/\n"
            "lib/demo-tool/a-rather-long-directory-name-to-exercise-gnu-long-names/and-another-nested-level-of-some-length/\n"
            "lib/demo-tool/a-rather-long-directory-name-to-exercise-gnu-long-names/and-another-nested-level-of-some-length/data-file.txt\n"
            "lib/demo-tool/data.txt\n"
            "lib/rustlib/\n"
            "lib/rustlib/components\n"
            "lib/rustlib/install.log\n"
            "lib/rustlib/manifest-demo-tool\n"
            "lib/rustlib/rust-installer-version\n"
            "lib/rustlib/uninstall.sh *\n"
            "share/\n"
            "share/doc/\n"
            "share/doc/demo-tool/\n"
            "share/doc/demo-tool/README.md\n"
            "share/doc/demo-tool/html/\n"
            "share/doc/demo-tool/html/index.html\n"
            "share/doc/demo-tool/html/style.css\n");
  // manifest.in's lines, each made absolute under the prefix.
  std::string recorded;
  std::istringstream lines(testutil::read_file(script.parent_path() / "demo-tool/manifest.in"));
  for (std::string line; std::getline(lines, line);) {
    std::size_t colon = line.find(':');
    recorded += line.substr(0, colon + 1) + prefix + "/" + line.substr(colon + 1) + "\n";
  }
  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/manifest-demo-tool"), recorded);
  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/components"), "demo-tool\n");
  EXPECT_EQ(testutil::run_process({(tmp / "prefix/bin/demo-tool").string()}).out, "demo-tool 0.1.0\n");

  // Installing again replaces, it does not duplicate.
  ASSERT_EQ(testutil::run_process({"sh", script.string(), "--prefix", prefix, "--disable-ldconfig"})
                .exit_code,
            0);
  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/components"), "demo-tool\n");

  auto uninstall = testutil::run_process({"sh", script.string(), "--uninstall",
                                          "--prefix=" + (tmp / "prefix").string()});
  ASSERT_EQ(uninstall.exit_code, 0) << uninstall.err;
  EXPECT_EQ(tree(tmp / "prefix"), "");
}

TEST(InstallShExample, DestdirAndRecordedUninstaller) {
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
  TempDir tmp;
  fs::path script = packed_example(tmp.path());
  auto install = testutil::run_process({"sh", script.string(), "--destdir=" + (tmp / "stage").string(),
                                        "--prefix=/opt/demo", "--verbose", "--disable-ldconfig"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_NE(install.out.find("install: copying file " + (tmp / "stage").string() +
                             "/opt/demo/bin/demo-tool\n"),
            std::string::npos)
      << install.out;
  EXPECT_TRUE(fs::exists(tmp / "stage/opt/demo/bin/demo-tool"));
  // The recorded uninstaller removes the installation it lives in and takes no arguments.
  const std::string uninstaller = (tmp / "stage/opt/demo/lib/rustlib/uninstall.sh").string();
  auto refused = testutil::run_process({uninstaller, "--prefix=/opt/demo"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "install: error: uninstall.sh does not take any arguments\n");
  EXPECT_TRUE(fs::exists(tmp / "stage/opt/demo/bin/demo-tool"));
  auto uninstall = testutil::run_process({uninstaller});
  ASSERT_EQ(uninstall.exit_code, 0) << uninstall.err;
  EXPECT_EQ(uninstall.out, "install: uninstalling component 'demo-tool'\n\n    Rust is uninstalled.\n\n");
  EXPECT_EQ(tree(tmp / "stage"), "opt/\nopt/demo/\n");
}

TEST(InstallShExample, UnknownComponentAndNothingToUninstall) {
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
  TempDir tmp;
  fs::path script = packed_example(tmp.path());
  auto wrong = testutil::run_process({"sh", script.string(), "--prefix=" + (tmp / "p").string(),
                                      "--components=rustc"});
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_EQ(wrong.err, "install: error: unknown component: rustc\n");
  auto none = testutil::run_process({"sh", script.string(), "--uninstall", "--prefix=" + (tmp / "p").string()});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "install: error: unable to find installation manifest at " +
                          (tmp / "p").string() + "/lib/rustlib\n");
  EXPECT_FALSE(fs::exists(tmp / "p"));  // neither run wrote anything
}

} // namespace
} // namespace distbuild
