// `distbuild rustup` judged by the real `rustup self update` in a fresh CARGO_HOME: the
// machine's own rustup binary published as 99.0.0 is fetched from the tree (over
// `distbuild serve` and over file://), and the same binary published under rustup's own version
// is "unchanged" — rustup compares release-stable.toml's version with its own, nothing else.
// The --json report is checked against the files on disk.
#include "tests/e2e/serve_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/utsname.h>

namespace distbuild::testutil {
namespace {

// rustup asks for archive/<version>/<its build triple>/: the host's triple on Linux.
std::string build_triple() {
  utsname name{};
  ::uname(&name);
  return std::string(name.machine) + "-unknown-linux-gnu";
}

// "rustup 1.29.0 (28d1352db 2026-03-05)" -> "1.29.0"
std::string installed_rustup_version(const RustupHome& home) {
  auto r = home.rustup({"--version"});
  std::string text = r.out.substr(r.out.find(' ') + 1);
  return text.substr(0, text.find(' '));
}

nlohmann::json publish(const fs::path& tree, const std::string& version) {
  auto r = run_distbuild({"--json", "rustup", "--tree", tree.string(), "--binary",
                          rustup_binary()->string(), "--version", version, "--target",
                          build_triple()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out);
}

void expect_file_matches(const nlohmann::json& file) {
  fs::path path = file["path"].get<std::string>();
  ASSERT_TRUE(fs::exists(path)) << path;
  EXPECT_EQ(file["size"].get<std::uint64_t>(), fs::file_size(path)) << path;
  EXPECT_EQ(file["sha256"], sha256_file(path)) << path;
  EXPECT_EQ(read_file(file["sha256_file"].get<std::string>()),
            sha256_file(path) + "  " + path.filename().string() + "\n");
}

TEST(RustupSelfUpdate, JsonReportMatchesTheTree) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  auto doc = publish(dir / "tree", "99.0.0");
  const std::string triple = build_triple();
  EXPECT_EQ(doc["version"], "99.0.0");
  EXPECT_EQ(doc["target"], triple);
  EXPECT_EQ(doc["archived"]["path"],
            (dir / "tree/rustup/archive/99.0.0" / triple / "rustup-init").string());
  EXPECT_EQ(doc["latest"]["path"], (dir / "tree/rustup/dist" / triple / "rustup-init").string());
  EXPECT_EQ(doc["release_file"]["path"], (dir / "tree/rustup/release-stable.toml").string());
  EXPECT_EQ(doc["archived"]["sha256"], sha256_file(*rustup_binary()));
  for (const char* key : {"archived", "latest", "release_file"}) {
    expect_file_matches(doc[key]);
  }
  EXPECT_EQ(doc["release_version"], "99.0.0");
  EXPECT_EQ(doc["release_updated"], true);
  EXPECT_EQ(read_file(dir / "tree/rustup/release-stable.toml"),
            "schema-version = \"1\"\nversion = \"99.0.0\"\n");
  EXPECT_TRUE(fs::exists(dir / "tree/index.html"));
}

TEST(RustupSelfUpdate, FetchesTheNewerRustupFromTheServedTree) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string current = installed_rustup_version(home);
  TempDir dir;
  const fs::path tree = dir / "tree";

  // Published under rustup's own version: nothing to do.
  publish(tree, current);
  ServeProcess server(tree);
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::map<std::string, std::string> env{{"RUSTUP_UPDATE_ROOT", server.url() + "/rustup"}};
  auto same = home.rustup({"self", "update"}, "", env);
  ASSERT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("rustup unchanged - " + current), std::string::npos) << same.out;

  // Published as 99.0.0: rustup downloads archive/99.0.0/<triple>/rustup-init and runs it.
  publish(tree, "99.0.0");
  auto update = home.rustup({"self", "update"}, "", env);
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.err.find("info: downloading self-update (new version: 99.0.0)"),
            std::string::npos)
      << update.err;
  EXPECT_NE(update.out.find("rustup updated - " + current), std::string::npos) << update.out;
  EXPECT_EQ(sha256_file(home.cargo_home() / "bin/rustup"), sha256_file(*rustup_binary()));
  server.stop();
  EXPECT_NE(server.access_log().find("GET /rustup/release-stable.toml 200"), std::string::npos);
  EXPECT_NE(server.access_log().find("GET /rustup/archive/99.0.0/" + build_triple() +
                                     "/rustup-init 200"),
            std::string::npos)
      << server.access_log();
}

TEST(RustupSelfUpdate, FileUrlsWorkAndAMissingBinaryFails) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  TempDir dir;
  publish(dir / "tree", "99.0.0");
  const std::map<std::string, std::string> env{
      {"RUSTUP_UPDATE_ROOT", "file://" + (dir / "tree/rustup").string()}};
  // Without the archived binary rustup cannot update: it really reads this tree.
  fs::path archived = dir / "tree/rustup/archive/99.0.0" / build_triple() / "rustup-init";
  fs::rename(archived, dir / "aside");
  auto missing = home.rustup({"self", "update"}, "", env);
  EXPECT_NE(missing.exit_code, 0);
  fs::rename(dir / "aside", archived);
  auto update = home.rustup({"self", "update"}, "", env);
  ASSERT_EQ(update.exit_code, 0) << update.err;
  EXPECT_NE(update.err.find("(new version: 99.0.0)"), std::string::npos) << update.err;
}

} // namespace
} // namespace distbuild::testutil
