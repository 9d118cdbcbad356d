// validate: one test per rule, each message word for word; real upstream manifests pass.
#include "manifest/validate.hpp"

#include "manifest/compose.hpp"
#include "tests/manifest/example_input.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::manifest {

namespace {

using namespace example;

const std::string k_host_path = "pkg.rust.target.x86_64-unknown-linux-gnu";

class Validate : public ::testing::Test {
protected:
  Channel m_channel = compose_channel(one_host_input());
  TargetEntry& entry(const std::string& pkg, const std::string& target) {
    return m_channel.packages.at(pkg).targets.at(target);
  }
};

} // namespace

TEST_F(Validate, ComposedChannelIsValid) {
  EXPECT_EQ(validate(m_channel), std::vector<std::string>{});
}

TEST_F(Validate, ComponentNamingAMissingPackage) {
  m_channel.packages.erase("cargo");
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{k_host_path + ": component cargo for x86_64-unknown-linux-gnu: there is no [pkg.cargo]"}));
}

TEST_F(Validate, ExtensionNamingAMissingTarget) {
  m_channel.packages.at("rust-std").targets.erase(k_thumb);
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{k_host_path + ": extension rust-std for thumbv8m.main-none-eabihf: there is no "
                                        "[pkg.rust-std.target.\"thumbv8m.main-none-eabihf\"]"}));
}

TEST_F(Validate, WildcardPackageSatisfiesAnyTarget) {
  entry("rust", k_x86_64).extensions.push_back(ComponentRef{"rust-src", k_x86_64});
  EXPECT_EQ(validate(m_channel), std::vector<std::string>{});
}

TEST_F(Validate, RenameToAMissingPackage) {
  m_channel.renames["rust-analyzer"] = "rust-analyzer-preview";
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"renames.rust-analyzer: renamed to rust-analyzer-preview, but there is no "
                          "[pkg.rust-analyzer-preview]"}));
}

TEST_F(Validate, UnknownProfileKey) {
  m_channel.profiles["custom"] = {"rustc"};
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"profiles.custom: rustup accepts only the profiles minimal, default and complete"}));
}

TEST_F(Validate, AvailableWithoutAnyPair) {
  TargetEntry& cargo = entry("cargo", k_x86_64);
  cargo.xz.reset();
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.cargo.target.x86_64-unknown-linux-gnu: available = true without any url/hash pair",
                          k_host_path + ": default-profile component cargo is listed but "
                                        "[pkg.cargo.target.x86_64-unknown-linux-gnu] is not available, so a "
                                        "plain rustup toolchain install fails"}));
}

TEST_F(Validate, UrlWithoutHashAndHashWithoutUrl) {
  entry("rustc", k_x86_64).gz = ArtifactRef{"https://example.org/rustc.tar.gz", ""};
  entry("rustc", k_x86_64).zst = ArtifactRef{"", std::string(64, 'a')};
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.rustc.target.x86_64-unknown-linux-gnu: url without hash",
                          "pkg.rustc.target.x86_64-unknown-linux-gnu: zst_hash without zst_url"}));
}

TEST_F(Validate, UppercaseOrShortHash) {
  std::string upper(64, 'A');
  entry("rustc", k_x86_64).xz->hash = upper;
  entry("cargo", k_x86_64).xz->hash = "abc123";
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.cargo.target.x86_64-unknown-linux-gnu: xz_hash \"abc123\" is not 64 lowercase hex digits",
                          "pkg.rustc.target.x86_64-unknown-linux-gnu: xz_hash \"" + upper +
                              "\" is not 64 lowercase hex digits"}));
}

TEST_F(Validate, RelativeUrl) {
  entry("rust-src", "*").xz->url = "rust-src-1.95.0.tar.xz";
  entry("rustc", k_x86_64).xz->url = "/dist/rustc.tar.xz";
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.rust-src.target.\"*\": xz_url \"rust-src-1.95.0.tar.xz\" is not an absolute URL",
                          "pkg.rustc.target.x86_64-unknown-linux-gnu: xz_url \"/dist/rustc.tar.xz\" is not an "
                          "absolute URL"}));
}

TEST_F(Validate, FileUrlsAreAbsolute) {
  entry("rustc", k_x86_64).xz->url = "file:///srv/dist/rustc.tar.xz";
  EXPECT_EQ(validate(m_channel), std::vector<std::string>{});
}

TEST_F(Validate, ListedDefaultProfileComponentThatIsUnavailable) {
  entry("clippy-preview", k_x86_64).available = false;
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{k_host_path + ": default-profile component clippy-preview is listed but "
                                        "[pkg.clippy-preview.target.x86_64-unknown-linux-gnu] is not available, "
                                        "so a plain rustup toolchain install fails"}));
}

TEST_F(Validate, UnlistedUnavailableDefaultProfileComponentIsFine) {
  entry("clippy-preview", k_x86_64).available = false;
  auto& extensions = entry("rust", k_x86_64).extensions;
  std::erase(extensions, ComponentRef{"clippy-preview", k_x86_64});
  EXPECT_EQ(validate(m_channel), std::vector<std::string>{});
}

TEST_F(Validate, MissingRustPackage) {
  m_channel.packages.erase("rust");
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.rust: missing; rustup installs nothing without it (package not found: 'rust')"}));
}

TEST_F(Validate, RustSrcWithARealTarget) {
  m_channel.packages.at("rust-src").targets[k_x86_64] = entry("rust-src", "*");
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.rust-src: target \"*\" must be the only target",
                          "pkg.rust-src: has target x86_64-unknown-linux-gnu; rust-src must have the single "
                          "target \"*\""}));
}

TEST_F(Validate, HostWithoutRustTarget) {
  m_channel.packages.at("rust").targets.erase(k_x86_64);
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"pkg.rust: has no targets",
                                      "pkg.rust: no target x86_64-unknown-linux-gnu, although rustc is available for it"}));
}

TEST_F(Validate, AvailableStdNotListed) {
  std::erase(entry("rust", k_x86_64).extensions, ComponentRef{"rust-std", k_thumb});
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{k_host_path + ": rust-std for thumbv8m.main-none-eabihf is available but not listed, "
                                        "so rustup target add thumbv8m.main-none-eabihf refuses it"}));
}

TEST_F(Validate, BadDateAndArtifacts) {
  m_channel.date = "2026-4-16";
  m_channel.artifacts["source-code"]["*"] = {ArtifactFile{"rustc-src.tar.xz", "XYZ"}};
  EXPECT_EQ(validate(m_channel),
              (std::vector<std::string>{"date: \"2026-4-16\" is not YYYY-MM-DD",
                          "artifacts.source-code.target.\"*\"[0]: url \"rustc-src.tar.xz\" is not an absolute URL",
                          "artifacts.source-code.target.\"*\"[0]: hash-sha256 \"XYZ\" is not 64 lowercase hex "
                          "digits"}));
}

TEST_F(Validate, PackageWithoutTargets) {
  m_channel.packages["rust-mingw"] = Package{"1.95.0", std::nullopt, {}};
  EXPECT_EQ(validate(m_channel), (std::vector<std::string>{"pkg.rust-mingw: has no targets"}));
}

// Both real manifests rustup stored for the installed toolchains pass every rule.
TEST(ValidateUpstream, InstalledManifestsAreValid) {
  for (const std::string channel : {"stable", "nightly"}) {
    auto toolchain = testutil::installed_toolchain(channel);
    DISTBUILD_REQUIRE(toolchain, channel + " toolchain installed by rustup");
    auto path = *toolchain / "lib/rustlib/multirust-channel-manifest.toml";
    Channel parsed = parse_channel(testutil::read_file(path), path.string());
    EXPECT_EQ(validate(parsed), std::vector<std::string>{}) << path;
  }
}

} // namespace distbuild::manifest
