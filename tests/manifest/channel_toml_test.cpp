// to_toml: exact layout, escaping and quoting, and that every model (even a broken one) round-trips.
#include "manifest/channel.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

namespace distbuild::manifest {

namespace {

const std::string k_hash(64, 'a');

Channel tiny_channel() {
  Channel channel;
  channel.date = "2026-04-16";
  Package& rustc = channel.packages["rustc"];
  rustc.version = "1.95.0 (59807616e 2026-04-14)";
  TargetEntry& armv7 = rustc.targets["armv7-unknown-linux-gnueabihf"];
  armv7.available = true;
  armv7.xz = ArtifactRef{"https://mirror.example/rustc.tar.xz", k_hash};
  armv7.zst = ArtifactRef{"https://mirror.example/rustc.tar.zst", k_hash};
  Package& rust = channel.packages["rust"];
  rust.version = "1.95.0 (59807616e 2026-04-14)";
  rust.git_commit_hash = "59807616e";
  TargetEntry& host = rust.targets["armv7-unknown-linux-gnueabihf"];
  host.components = {ComponentRef{"rustc", "armv7-unknown-linux-gnueabihf"}};
  host.extensions = {ComponentRef{"rust-std", "thumbv8m.main-none-eabihf"}};
  channel.renames["clippy"] = "clippy-preview";
  channel.profiles["complete"] = {"rustc", "rust-src"};
  channel.profiles["minimal"] = {"rustc"};
  channel.artifacts["source-code"]["*"] = {ArtifactFile{"https://mirror.example/rustc-src.tar.xz", k_hash}};
  return channel;
}

} // namespace

TEST(ChannelToml, WritesUpstreamLayoutInFixedOrder) {
  EXPECT_EQ(to_toml(tiny_channel()),
            "manifest-version = \"2\"\n"
            "date = \"2026-04-16\"\n"
            "\n"
            "[pkg.rust]\n"
            "version = \"1.95.0 (59807616e 2026-04-14)\"\n"
            "git_commit_hash = \"59807616e\"\n"
            "\n"
            "[pkg.rust.target.armv7-unknown-linux-gnueabihf]\n"
            "available = false\n"
            "\n"
            "[[pkg.rust.target.armv7-unknown-linux-gnueabihf.components]]\n"
            "pkg = \"rustc\"\n"
            "target = \"armv7-unknown-linux-gnueabihf\"\n"
            "\n"
            "[[pkg.rust.target.armv7-unknown-linux-gnueabihf.extensions]]\n"
            "pkg = \"rust-std\"\n"
            "target = \"thumbv8m.main-none-eabihf\"\n"
            "\n"
            "[pkg.rustc]\n"
            "version = \"1.95.0 (59807616e 2026-04-14)\"\n"
            "\n"
            "[pkg.rustc.target.armv7-unknown-linux-gnueabihf]\n"
            "available = true\n"
            "xz_url = \"https://mirror.example/rustc.tar.xz\"\n"
            "xz_hash = \"" + k_hash + "\"\n"
            "zst_url = \"https://mirror.example/rustc.tar.zst\"\n"
            "zst_hash = \"" + k_hash + "\"\n"
            "\n"
            "[renames.clippy]\n"
            "to = \"clippy-preview\"\n"
            "\n"
            "[profiles]\n"
            "minimal = [\"rustc\"]\n"
            "complete = [\"rustc\", \"rust-src\"]\n"
            "\n"
            "[[artifacts.source-code.target.\"*\"]]\n"
            "url = \"https://mirror.example/rustc-src.tar.xz\"\n"
            "hash-sha256 = \"" + k_hash + "\"\n");
}

TEST(ChannelToml, RoundTripsAndParsesWithTomlpp) {
  Channel channel = tiny_channel();
  std::string text = to_toml(channel);
  EXPECT_EQ(parse_channel(text, "tiny"), channel);
  toml::table table = toml::parse(text);
  EXPECT_EQ(table["manifest-version"].value<std::string>(), "2");
  EXPECT_TRUE(table["pkg"]["rust"]["target"]["armv7-unknown-linux-gnueabihf"]["extensions"].is_array_of_tables());
}

TEST(ChannelToml, QuotesKeysWithDotsAndEscapesStrings) {
  Channel channel;
  channel.date = "2026-04-16";
  Package& std_package = channel.packages["rust-std"];
  std_package.version = "odd \"quoted\" \\ version\n\twith tab, é and \x01";
  std_package.targets["thumbv8m.main-none-eabihf"].available = false;
  std::string text = to_toml(channel);
  EXPECT_NE(text.find("[pkg.rust-std.target.\"thumbv8m.main-none-eabihf\"]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("version = \"odd \\\"quoted\\\" \\\\ version\\n\\twith tab, é and \\u0001\"\n"),
            std::string::npos)
      << text;
  toml::table table = toml::parse(text);
  EXPECT_EQ(table["pkg"]["rust-std"]["version"].value<std::string>(), std_package.version);
  // In a string value toml++ never looks at U+00E9 as whitespace, so the gate keeps it there
  // (manifest/toml_input.hpp) and the text round-trips.
  EXPECT_EQ(parse_channel(text, "odd"), channel);
}

TEST(ChannelToml, BrokenModelsStillRoundTrip) {
  Channel channel = tiny_channel();
  TargetEntry& armv7 = channel.packages.at("rustc").targets.at("armv7-unknown-linux-gnueabihf");
  armv7.gz = ArtifactRef{"https://mirror.example/rustc.tar.gz", ""};
  armv7.xz = ArtifactRef{"", k_hash};
  channel.packages["empty"] = Package{"", std::nullopt, {}};
  channel.profiles["custom"] = {};
  channel.artifacts["installer-msi"]["x86_64-pc-windows-msvc"] = {};
  channel.artifacts["nothing"] = {};
  std::string text = to_toml(channel);
  EXPECT_EQ(parse_channel(text, "broken"), channel) << text;
}

} // namespace distbuild::manifest
