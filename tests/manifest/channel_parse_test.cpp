// parse_channel: rustup's stored manifests, and error messages naming file, line and TOML path.
#include "manifest/channel.hpp"

#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::manifest {

namespace {

std::string parse_error(const std::string& text) {
  try {
    parse_channel(text, "m.toml");
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

} // namespace

TEST(ChannelParse, ReadsRustupsReserialisation) {
  // The shape rustup stores in lib/rustlib/multirust-channel-manifest.toml.
  Channel channel = parse_channel(R"toml(manifest-version = "2"
date = "2026-04-16"

[pkg.rust]
version = "1.95.0 (59807616e 2026-04-14)"

[pkg.rust.target.aarch64-apple-darwin]
available = false
components = []
extensions = []

[pkg.rust.target.x86_64-unknown-linux-gnu]
available = true
xz_url = "https://static.rust-lang.org/dist/2026-04-16/rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz"
xz_hash = "2e0338f18ecbaa4a0f631b9e80e8b8e26bb6fe77dd5454fba8a70cf96c1e84a1"

[[pkg.rust.target.x86_64-unknown-linux-gnu.components]]
pkg = "rustc"
target = "x86_64-unknown-linux-gnu"
is_extension = false

[[pkg.rust.target.x86_64-unknown-linux-gnu.extensions]]
pkg = "rust-src"
target = "*"
is_extension = true

[renames.clippy]
to = "clippy-preview"

[profiles]
minimal = ["rustc", "cargo", "rust-std", "rust-mingw"]
)toml",
                                  "stored.toml");
  EXPECT_EQ(channel.date, "2026-04-16");
  const Package& rust = channel.packages.at("rust");
  EXPECT_FALSE(rust.git_commit_hash);
  EXPECT_FALSE(rust.targets.at("aarch64-apple-darwin").available);
  const TargetEntry& host = rust.targets.at("x86_64-unknown-linux-gnu");
  EXPECT_TRUE(host.available);
  EXPECT_FALSE(host.gz);
  EXPECT_EQ(host.xz->hash, "2e0338f18ecbaa4a0f631b9e80e8b8e26bb6fe77dd5454fba8a70cf96c1e84a1");
  EXPECT_EQ(host.components, (std::vector<ComponentRef>{{"rustc", "x86_64-unknown-linux-gnu"}}));
  EXPECT_EQ(host.extensions, (std::vector<ComponentRef>{{"rust-src", "*"}}));
  EXPECT_EQ(channel.renames.at("clippy"), "clippy-preview");
  EXPECT_EQ(channel.profiles.at("minimal").size(), 4u);
}

TEST(ChannelParse, IntegerManifestVersionIsRejected) {
  EXPECT_EQ(parse_error("manifest-version = 2\ndate = \"2026-04-16\"\n"),
            "m.toml:1: manifest-version: must be the string \"2\"");
}

TEST(ChannelParse, MissingAvailableNamesTableAndLine) {
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = \"2026-04-16\"\n\n[pkg.rustc]\nversion = \"1\"\n\n"
                        "[pkg.rustc.target.\"thumbv8m.main-none-eabihf\"]\nurl = \"https://x\"\n"),
            "m.toml:7: pkg.rustc.target.\"thumbv8m.main-none-eabihf\": missing key 'available'");
}

TEST(ChannelParse, WrongTypesAreNamed) {
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = 20260416\n"), "m.toml:2: date: expected a string");
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = \"d\"\n[pkg.rustc]\nversion = \"1\"\n"
                        "[pkg.rustc.target.x]\navailable = \"yes\"\n"),
            "m.toml:6: pkg.rustc.target.x.available: expected a boolean");
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = \"d\"\n[pkg.rustc]\nversion = \"1\"\n"),
            "m.toml:3: pkg.rustc: missing key 'target'");
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = \"d\"\n[profiles]\nminimal = [\"rustc\", 3]\n"),
            "m.toml:4: profiles.minimal[1]: expected a string");
}

TEST(ChannelParse, SyntaxErrorsCarryLineAndColumn) {
  EXPECT_EQ(parse_error("manifest-version = \"2\"\ndate = [\n"),
            "m.toml:2:10: Error while parsing array: encountered end-of-file");
}

// The real manifests rustup stored for the installed toolchains parse, and our writer
// reproduces them as an equal model.
TEST(ChannelParse, InstalledManifestsRoundTrip) {
  for (const std::string channel : {"stable", "nightly"}) {
    auto toolchain = testutil::installed_toolchain(channel);
    DISTBUILD_REQUIRE(toolchain, channel + " toolchain installed by rustup");
    auto path = *toolchain / "lib/rustlib/multirust-channel-manifest.toml";
    Channel parsed = parse_channel(testutil::read_file(path), path.string());
    EXPECT_GT(parsed.packages.size(), 15u);
    EXPECT_GT(parsed.packages.at("rust").targets.size(), 20u);
    EXPECT_EQ(parsed.renames.at("clippy"), "clippy-preview");
    EXPECT_EQ(parse_channel(to_toml(parsed), "rewritten"), parsed);
  }
}

} // namespace distbuild::manifest
