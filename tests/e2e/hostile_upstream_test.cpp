// mirror and overlay against a hostile upstream (issue 18, items 1 and 3), served from a local
// tree so every byte is under the test's control: a manifest URL whose path is absolute after
// "/dist/" used to make both write the file, its .sha256 and .asc outside the tree and exit 0;
// an endless manifest and a huge .sha256 used to be read whole. All are refused now, naming the
// manifest and the value, and nothing is written outside the tree.
#include "tests/e2e/hostile_test_support.hpp"

#include "builder/tree/dist_tree.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {
namespace {

const std::string k_dist_url = "https://static.rust-lang.org/dist/";

// An upstream tree whose stable manifests send cargo's tarball to an absolute path below /dist/,
// with the file really there in the upstream tree (so a fetch would find it and its hash match).
struct HostileUpstream {
  TempDir dir;
  fs::path upstream;
  fs::path outside;  // where the tarball would land: absolute, outside every tree
  std::string url;

  HostileUpstream() {
    upstream = make_unsigned_tree(dir / "up");
    const std::string name = cargo_tarball("gz");
    outside = dir / "outside";
    fs::create_directories(outside);
    url = k_dist_url + outside.string() + "/" + name;  // ".../dist//<abs>/<name>"
    const fs::path served = upstream / ("dist/" + outside.string()) / name;
    fs::create_directories(served.parent_path());
    fs::copy_file(upstream / "dist" / k_hostile_date / name, served);
    edit_manifests(upstream, k_dist_url + k_hostile_date + "/" + name, url);
    reseal(upstream);
  }
};

void expect_nothing_outside(const HostileUpstream& up) {
  EXPECT_TRUE(fs::is_empty(up.outside)) << "files were written to " << up.outside;
}

TEST(HostileUpstream, MirrorRefusesAnAbsoluteUrlPathAndWritesNothingOutside) {
  HostileUpstream up;
  auto r = run_distbuild({"mirror", "--upstream", up.upstream.string(), "--channels", "stable",
                          "--out", (up.dir / "mirror").string()});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find((up.upstream / "dist/channel-rust-stable.toml").string() + ": URL " +
                       up.url + " is refused: its path '" + up.outside.string() + "/" +
                       cargo_tarball("gz") + "' is absolute: it would replace the tree's root"),
            std::string::npos)
      << r.err;
  expect_nothing_outside(up);
}

TEST(HostileUpstream, OverlayRefusesAnAbsoluteUrlPathAndWritesNothingOutside) {
  HostileUpstream up;
  const fs::path manifest = up.upstream / "dist" / k_hostile_date / "channel-rust-stable.toml";
  auto r = run_distbuild({"overlay", "--upstream", manifest.string(), "--out",
                          (up.dir / "overlay").string()});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("URL " + up.url + " is refused"), std::string::npos) << r.err;
  expect_nothing_outside(up);
}

// A manifest far larger than any real one (sparse, so it costs no disk) is refused before it is
// read, and the run stays small.
TEST(HostileUpstream, AnEndlessManifestIsRefusedWithoutBeingRead) {
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/time"), "/usr/bin/time (package time)");
  TempDir dir;
  fs::path upstream = make_unsigned_tree(dir / "up");
  const fs::path manifest = upstream / "dist/channel-rust-stable.toml";
  fs::resize_file(manifest, 256ull << 20);
  auto timed = run_timed_distbuild({"mirror", "--upstream", upstream.string(), "--channels",
                                    "stable", "--out", (dir / "mirror").string()});
  EXPECT_NE(timed.exit_code, 0);
  EXPECT_NE(timed.err.find(manifest.string() + ": is larger than 16 MiB, the limit for a channel "
                                               "manifest; refusing to read it"),
            std::string::npos)
      << timed.err;
  auto peak = peak_rss_kib(timed);
  ASSERT_TRUE(peak.has_value()) << timed.err;
  EXPECT_LT(*peak, 128u * 1024) << "mirror peaked at " << *peak / 1024 << " MiB";
}

// A .sha256 that starts with the right line and goes on for 64 MiB used to pass (only its first
// 64 characters were compared, after reading all of it).
TEST(HostileUpstream, AHugeSha256IsRefused) {
  TempDir dir;
  fs::path upstream = make_unsigned_tree(dir / "up");
  const fs::path sidecar = upstream / "dist/channel-rust-stable.toml.sha256";
  write_file(sidecar, read_file(sidecar) + std::string(64 << 20, ' '));
  auto r = run_distbuild({"mirror", "--upstream", upstream.string(), "--channels", "stable",
                          "--out", (dir / "mirror").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find(sidecar.string() + ": is larger than 4 KiB, the limit for a .sha256 file"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "mirror/dist/channel-rust-stable.toml"));
}

} // namespace
} // namespace distbuild::testutil
