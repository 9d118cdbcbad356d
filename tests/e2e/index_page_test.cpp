// index.html as a browser sees it: headless Chromium loads the page of a real tree (one host,
// plus rust-std only for armv7), and the DOM it built must show every target x component with
// the right availability; the inline script has run (the setup lines show the page's own
// location). A phone-sized screenshot is kept as a test artifact for people to look at:
// $DISTBUILD_TEST_ARTIFACTS/index.png, default <build dir>/test-artifacts/index.png.
#include "builder/web/index_page.hpp"
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>
#include <tuple>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_armv7 = "armv7-unknown-linux-gnueabihf";

fs::path artifacts_dir() {
  if (const char* dir = std::getenv("DISTBUILD_TEST_ARTIFACTS"); dir != nullptr && *dir) {
    return dir;
  }
  // <build>/builder/distbuild -> <build>/test-artifacts
  return fs::path(distbuild_binary()).parent_path().parent_path() / "test-artifacts";
}

ProcessResult chromium(const fs::path& profile, std::vector<std::string> args) {
  std::vector<std::string> argv{"timeout", "120", "/usr/bin/chromium", "--headless",
                                "--no-sandbox", "--disable-gpu", "--disable-quic",
                                "--no-first-run", "--disable-background-networking",
                                "--disable-component-update", "--disable-sync",
                                "--hide-scrollbars", "--user-data-dir=" + profile.string()};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, {{"HOME", profile.string()}});
}

fs::path make_tree_with_page(const TempDir& dir) {
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)", {k_armv7});
  auto r = run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out",
                          (dir / "tree").string(), "--version", "1.95.0", "--date",
                          "2026-04-16", "--profile", "fast", "--formats", "gz,zst"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  write_file(dir / "tree/release-key.fingerprint", "108F66205EAEB0AAA8DD5E1C85AB96E6FA1BE5FE\n");
  builder::write_index_page(dir / "tree");
  return dir / "tree/index.html";
}

TEST(IndexPageBrowser, ChromiumShowsEveryTargetAndComponentWithItsAvailability) {
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/chromium"), "chromium (Debian package)");
  TempDir dir;
  fs::path page = make_tree_with_page(dir);
  auto dom = chromium(dir / "profile", {"--dump-dom", "file://" + page.string()});
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  ASSERT_NE(dom.out.find("</html>"), std::string::npos) << dom.out.substr(0, 500);

  // Every matrix cell, as the browser's DOM has it (attribute order as serialised).
  std::regex cell_re(
      R"re(<td data-host="([^"]+)" data-component="([^"]+)" data-available="(true|false)")re");
  std::set<std::tuple<std::string, std::string, std::string>> cells;
  for (std::sregex_iterator it(dom.out.begin(), dom.out.end(), cell_re), end; it != end; ++it) {
    cells.insert({(*it)[1], (*it)[2], (*it)[3]});
  }
  std::set<std::tuple<std::string, std::string, std::string>> expected{
      {k_host, "rustc", "true"},   {k_host, "cargo", "true"},   {k_host, "rust-std", "true"},
      {k_armv7, "rustc", "false"}, {k_armv7, "cargo", "false"}, {k_armv7, "rust-std", "true"}};
  EXPECT_EQ(cells, expected);

  // The script ran: the placeholder became the page's own location.
  const std::string here = "file://" + (dir / "tree").string();
  EXPECT_NE(dom.out.find("export RUSTUP_DIST_SERVER=<span class=\"origin\">" + here + "</span>"),
            std::string::npos);
  EXPECT_EQ(dom.out.find("mirror.example.org"), std::string::npos);
  EXPECT_NE(dom.out.find("108F 6620 5EAE B0AA A8DD  5E1C 85AB 96E6 FA1B E5FE"),
            std::string::npos);
}

TEST(IndexPageBrowser, PhoneSizedScreenshotIsSavedAsAnArtifact) {
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/chromium"), "chromium (Debian package)");
  TempDir dir;
  fs::path page = make_tree_with_page(dir);
  fs::create_directories(artifacts_dir());
  const fs::path png = artifacts_dir() / "index.png";
  fs::remove(png);
  auto shot = chromium(dir / "profile", {"--screenshot=" + png.string(), "--window-size=412,900",
                                         "file://" + page.string()});
  ASSERT_EQ(shot.exit_code, 0) << shot.err;
  ASSERT_TRUE(fs::exists(png)) << shot.err;
  // A PNG whose IHDR says 412 x 900 (big-endian width and height at bytes 16..23).
  std::string bytes = read_file(png);
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  auto be32 = [&](std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(bytes[at])) << 24) |
           (static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
           (static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
           static_cast<unsigned>(static_cast<unsigned char>(bytes[at + 3]));
  };
  EXPECT_EQ(be32(16), 412u);
  EXPECT_EQ(be32(20), 900u);
}

} // namespace
} // namespace distbuild::testutil
