// The index page's summary and HTML, from a real (small) dist tree: what the matrix says for
// each target and component, sizes and hashes from the tree, pins grouped with their channel,
// the archive, the key, escaping, and that the same tree always gives the same bytes. The page
// as a browser sees it is tested in tests/e2e/index_page_test.cpp.
#include "builder/web/index_page.hpp"

#include "builder/release/dist.hpp"
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

using testutil::read_file;
using testutil::sha256_file;
using testutil::TempDir;
using testutil::write_file;
namespace fs = std::filesystem;

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_armv7 = "armv7-unknown-linux-gnueabihf";

void make_tree(const fs::path& dir, const std::string& version, const std::string& date) {
  testutil::make_fake_stage(dir / ("stage-" + version), k_host,
                            version + " (abcdef123 2026-04-14)", {k_armv7});
  DistOptions options;
  options.inputs.stage_dirs = {dir / ("stage-" + version)};
  options.version = version;
  options.date = date;
  options.formats = {Format::Gz, Format::Zst};
  options.profile = Profile::Fast;
  options.out = dir / "tree";
  options.no_cache = true;  // never the user's ~/.cache/distbuild
  run_dist(options);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++n;
  }
  return n;
}

TEST(IndexPage, SummaryMatchesTheTree) {
  TempDir dir;
  make_tree(dir.path(), "1.95.0", "2026-04-16");
  TreeSummary summary = read_tree_summary(dir / "tree");
  ASSERT_EQ(summary.top_level.size(), 1u);
  const IndexRelease& release = summary.top_level.front();
  EXPECT_EQ(release.names, (std::vector<std::string>{"stable", "1.95.0", "1.95"}));
  EXPECT_EQ(release.location, "dist");
  EXPECT_EQ(release.date, "2026-04-16");
  EXPECT_EQ(release.rust_version, "1.95.0 (abcdef123 2026-04-14)");
  EXPECT_EQ(release.manifest_sha256, sha256_file(dir / "tree/dist/channel-rust-stable.toml"));
  EXPECT_EQ(release.hosts, (std::vector<std::string>{k_host}));
  EXPECT_EQ(release.targets, (std::vector<std::string>{k_host, k_armv7}));
  EXPECT_EQ(release.packages, (std::vector<std::string>{"rustc", "cargo", "rust-std"}));
  EXPECT_TRUE(release.cells.at({k_host, "rustc"}).available);
  EXPECT_FALSE(release.cells.at({k_armv7, "rustc"}).available);
  EXPECT_FALSE(release.cells.at({k_armv7, "cargo"}).available);
  const IndexCell& std_cell = release.cells.at({k_armv7, "rust-std"});
  EXPECT_TRUE(std_cell.available);
  ASSERT_EQ(std_cell.files.size(), 2u);
  for (const auto& file : std_cell.files) {
    fs::path on_disk = dir / "tree/dist/2026-04-16" / file.name;
    ASSERT_TRUE(file.size) << file.name;
    EXPECT_EQ(*file.size, fs::file_size(on_disk));
    EXPECT_EQ(file.sha256, sha256_file(on_disk));
  }
  ASSERT_EQ(summary.dated.size(), 1u);
  EXPECT_EQ(summary.dated.front().location, "dist/2026-04-16");
  EXPECT_TRUE(summary.fingerprint.empty());
  EXPECT_FALSE(summary.rustup);
}

TEST(IndexPage, MatrixCellsCarryMachineCheckableAttributes) {
  TempDir dir;
  make_tree(dir.path(), "1.95.0", "2026-04-16");
  write_index_page(dir / "tree");
  const std::string html = read_file(dir / "tree/index.html");
  EXPECT_EQ(read_file(dir / "tree/index.html.sha256"),
            sha256_file(dir / "tree/index.html") + "  index.html\n");
  EXPECT_NE(html.find("<td data-host=\"" + k_armv7 +
                      "\" data-component=\"rustc\" data-available=\"false\""),
            std::string::npos);
  EXPECT_NE(html.find("<td data-host=\"" + k_armv7 +
                      "\" data-component=\"rust-std\" data-available=\"true\""),
            std::string::npos);
  EXPECT_NE(html.find("<td data-host=\"" + k_host +
                      "\" data-component=\"cargo\" data-available=\"true\""),
            std::string::npos);
  EXPECT_EQ(count(html, "<td data-host="), 6u);  // 2 targets x 3 components, one table
  EXPECT_NE(html.find("data-names=\"stable 1.95.0 1.95\""), std::string::npos);
  // Phone-ready, self-contained.
  EXPECT_NE(html.find("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"),
            std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  EXPECT_EQ(html.find("href=\"http"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // Copy-paste setup, pinned to the exact release, with the cross target.
  EXPECT_NE(html.find("export RUSTUP_DIST_SERVER="), std::string::npos);
  EXPECT_NE(html.find("channel = \"1.95.0\""), std::string::npos);
  EXPECT_NE(html.find("targets = [\"" + k_armv7 + "\"]"), std::string::npos);
  // Every tarball's hash is listed.
  for (const auto& entry : fs::directory_iterator(dir / "tree/dist/2026-04-16")) {
    std::string name = entry.path().filename().string();
    if (name.ends_with(".tar.gz") || name.ends_with(".tar.zst")) {
      EXPECT_NE(html.find(sha256_file(entry.path())), std::string::npos) << name;
    }
  }
  // Same tree, same bytes.
  write_index_page(dir / "tree");
  EXPECT_EQ(read_file(dir / "tree/index.html"), html);
}

TEST(IndexPage, OlderReleaseAppearsAsItsOwnPinAndInTheArchive) {
  TempDir dir;
  make_tree(dir.path(), "1.95.0", "2026-04-16");
  make_tree(dir.path(), "1.94.0", "2026-04-20");
  TreeSummary summary = read_tree_summary(dir / "tree");
  ASSERT_EQ(summary.top_level.size(), 2u);
  EXPECT_EQ(summary.top_level[0].names, (std::vector<std::string>{"stable", "1.95.0", "1.95"}));
  EXPECT_EQ(summary.top_level[1].names, (std::vector<std::string>{"1.94.0", "1.94"}));
  ASSERT_EQ(summary.dated.size(), 2u);
  EXPECT_EQ(summary.dated[0].location, "dist/2026-04-20");  // newest first
  const std::string html = render_index_page(summary);
  EXPECT_NE(html.find("<code>stable-2026-04-20</code>"), std::string::npos);
  EXPECT_NE(html.find("<code>stable-2026-04-16</code>"), std::string::npos);
}

TEST(IndexPage, KeyFingerprintAndBrokenManifestsAndEscaping) {
  TempDir dir;
  make_tree(dir.path(), "1.95.0", "2026-04-16");
  write_file(dir / "tree/release-key.fingerprint", "108F66205EAEB0AAA8DD5E1C85AB96E6FA1BE5FE\n");
  write_file(dir / "tree/release-key.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
  write_file(dir / "tree/dist/channel-rust-beta.toml", "this is <not> toml [");
  TreeSummary summary = read_tree_summary(dir / "tree");
  EXPECT_EQ(summary.fingerprint, "108F66205EAEB0AAA8DD5E1C85AB96E6FA1BE5FE");
  const std::string html = render_index_page(summary);
  EXPECT_NE(html.find("108F 6620 5EAE B0AA A8DD  5E1C 85AB 96E6 FA1B E5FE"), std::string::npos);
  EXPECT_NE(html.find("data-fingerprint=\"108F66205EAEB0AAA8DD5E1C85AB96E6FA1BE5FE\""),
            std::string::npos);
  // The broken manifest is reported, not fatal, and nothing it says reaches the page raw.
  EXPECT_NE(html.find("data-names=\"beta\""), std::string::npos);
  EXPECT_EQ(html.find("<not>"), std::string::npos);

  TreeSummary crafted;
  IndexRelease release;
  release.names = {"stable"};
  release.rust_version = "<script>alert(1)</script>";
  crafted.top_level.push_back(release);
  const std::string escaped = render_index_page(crafted);
  EXPECT_EQ(escaped.find("<script>alert"), std::string::npos);
  EXPECT_NE(escaped.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
}

TEST(IndexPage, EmptyTreeStillRenders) {
  TempDir dir;
  fs::create_directories(dir / "tree");
  write_index_page(dir / "tree");
  const std::string html = read_file(dir / "tree/index.html");
  EXPECT_NE(html.find("No channel manifests in <code>dist/</code> yet."), std::string::npos);
  EXPECT_TRUE(html.ends_with("</html>\n"));
}

TEST(IndexPage, TufSectionOnlyWhenTheTreeHasTufMetadata) {
  TempDir dir;
  fs::create_directories(dir / "tree/tuf");
  write_index_page(dir / "tree");
  EXPECT_EQ(read_file(dir / "tree/index.html").find("id=\"tuf\""), std::string::npos);
  write_file(dir / "tree/tuf/1.root.json", "{}");
  write_file(dir / "tree/tuf/timestamp.json", "{}");
  EXPECT_TRUE(read_top_level_summary(dir / "tree").has_tuf);
  write_index_page(dir / "tree");
  const std::string html = read_file(dir / "tree/index.html");
  EXPECT_NE(html.find("id=\"tuf\""), std::string::npos);
  EXPECT_NE(html.find("metadata base URL: <span class=\"origin\">"), std::string::npos);
}

} // namespace
} // namespace distbuild::builder
