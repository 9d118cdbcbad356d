// The generated install.sh as bootstrap and users drive it, beyond what rust-installer's own
// suite checks (rust_installer_suite_test.cpp): `x install`'s directory flags put every kind of
// file where it belongs and the recorded uninstall.sh finds them again; --destdir with a relative
// --prefix; .old backups and bulk dirs replaced, not merged; an unknown component in
// `--uninstall --components` stops before anything is removed; write failures stop the run (as
// root too); records left by earlier distbuild installers are still understood; and the script
// runs the same under dash and bash --posix.
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

// `distbuild generate` as bootstrap calls it, no tarball (`x install` only needs the work dir).
// Returns the work dir's install.sh.
fs::path generate(const fs::path& tmp, const std::string& component,
                  const std::map<std::string, std::string>& files,
                  const std::string& bulk_dirs = "") {
  fs::path image = tmp / ("image-" + component);
  fs::remove_all(image);
  testutil::make_image(image, files);
  std::vector<std::string> args = {"generate", "--product-name=Rust", "--rel-manifest-dir=rustlib",
                                   "--success-message=" + component + "-installed.",
                                   "--legacy-manifest-dirs=rustlib,cargo",
                                   "--image-dir=" + image.string(),
                                   "--work-dir=" + (tmp / "work").string(),
                                   "--output-dir=" + (tmp / "dist").string(),
                                   "--component-name=" + component, "--package-name=" + component,
                                   "--compression-profile=fast", "--compression-formats=gz"};
  if (!bulk_dirs.empty()) {
    args.push_back("--bulk-dirs=" + bulk_dirs);
  }
  auto r = testutil::run_distbuild(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tmp / "work" / component / "install.sh";
}

fs::path combine(const fs::path& tmp, const std::vector<std::string>& packages) {
  std::string inputs;
  for (const std::string& p : packages) {
    inputs += (inputs.empty() ? "" : ",") + (tmp / "dist" / (p + ".tar.gz")).string();
  }
  auto r = testutil::run_distbuild({"combine", "--product-name=Rust", "--rel-manifest-dir=rustlib",
                                    "--input-tarballs=" + inputs, "--package-name=rust",
                                    "--work-dir=" + (tmp / "work").string(),
                                    "--output-dir=" + (tmp / "dist").string(),
                                    "--compression-profile=no-op"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tmp / "work/rust/install.sh";
}

testutil::ProcessResult sh(const fs::path& script, std::vector<std::string> args,
                           const std::optional<fs::path>& cwd = std::nullopt) {
  args.insert(args.begin(), {"sh", script.string()});
  return testutil::run_process(args, {}, cwd);
}

const std::map<std::string, std::string> k_every_kind = {
    {"bin/tool*", "tool"},
    {"lib/libtool.so", "so"},
    {"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib", "rlib"},
    {"etc/tool/config.toml", "conf"},
    {"share/man/man1/tool.1", "man"},
    {"share/doc/tool/README.md", "readme"},
    {"share/doc/tool/html/index.html", "html"},
    {"share/zsh/site-functions/_tool", "zsh"},
    {"libexec/tool-helper*", "helper"},
};

TEST(InstallShCompat, BootstrapInstallFlagsPlaceEveryKindOfFile) {
  TempDir tmp;
  fs::path script = generate(tmp.path(), "tool", k_every_kind, "share/doc/tool/html");
  const std::string t = tmp.path().string();
  fs::create_directories(tmp / "empty");
  // Exactly the flags bootstrap's `x install` passes, from an empty working directory.
  auto install = sh(script,
                    {"--prefix=" + t + "/prefix", "--sysconfdir=" + t + "/sysconf",
                     "--datadir=" + t + "/data", "--docdir=" + t + "/doc", "--bindir=" + t + "/bin",
                     "--libdir=" + t + "/lib", "--mandir=" + t + "/man", "--disable-ldconfig"},
                    tmp / "empty");
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(testutil::read_file(tmp / "bin/tool"), "tool");
  EXPECT_EQ(fs::status(tmp / "bin/tool").permissions(), fs::perms(0755));
  EXPECT_EQ(testutil::read_file(tmp / "lib/libtool.so"), "so");
  EXPECT_EQ(fs::status(tmp / "lib/libtool.so").permissions(), fs::perms(0644));
  EXPECT_EQ(testutil::read_file(tmp / "lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib"), "rlib");
  EXPECT_EQ(testutil::read_file(tmp / "sysconf/tool/config.toml"), "conf");
  EXPECT_EQ(testutil::read_file(tmp / "man/man1/tool.1"), "man");
  EXPECT_EQ(testutil::read_file(tmp / "doc/README.md"), "readme");
  EXPECT_EQ(testutil::read_file(tmp / "doc/html/index.html"), "html");
  EXPECT_EQ(testutil::read_file(tmp / "data/zsh/site-functions/_tool"), "zsh");
  EXPECT_EQ(testutil::read_file(tmp / "prefix/libexec/tool-helper"), "helper");
  EXPECT_TRUE(fs::is_empty(tmp / "empty"));
  // The records live under --libdir, with absolute paths.
  EXPECT_EQ(testutil::read_file(tmp / "lib/rustlib/components"), "tool\n");
  EXPECT_EQ(testutil::read_file(tmp / "lib/rustlib/rust-installer-version"), "3\n");
  EXPECT_EQ(testutil::read_file(tmp / "lib/rustlib/manifest-tool"),
            "dir:" + t + "/doc/html\n"
            "file:" + t + "/bin/tool\n"
            "file:" + t + "/sysconf/tool/config.toml\n"
            "file:" + t + "/lib/libtool.so\n"
            "file:" + t + "/lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib\n"
            "file:" + t + "/prefix/libexec/tool-helper\n"
            "file:" + t + "/doc/README.md\n"
            "file:" + t + "/man/man1/tool.1\n"
            "file:" + t + "/data/zsh/site-functions/_tool\n");
  std::string log = testutil::read_file(tmp / "lib/rustlib/install.log");
  EXPECT_NE(log.find("install: installing component 'tool'\n"), std::string::npos) << log;

  // The recorded uninstaller finds everything again, wherever it went.
  auto uninstall = testutil::run_process({"sh", (tmp / "lib/rustlib/uninstall.sh").string()});
  ASSERT_EQ(uninstall.exit_code, 0) << uninstall.err;
  for (const char* gone : {"bin/tool", "lib/libtool.so", "lib/rustlib", "sysconf/tool/config.toml",
                           "man/man1/tool.1", "doc/README.md", "doc/html", "data/zsh",
                           "prefix/libexec/tool-helper"}) {
    EXPECT_FALSE(fs::exists(tmp / gone)) << gone;
  }
}

TEST(InstallShCompat, DestdirWithRelativePrefixStaysUnderDestdir) {
  TempDir tmp;
  fs::path script = generate(tmp.path(), "tool", {{"bin/tool*", "tool"}});
  fs::create_directories(tmp / "cwd");
  auto install = sh(script, {"--destdir=" + (tmp / "stage").string(), "--prefix=usr/local",
                             "--disable-ldconfig"},
                    tmp / "cwd");
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_EQ(testutil::read_file(tmp / "stage/usr/local/bin/tool"), "tool");
  EXPECT_TRUE(fs::is_empty(tmp / "cwd"));
  // A relative --destdir is taken from the working directory.
  auto relative = sh(script, {"--destdir=stage2", "--prefix=/opt/x", "--disable-ldconfig"}, tmp / "cwd");
  ASSERT_EQ(relative.exit_code, 0) << relative.err;
  EXPECT_EQ(testutil::read_file(tmp / "cwd/stage2/opt/x/bin/tool"), "tool");
}

TEST(InstallShCompat, ForeignFilesAreBackedUpAndBulkDirsReplaced) {
  TempDir tmp;
  fs::path script = generate(tmp.path(), "docs",
                             {{"bin/tool*", "new"}, {"share/doc/rust/html/index.html", "new index"}},
                             "share/doc/rust/html");
  const std::string prefix = (tmp / "prefix").string();
  testutil::write_file(tmp / "prefix/bin/tool", "foreign");
  testutil::write_file(tmp / "prefix/bin/tool.old", "older backup");
  testutil::write_file(tmp / "prefix/share/doc/rust/html/stale.html", "stale");
  auto install = sh(script, {"--prefix=" + prefix, "--disable-ldconfig"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_NE(install.out.find("install: backing up existing file at " + prefix + "/bin/tool\n"),
            std::string::npos) << install.out;
  EXPECT_EQ(testutil::read_file(tmp / "prefix/bin/tool"), "new");
  EXPECT_EQ(testutil::read_file(tmp / "prefix/bin/tool.old"), "foreign");
  EXPECT_FALSE(fs::exists(tmp / "prefix/share/doc/rust/html/stale.html"));
  EXPECT_EQ(testutil::read_file(tmp / "prefix/share/doc/rust/html.old/stale.html"), "stale");

  // Upgrading: the old version's files are uninstalled first, so nothing of it is left behind
  // and nothing of ours is backed up.
  fs::path v2 = generate(tmp.path(), "docs",
                         {{"bin/tool*", "v2"}, {"share/doc/rust/html/other.html", "v2 other"}},
                         "share/doc/rust/html");
  fs::remove(tmp / "prefix/bin/tool.old");
  fs::remove_all(tmp / "prefix/share/doc/rust/html.old");
  auto upgrade = sh(v2, {"--prefix=" + prefix, "--disable-ldconfig"});
  ASSERT_EQ(upgrade.exit_code, 0) << upgrade.err;
  EXPECT_EQ(upgrade.out.find("backing up"), std::string::npos) << upgrade.out;
  EXPECT_EQ(testutil::read_file(tmp / "prefix/bin/tool"), "v2");
  EXPECT_FALSE(fs::exists(tmp / "prefix/share/doc/rust/html/index.html"));
  EXPECT_EQ(testutil::read_file(tmp / "prefix/share/doc/rust/html/other.html"), "v2 other");
  EXPECT_FALSE(fs::exists(tmp / "prefix/bin/tool.old"));
}

TEST(InstallShCompat, ComponentSelectionForInstallAndUninstall) {
  TempDir tmp;
  generate(tmp.path(), "rustc", {{"bin/rustc*", "r"}});
  generate(tmp.path(), "cargo", {{"bin/cargo*", "c"}});
  generate(tmp.path(), "rust-docs", {{"share/doc/rust/index.html", "d"}});
  fs::path script = combine(tmp.path(), {"rustc", "cargo", "rust-docs"});
  const std::string prefix = "--prefix=" + (tmp / "prefix").string();

  auto list = sh(script, {"--list-components"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "\n# Available components\n\n* rustc\n* cargo\n* rust-docs\n\n");

  ASSERT_EQ(sh(script, {prefix, "--without=rust-docs,not-in-this-version", "--disable-ldconfig"})
                .exit_code,
            0);
  EXPECT_TRUE(fs::exists(tmp / "prefix/bin/rustc"));
  EXPECT_FALSE(fs::exists(tmp / "prefix/share/doc/rust/index.html"));
  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/components"), "rustc\ncargo\n");

  // A component this package does not have: refused before anything is removed.
  auto unknown = sh(script, {prefix, "--uninstall", "--components=rustc,cargo,rls"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_EQ(unknown.err, "install: error: unknown component: rls\n");
  EXPECT_TRUE(fs::exists(tmp / "prefix/bin/rustc"));
  EXPECT_TRUE(fs::exists(tmp / "prefix/bin/cargo"));
  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/components"), "rustc\ncargo\n");

  // One the package has but that is not installed (rust-docs) is simply not there to remove.
  auto uninstall = sh(script, {prefix, "--uninstall", "--components=rustc,cargo,rust-docs"});
  ASSERT_EQ(uninstall.exit_code, 0) << uninstall.err;
  EXPECT_TRUE(fs::is_empty(tmp / "prefix"));

  auto nothing = sh(script, {prefix, "--without=rustc,cargo,rust-docs"});
  EXPECT_EQ(nothing.exit_code, 1);
  EXPECT_EQ(nothing.err, "install: error: no components selected for installation\n");
}

// Write failures that hit root too (a directory where a file must be written): the run stops
// with an error naming the log, never with the success message.
TEST(InstallShCompat, WriteFailuresStopTheRun) {
  TempDir tmp;
  fs::path script = generate(tmp.path(), "tool", {{"bin/tool*", "tool"}});
  const std::string prefix = (tmp / "prefix").string();
  const std::string log = prefix + "/lib/rustlib/install.log";

  fs::create_directories(tmp / "prefix/lib/rustlib/rust-installer-version");
  auto version = sh(script, {"--prefix=" + prefix, "--disable-ldconfig"});
  EXPECT_EQ(version.exit_code, 1);
  EXPECT_NE(version.err.find("install: error: failed to write installer version. see logs at '" +
                             log + "'\n"),
            std::string::npos) << version.err;
  EXPECT_EQ(version.out.find("tool installed."), std::string::npos) << version.out;
  EXPECT_NE(testutil::read_file(log).find("see logs at"), std::string::npos);

  fs::remove_all(tmp / "prefix");
  fs::create_directories(tmp / "prefix/lib/rustlib/components");
  auto components = sh(script, {"--prefix=" + prefix, "--disable-ldconfig"});
  EXPECT_EQ(components.exit_code, 1);
  EXPECT_NE(components.err.find("install: error: failed to update components list for tool. "
                                "see logs at '" + log + "'\n"),
            std::string::npos) << components.err;
  EXPECT_EQ(components.out.find("tool installed."), std::string::npos) << components.out;
}

// Installations recorded by distbuild's earlier install.sh (paths relative to the prefix) are
// still removed before an upgrade.
TEST(InstallShCompat, UpgradesRecordsWithRelativePaths) {
  TempDir tmp;
  fs::path script = generate(tmp.path(), "tool", {{"bin/tool*", "new"}});
  testutil::write_file(tmp / "prefix/bin/tool", "old");
  testutil::write_file(tmp / "prefix/bin/old-helper", "old");
  testutil::write_file(tmp / "prefix/lib/rustlib/components", "tool\n");
  testutil::write_file(tmp / "prefix/lib/rustlib/rust-installer-version", "3\n");
  testutil::write_file(tmp / "prefix/lib/rustlib/manifest-tool", "file:bin/tool\nfile:bin/old-helper\n");
  auto install = sh(script, {"--prefix=" + (tmp / "prefix").string(), "--disable-ldconfig"});
  ASSERT_EQ(install.exit_code, 0) << install.err;
  EXPECT_NE(install.out.find("install: uninstalling component 'tool'\n"), std::string::npos);
  EXPECT_EQ(testutil::read_file(tmp / "prefix/bin/tool"), "new");
  EXPECT_FALSE(fs::exists(tmp / "prefix/bin/old-helper"));
  EXPECT_FALSE(fs::exists(tmp / "prefix/bin/tool.old"));
}

TEST(InstallShCompat, SameResultUnderDashAndBashPosix) {
  DISTBUILD_REQUIRE(testutil::find_tool("bash"), "bash");
  DISTBUILD_REQUIRE(testutil::find_tool("dash"), "dash");
  TempDir tmp;
  fs::path script = generate(tmp.path(), "tool", k_every_kind, "share/doc/tool/html");
  for (std::vector<std::string> shell : {std::vector<std::string>{"dash"},
                                         std::vector<std::string>{"bash", "--posix"}}) {
    fs::path prefix = tmp / ("prefix-" + shell[0]);
    std::vector<std::string> argv = shell;
    argv.insert(argv.end(), {script.string(), "--prefix=" + prefix.string(), "--disable-ldconfig"});
    auto install = testutil::run_process(argv);
    ASSERT_EQ(install.exit_code, 0) << shell[0] << ": " << install.err;
    EXPECT_EQ(install.err, "") << shell[0];
    EXPECT_EQ(testutil::read_file(prefix / "share/doc/tool/html/index.html"), "html") << shell[0];
    argv = shell;
    argv.push_back((prefix / "lib/rustlib/uninstall.sh").string());
    auto uninstall = testutil::run_process(argv);
    ASSERT_EQ(uninstall.exit_code, 0) << shell[0] << ": " << uninstall.err;
    EXPECT_EQ(uninstall.err, "") << shell[0];
    EXPECT_TRUE(fs::is_empty(prefix)) << shell[0];
  }
}

} // namespace
} // namespace distbuild
