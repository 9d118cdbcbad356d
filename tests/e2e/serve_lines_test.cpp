// The lines `distbuild serve` prints are pasted as printed: into a fresh shell (bash -c) with a
// fresh rustup home they must install the tree's release with exit 0, for a tree without a
// rustup/ self-update tree (--no-self-update, no RUSTUP_UPDATE_ROOT, which would end every
// install with a 404) and for one with it (RUSTUP_UPDATE_ROOT, which rustup then reads).
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/serve_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/utsname.h>

#include <sstream>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_block_title = "Point rustup at it and install (paste into a shell):\n";

fs::path make_tree(const fs::path& dir) {
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  auto r = run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out",
                          (dir / "tree").string(), "--version", "1.95.0", "--date", "2026-04-16",
                          "--profile", "fast", "--formats", "gz"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir / "tree";
}

// The indented block under the title, without its indent: exactly what a user copies.
std::vector<std::string> pasted_lines(const std::string& printed) {
  std::vector<std::string> lines;
  const auto at = printed.find(k_block_title);
  if (at == std::string::npos) {
    return lines;
  }
  std::istringstream in(printed.substr(at + k_block_title.size()));
  std::string line;
  while (std::getline(in, line) && line.starts_with("  ")) {
    lines.push_back(line.substr(2));
  }
  return lines;
}

std::string as_script(const std::vector<std::string>& lines) {
  std::string script = "set -e\n";
  for (const auto& line : lines) {
    script += line + "\n";
  }
  return script;
}

std::string installed_rustup_version(const RustupHome& home) {
  auto r = home.rustup({"--version"});
  std::string text = r.out.substr(r.out.find(' ') + 1);
  return text.substr(0, text.find(' '));
}

TEST(ServeLines, PastedIntoAFreshShellTheyInstallATreeWithoutRustup) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  const fs::path tree = make_tree(dir.path());
  ServeProcess server(tree);
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string printed = server.more_stdout();
  const std::vector<std::string> lines = pasted_lines(printed);
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "export RUSTUP_DIST_SERVER=" + server.url(),
                       "rustup toolchain install stable --profile minimal --no-self-update"}))
      << printed;
  EXPECT_EQ(printed.find("RUSTUP_UPDATE_ROOT"), std::string::npos) << printed;

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto pasted = home.run({"bash", "-c", as_script(lines)});
  ASSERT_EQ(pasted.exit_code, 0) << pasted.err;
  EXPECT_EQ(home.rustup({"run", "stable", "rustc", "--version"}).out,
            "rustc 1.95.0 (abcdef123 2026-04-14)\n");
  server.stop();
  EXPECT_EQ(server.access_log().find("/rustup/"), std::string::npos) << server.access_log();

  ServeProcess json(tree, {"--json"});
  ASSERT_TRUE(json.ok()) << json.first_line();
  const auto doc = nlohmann::json::parse(json.first_line());
  EXPECT_EQ(doc["update_root"], "");
  EXPECT_EQ(doc["install"], "rustup toolchain install stable --profile minimal --no-self-update");
  EXPECT_EQ(doc["lines"].size(), 2u);
}

TEST(ServeLines, PastedIntoAFreshShellTheyInstallATreeWithRustup) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  TempDir dir;
  const fs::path tree = make_tree(dir.path());
  utsname name{};
  ::uname(&name);
  // rustup's own version: its self-update check finds nothing newer and exits 0.
  auto published = run_distbuild({"rustup", "--tree", tree.string(), "--binary",
                                  rustup_binary()->string(), "--version",
                                  installed_rustup_version(home), "--target",
                                  std::string(name.machine) + "-unknown-linux-gnu"});
  ASSERT_EQ(published.exit_code, 0) << published.err;

  ServeProcess server(tree);
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::vector<std::string> lines = pasted_lines(server.more_stdout());
  EXPECT_EQ(lines, (std::vector<std::string>{
                       "export RUSTUP_DIST_SERVER=" + server.url(),
                       "export RUSTUP_UPDATE_ROOT=" + server.url() + "/rustup",
                       "rustup toolchain install stable --profile minimal"}));
  auto pasted = home.run({"bash", "-c", as_script(lines)});
  ASSERT_EQ(pasted.exit_code, 0) << pasted.err;
  EXPECT_EQ(home.rustup({"run", "stable", "rustc", "--version"}).out,
            "rustc 1.95.0 (abcdef123 2026-04-14)\n");
  server.stop();
  // rustup did ask the tree for its own update, and got an answer.
  EXPECT_NE(server.access_log().find("GET /rustup/release-stable.toml 200"), std::string::npos)
      << server.access_log();
}

TEST(ServeLines, AnEmptyTreeGetsNoInstallLine) {
  TempDir dir;
  fs::create_directories(dir / "tree/dist");
  ServeProcess server(dir / "tree");
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string printed = server.more_stdout();
  EXPECT_EQ(pasted_lines(printed),
            std::vector<std::string>{"export RUSTUP_DIST_SERVER=" + server.url()});
  EXPECT_NE(printed.find("nothing to install"), std::string::npos) << printed;
}

} // namespace
} // namespace distbuild::testutil
