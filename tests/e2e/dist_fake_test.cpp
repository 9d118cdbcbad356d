// dist on small staged images: tree layout, pins, checksums, publishing order outcomes, a
// second release into the same tree, bad input leaving the tree untouched, and the real rustup
// installing the result (fake components are shell scripts, so installs take a second).
#include "tests/e2e/dist_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";

ProcessResult dist(const fs::path& stage, const fs::path& out, const std::string& version,
                   const std::string& date, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "dist", "--stage", stage.string(), "--out",
                                out.string(), "--version", version, "--date", date,
                                "--profile", "fast"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_distbuild(args);
}

TEST(DistFake, WritesTheTreeLayoutWithPinsAndChecksums) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)",
                  {"armv7-unknown-linux-gnueabihf"});
  auto r = dist(dir / "stage", dir / "tree", "1.95.0", "2026-04-16");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["version"], "1.95.0");
  EXPECT_EQ(json["artifacts"].size(), 4u * 3u);  // rustc, cargo, 2x rust-std; gz xz zst

  fs::path dist_dir = dir / "tree/dist";
  for (std::string name : {"stable", "1.95.0", "1.95"}) {
    for (fs::path base : {dist_dir, dist_dir / "2026-04-16"}) {
      fs::path manifest = base / ("channel-rust-" + name + ".toml");
      ASSERT_TRUE(fs::exists(manifest)) << manifest;
      // <hex>  <name>\n, and the hex is the file's hash: what rustup checks.
      EXPECT_EQ(read_file(manifest.string() + ".sha256"),
                sha256_file(manifest) + "  " + manifest.filename().string() + "\n");
      EXPECT_EQ(read_file(base / ("channel-rust-" + name + "-date.txt")), "2026-04-16");
    }
    EXPECT_EQ(read_file(dist_dir / ("channel-rust-" + name + ".toml")),
              read_file(dist_dir / "2026-04-16" / ("channel-rust-" + name + ".toml")));
  }
  // Every tarball the manifest names exists in the dated dir with that hash.
  auto table = toml::parse(read_file(dist_dir / "channel-rust-stable.toml"));
  int checked = 0;
  for (auto&& [pkg_name, pkg] : *table["pkg"].as_table()) {
    for (auto&& [target, entry] : *pkg.as_table()->get("target")->as_table()) {
      for (std::string prefix : {"", "xz_", "zst_"}) {
        auto url = entry.as_table()->get_as<std::string>(prefix + "url");
        if (!url) continue;
        std::string u = url->get();
        const std::string base = "https://static.rust-lang.org/dist/";
        ASSERT_EQ(u.rfind(base, 0), 0u) << u;
        fs::path file = dist_dir / u.substr(base.size());
        ASSERT_TRUE(fs::exists(file)) << file;
        EXPECT_EQ(entry.as_table()->get_as<std::string>(prefix + "hash")->get(),
                  sha256_file(file));
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 12);
  // SHA256SUMS lists every tarball of the dated dir, and manifests.txt the dated manifests.
  std::string sums = read_file(dist_dir / "2026-04-16/SHA256SUMS");
  EXPECT_NE(sums.find("  rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz\n"), std::string::npos);
  EXPECT_EQ(read_file(dir / "tree/manifests.txt"),
            "static.rust-lang.org/dist/2026-04-16/channel-rust-stable.toml\n"
            "static.rust-lang.org/dist/2026-04-16/channel-rust-1.95.0.toml\n"
            "static.rust-lang.org/dist/2026-04-16/channel-rust-1.95.toml\n");
  // No staging or work leftovers.
  for (const auto& entry : fs::recursive_directory_iterator(dir / "tree")) {
    std::string name = entry.path().filename().string();
    EXPECT_FALSE(name.starts_with(".staging") || name.starts_with(".distbuild-work") ||
                 name.find(".tmp-") != std::string::npos)
        << entry.path();
  }
}

TEST(DistFake, SameInputGivesTheSameBytes) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  ASSERT_EQ(dist(dir / "stage", dir / "a", "1.95.0", "2026-04-16").exit_code, 0);
  ASSERT_EQ(dist(dir / "stage", dir / "b", "1.95.0", "2026-04-16", {"--threads", "1"}).exit_code,
            0);
  auto a = snapshot_tree(dir / "a/dist");
  auto b = snapshot_tree(dir / "b/dist");
  EXPECT_EQ(a, b);
}

TEST(DistFake, RustupInstallsEveryNameAndAnOlderReleaseKeepsTheNewer) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  TempDir dir;
  make_fake_stage(dir / "new", k_host, "1.95.0 (abcdef123 2026-04-14)");
  make_fake_stage(dir / "old", k_host, "1.94.0 (0123456ab 2026-03-01)");
  ASSERT_EQ(dist(dir / "new", dir / "tree", "1.95.0", "2026-04-16").exit_code, 0);
  auto r = dist(dir / "old", dir / "tree", "1.94.0", "2026-04-20");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The older release is published, but stable and 1.95 still point at 1.95.0.
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["top_level_updated"], nlohmann::json({"1.94.0", "1.94"}));

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  std::string server = "file://" + (dir / "tree").string();
  struct Case { std::string toolchain; std::string version; };
  for (const Case& c : {Case{"stable", "1.95.0"}, Case{"1.95.0", "1.95.0"}, Case{"1.95", "1.95.0"},
                        Case{"stable-2026-04-16", "1.95.0"}, Case{"1.94.0", "1.94.0"},
                        Case{"stable-2026-04-20", "1.94.0"}}) {
    auto install = home.rustup({"toolchain", "install", c.toolchain, "--profile", "minimal",
                                "--no-self-update"},
                               server);
    ASSERT_EQ(install.exit_code, 0) << c.toolchain << "\n" << install.err;
    auto version = home.rustup({"run", c.toolchain, "rustc", "--version"});
    EXPECT_EQ(version.out.substr(0, 12), "rustc " + c.version) << c.toolchain;
  }
}

TEST(DistFake, BadInputsAreReportedAndLeaveTheTreeUntouched) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  ASSERT_EQ(dist(dir / "stage", dir / "tree", "1.95.0", "2026-04-16").exit_code, 0);
  const auto before = snapshot_tree(dir / "tree");

  // Two sources giving the same package and target.
  make_fake_stage(dir / "dup", k_host, "1.95.0 (abcdef123 2026-04-14)");
  auto r = dist(dir / "stage", dir / "tree", "1.95.1", "2026-05-01",
                {"--stage", (dir / "dup").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rustc for x86_64-unknown-linux-gnu is also given by"), std::string::npos)
      << r.err;

  // Version texts that disagree within one release.
  make_fake_stage(dir / "mixed", k_host, "1.95.0 (abcdef123 2026-04-14)");
  write_file(dir / "mixed/rust-std" / (k_host + ".overlay") / "version",
             "1.96.0 (999999999 2026-05-01)\n");
  r = dist(dir / "mixed", dir / "tree", "1.95.1", "2026-05-01");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rust-std version '1.96.0 (999999999 2026-05-01)' disagrees with"),
            std::string::npos)
      << r.err;

  // A target directory that is not a triple.
  make_fake_stage(dir / "badtriple", k_host, "1.95.0 (abcdef123 2026-04-14)");
  fs::create_directories(dir / "badtriple/rust-std/not a triple");
  r = dist(dir / "badtriple", dir / "tree", "1.95.1", "2026-05-01");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("'not a triple' is not a target triple"), std::string::npos) << r.err;

  // A date that is not YYYY-MM-DD, and one that is not a real day.
  r = dist(dir / "stage", dir / "tree", "1.95.1", "2026-5-1");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("distbuild: error: --date: '2026-5-1' is not a YYYY-MM-DD date"),
            std::string::npos)
      << r.err;
  r = dist(dir / "stage", dir / "tree", "1.95.1", "2026-02-30");
  EXPECT_NE(r.exit_code, 0);

  // Another version for a date that already holds a release of the channel.
  make_fake_stage(dir / "next", k_host, "1.95.1 (abcdef124 2026-04-15)");
  r = dist(dir / "next", dir / "tree", "1.95.1", "2026-04-16");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("already holds stable 1.95.0"), std::string::npos) << r.err;

  // The dist/ directory given instead of the tree root.
  r = dist(dir / "stage", dir / "tree/dist", "1.95.1", "2026-05-01");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("looks like the dist/ directory of a tree"), std::string::npos) << r.err;

  // An installed toolchain whose manifest lists a missing file.
  fs::path fake_toolchain = dir / "toolchain";
  write_file(fake_toolchain / "bin/rustc", "#!/bin/sh\n", true);
  write_file(fake_toolchain / "lib/rustlib/components", "rustc-x86_64-unknown-linux-gnu\n");
  write_file(fake_toolchain / "lib/rustlib/manifest-rustc-x86_64-unknown-linux-gnu",
             "file:bin/rustc\nfile:bin/rustdoc\n");
  r = run_distbuild({"dist", "--toolchain", fake_toolchain.string(), "--out",
                     (dir / "tree").string(), "--version", "1.95.1", "--date", "2026-05-01"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("bin/rustdoc"), std::string::npos) << r.err;

  EXPECT_EQ(snapshot_tree(dir / "tree"), before);
}

TEST(DistFake, ForeignDirectoryIsRefused) {
  TempDir dir;
  make_fake_stage(dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  write_file(dir / "foreign/notes.txt", "mine\n");
  auto r = dist(dir / "stage", dir / "foreign", "1.95.0", "2026-04-16");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("is not empty and is not a distbuild tree"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot_tree(dir / "foreign").size(), 1u);
}

} // namespace
} // namespace distbuild::testutil
