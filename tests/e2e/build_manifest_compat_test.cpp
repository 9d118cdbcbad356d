// `distbuild build-manifest` run the way promote-release runs Rust's build-manifest (same
// arguments, BUILD_MANIFEST_* environment) on an input directory in upstream's full shape
// (build_manifest_fixture.hpp), for stable, beta and nightly. The golden manifests
// (tests/golden/build-manifest-<channel>.toml, hashes masked after checking each) were checked by
// hand against upstream's rules, one rule per gap of the fixture (its comments say which);
// besides the byte comparison, each one must pass manifest::validate and the real rustup must
// install from it.
#include "tests/e2e/build_manifest_fixture.hpp"
#include "tests/testutil/rustup_home.hpp"

#include "manifest/channel.hpp"
#include "manifest/validate.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

namespace distbuild::testutil {
namespace {

struct Run {
  TempDir dir;
  FixtureRelease release;
  ProcessResult result;
  fs::path input() const { return dir / "dl"; }
  fs::path output() const { return dir / "manifests"; }
  fs::path cache() const { return dir / "meta/checksum-cache.json"; }
  fs::path shipped() const { return dir / "meta/shipped-files.txt"; }
  std::string manifest(const std::string& name) const {
    return read_file(output() / ("channel-rust-" + name + ".toml"));
  }
};

// promote-release's call: build-manifest <input> <output> <date> <upload-addr> <channel>, with
// the two environment variables pointing into a fresh metadata dir.
std::unique_ptr<Run> run_build_manifest(const std::string& channel,
                                        std::map<std::string, std::string> env = {}) {
  auto run = std::make_unique<Run>();
  run->release = fixture_release(channel);
  make_fixture_release(run->input(), run->release);
  write_fixture_specs(run->dir / "specs.json");
  fs::create_directories(run->dir / "meta");
  env.emplace("BUILD_MANIFEST_CHECKSUM_CACHE", run->cache().string());
  env.emplace("BUILD_MANIFEST_SHIPPED_FILES_PATH", run->shipped().string());
  env.emplace("BUILD_MANIFEST_NUM_THREADS", "2");
  env.emplace("DISTBUILD_TARGET_SPECS", (run->dir / "specs.json").string());
  run->result = run_distbuild({"build-manifest", run->input().string(), run->output().string(),
                               k_fixture_date, k_fixture_upload, channel},
                              env);
  return run;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void expect_golden(const std::string& name, const std::string& actual) {
  fs::path path = source_dir() / "tests/golden" / name;
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    write_file(path, actual);
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << path << " is missing; run with UPDATE_GOLDEN=1";
  // The first differing line, not two 40 kB strings.
  auto want = lines_of(read_file(path));
  auto got = lines_of(actual);
  for (std::size_t i = 0; i < std::max(want.size(), got.size()); ++i) {
    std::string w = i < want.size() ? want[i] : "<end>";
    std::string g = i < got.size() ? got[i] : "<end>";
    if (w != g) {
      ADD_FAILURE() << path << ":" << i + 1 << ": expected\n  " << w << "\ngot\n  " << g
                    << "\n(UPDATE_GOLDEN=1 rewrites the file if the change is intended)";
      return;
    }
  }
}


class BuildManifestCompat : public ::testing::TestWithParam<std::string> {};

TEST_P(BuildManifestCompat, WritesUpstreamsManifestForThePromoteReleaseDirectory) {
  const std::string channel = GetParam();
  auto run = run_build_manifest(channel);
  ASSERT_EQ(run->result.exit_code, 0) << run->result.err;

  // The files upstream writes: the channel and its pins, each with -date and -git-commit-hash.
  std::vector<std::string> names{channel};
  if (channel == "stable") names = {"stable", "1.95.0", "1.95"};
  if (channel == "beta") names = {"beta", "1.96.0-beta.3", "1.96.0-beta", "1.96-beta"};
  std::set<std::string> expected_files;
  for (const auto& name : names) {
    for (std::string suffix : {".toml", "-date.txt", "-git-commit-hash.txt"}) {
      expected_files.insert("channel-rust-" + name + suffix);
    }
    EXPECT_EQ(run->manifest(name), run->manifest(channel));
    EXPECT_EQ(read_file(run->output() / ("channel-rust-" + name + "-date.txt")), k_fixture_date);
    EXPECT_EQ(read_file(run->output() / ("channel-rust-" + name + "-git-commit-hash.txt")),
              run->release.git_hash);
  }
  std::set<std::string> written;
  for (const auto& entry : fs::directory_iterator(run->output())) {
    written.insert(entry.path().filename().string());
  }
  EXPECT_EQ(written, expected_files);

  std::string text = run->manifest(channel);
  expect_golden("build-manifest-" + channel + ".toml", mask_checked_hashes(text, run->input()));
  auto parsed = manifest::parse_channel(text, "channel-rust-" + channel + ".toml");
  EXPECT_EQ(manifest::validate(parsed), std::vector<std::string>{});

  // Shipped files: every input file the manifest names, and the files written; nothing else.
  std::set<std::string> named;
  for (const auto& [pkg, package] : parsed.packages) {
    for (const auto& [triple, entry] : package.targets) {
      for (const auto* ref : {&entry.gz, &entry.xz, &entry.zst}) {
        if (*ref) named.insert((*ref)->url.substr((*ref)->url.rfind('/') + 1));
      }
    }
  }
  for (const auto& [name, targets] : parsed.artifacts) {
    for (const auto& [triple, files] : targets) {
      for (const auto& file : files) named.insert(file.url.substr(file.url.rfind('/') + 1));
    }
  }
  std::set<std::string> shipped = named;
  shipped.insert(expected_files.begin(), expected_files.end());
  std::string list = read_file(run->shipped());
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list.back(), '\n');
  auto lines = lines_of(list);
  EXPECT_EQ(lines, std::vector<std::string>(shipped.begin(), shipped.end()));
  for (const std::string noise : {"rust-dev-", "build-manifest-", ".zst", "toolstates",
                                  "rust-analyzer-"}) {
    EXPECT_EQ(list.find(noise), std::string::npos) << noise;
  }

  // The checksum cache: every named input file, by canonical path, with its SHA-256.
  auto cache = nlohmann::json::parse(read_file(run->cache()));
  EXPECT_EQ(cache.size(), named.size());
  for (const auto& name : named) {
    fs::path file = fs::canonical(run->input() / name);
    ASSERT_TRUE(cache.contains(file.string())) << file;
    EXPECT_EQ(cache[file.string()], sha256_file(file));
  }
}

INSTANTIATE_TEST_SUITE_P(Channels, BuildManifestCompat,
                         ::testing::Values("stable", "beta", "nightly"));

TEST(BuildManifestCompatCache, TrustsAGivenCacheAndWritesItBackWhole) {
  TempDir dir;
  auto release = fixture_release("stable");
  make_fixture_release(dir / "dl", release);
  write_fixture_specs(dir / "specs.json");
  // A cached hash is used as it is (upstream never rehashes a cached path), entries for files
  // this release does not name survive, and everything computed is added.
  fs::path rustc = fs::canonical(dir / "dl/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  const std::string cached(64, 'c');
  write_file(dir / "cache.json",
             nlohmann::json{{rustc.string(), cached}, {"/elsewhere/old.tar.xz", "0123"}}.dump());
  auto r = run_distbuild({"--json", "build-manifest", (dir / "dl").string(), (dir / "out").string(),
                          k_fixture_date, k_fixture_upload, "stable", "--checksum-cache",
                          (dir / "cache.json").string(), "--target-specs",
                          (dir / "specs.json").string(), "--threads", "2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto json = nlohmann::json::parse(r.out);
  EXPECT_EQ(json["hashes_reused"], 1);
  auto channel = manifest::parse_channel(read_file(dir / "out/channel-rust-stable.toml"), "out");
  EXPECT_EQ(channel.packages.at("rustc").targets.at("x86_64-unknown-linux-gnu").xz->hash, cached);
  auto cache = nlohmann::json::parse(read_file(dir / "cache.json"));
  EXPECT_EQ(cache[rustc.string()], cached);
  EXPECT_EQ(cache["/elsewhere/old.tar.xz"], "0123");
  fs::path cargo = fs::canonical(dir / "dl/cargo-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  EXPECT_EQ(cache[cargo.string()], sha256_file(cargo));
  EXPECT_EQ(cache.size(), json["hashed"].get<std::size_t>() + 2);
}

TEST(BuildManifestCompatErrors, RefusesWhatUpstreamCannotUseAndWritesNothing) {
  TempDir dir;
  auto release = fixture_release("stable");
  make_fixture_release(dir / "dl", release);
  auto bm = [&](const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"build-manifest", (dir / "dl").string(), (dir / "out").string(),
                                  k_fixture_date, k_fixture_upload, "stable"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_distbuild(args, {{"BUILD_MANIFEST_SHIPPED_FILES_PATH",
                                 (dir / "shipped.txt").string()},
                                {"BUILD_MANIFEST_CHECKSUM_CACHE", (dir / "cache.json").string()}});
  };
  // Without the combined x86_64 linux tarball upstream panics; we name the file it needs.
  for (std::string ext : {".tar.gz", ".tar.xz"}) {
    fs::rename(dir / ("dl/rust-1.95.0-x86_64-unknown-linux-gnu" + ext),
               dir / ("rust-1.95.0-x86_64-unknown-linux-gnu" + ext));
  }
  auto r = bm();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rust-<version>-x86_64-unknown-linux-gnu.tar.xz"), std::string::npos)
      << r.err;
  // A combined tarball that is not a tarball.
  write_file(dir / "dl/rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz", "not a tarball");
  r = bm();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz"), std::string::npos)
      << r.err;
  // A broken checksum cache, a bad date, specs that are not rustc's JSON.
  fs::rename(dir / "rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz",
             dir / "dl/rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  write_file(dir / "cache.json", "{not json");
  r = bm();
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("cache.json"), std::string::npos) << r.err;
  fs::remove(dir / "cache.json");
  write_file(dir / "specs.json", "[1, 2]");
  r = bm({"--target-specs", (dir / "specs.json").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("specs.json"), std::string::npos) << r.err;
  r = run_distbuild({"build-manifest", (dir / "dl").string(), (dir / "out").string(),
                     k_fixture_date, k_fixture_upload, "stable", "--shipped-files",
                     (dir / "no/such/dir/shipped.txt").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("no/such/dir"), std::string::npos) << r.err;
  r = run_distbuild({"build-manifest", (dir / "dl").string(), (dir / "out").string(),
                     "2026-13-40", k_fixture_upload, "stable"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_FALSE(fs::exists(dir / "shipped.txt"));
  EXPECT_FALSE(fs::exists(dir / "cache.json"));
  // With the tarball back, the same directory works (the failures were the inputs' fault).
  r = bm();
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The judge: rustup installs the default profile from each channel's manifest, adds a target
// and rust-src, and refuses the nightly-only miri everywhere but on nightly.
TEST(BuildManifestCompatRustup, InstallsFromEveryChannel) {
  DISTBUILD_REQUIRE(rustup_binary(), "rustup at ~/.cargo/bin/rustup");
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  for (const std::string channel : {"stable", "beta", "nightly"}) {
    SCOPED_TRACE(channel);
    auto run = run_build_manifest(channel);
    ASSERT_EQ(run->result.exit_code, 0) << run->result.err;
    // The server: dist/<date>/ holds the input files, dist/ the manifest and its .sha256.
    fs::path dist = run->dir / "server/dist";
    fs::create_directories(dist);
    fs::create_directory_symlink(run->input(), dist / k_fixture_date);
    std::string manifest = "channel-rust-" + channel + ".toml";
    fs::copy_file(run->output() / manifest, dist / manifest);
    write_file(dist / (manifest + ".sha256"),
               sha256_file(dist / manifest) + "  " + manifest + "\n");
    std::string server = "file://" + (run->dir / "server").string();

    auto install = home.rustup(
        {"toolchain", "install", channel, "--profile", "default", "--no-self-update"}, server);
    ASSERT_EQ(install.exit_code, 0) << install.err;
    auto version = home.rustup({"run", channel, "rustc", "--version"});
    EXPECT_EQ(version.out, "rustc " + run->release.rust_version + "\n");
    auto fmt = home.rustup({"run", channel, "rustfmt"});
    EXPECT_EQ(fmt.out, "rustfmt " + run->release.rustfmt_version + "\n");
    EXPECT_EQ(home.rustup({"target", "add", "--toolchain", channel, "wasm32-unknown-unknown"},
                          server).exit_code, 0);
    EXPECT_EQ(home.rustup({"component", "add", "--toolchain", channel, "rust-src"}, server)
                  .exit_code, 0);
    auto list = home.rustup({"component", "list", "--installed", "--toolchain", channel});
    for (std::string component : {"rust-std-wasm32-unknown-unknown", "rust-src", "clippy-",
                                  "rustfmt-", "rust-docs-"}) {
      EXPECT_NE(list.out.find(component), std::string::npos) << component << "\n" << list.out;
    }
    auto miri = home.rustup({"component", "add", "--toolchain", channel, "miri"}, server);
    EXPECT_EQ(miri.exit_code == 0, channel == "nightly") << miri.err;
  }
}

} // namespace
} // namespace distbuild::testutil
