// compose_channel: golden output, the `rust` host lists, input conflicts, and agreement with the
// manifest upstream published for the installed stable toolchain.
#include "manifest/compose.hpp"

#include "manifest/validate.hpp"
#include "tests/manifest/example_input.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <fstream>
#include <set>

namespace distbuild::manifest {

namespace {

using namespace example;

std::vector<ComponentRef> refs(std::initializer_list<std::pair<const char*, const char*>> pairs) {
  std::vector<ComponentRef> out;
  for (const auto& [pkg, target] : pairs) {
    out.push_back(ComponentRef{pkg, target});
  }
  return out;
}

// Byte-for-byte comparison with tests/golden/<name>; UPDATE_GOLDEN=1 rewrites the file.
void expect_golden(const std::string& name, const std::string& actual) {
  auto path = testutil::source_dir() / "tests/golden" / name;
  const char* update = std::getenv("UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    testutil::write_file(path, actual);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; run with UPDATE_GOLDEN=1";
  EXPECT_EQ(testutil::read_file(path), actual) << "differs from " << path << "; run with UPDATE_GOLDEN=1 if intended";
}

std::set<std::string> keys(const toml::table& table) {
  std::set<std::string> out;
  for (auto&& [key, value] : table) {
    out.emplace(key.str());
  }
  return out;
}

} // namespace

TEST(Compose, TwoHostsMatchGoldenAndValidate) {
  Channel channel = compose_channel(two_host_input());
  EXPECT_EQ(validate(channel), std::vector<std::string>{});
  std::string text = to_toml(channel);
  expect_golden("manifest-two-hosts.toml", text);
  EXPECT_EQ(parse_channel(text, "golden"), channel);
  EXPECT_NO_THROW(toml::parse(text));
}

TEST(Compose, RustListsOnlyAvailablePairsPerHost) {
  Channel channel = compose_channel(two_host_input());
  const Package& rust = channel.packages.at("rust");
  EXPECT_EQ(rust.version, k_rust_version);
  EXPECT_EQ(rust.git_commit_hash, "59807616e1234567890abcdef1234567890abcde");
  ASSERT_EQ(rust.targets.size(), 2u);

  const TargetEntry& x86 = rust.targets.at(k_x86_64);
  EXPECT_TRUE(x86.available);
  ASSERT_TRUE(x86.xz);
  EXPECT_EQ(x86.xz->url, "https://example.org/dist/2026-04-16/rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  EXPECT_EQ(x86.components,
            refs({{"rustc", k_x86_64}, {"rust-std", k_x86_64}, {"cargo", k_x86_64}, {"rust-docs", k_x86_64}}));
  EXPECT_EQ(x86.extensions, refs({{"rust-std", k_armv7},
                                  {"rust-std", k_thumb},
                                  {"rust-src", "*"},
                                  {"clippy-preview", k_x86_64},
                                  {"rustfmt-preview", k_x86_64}}));

  // No combined tarball, no docs, and clippy unavailable: the host is still installable with
  // the default profile because nothing unavailable is listed.
  const TargetEntry& armv7 = rust.targets.at(k_armv7);
  EXPECT_FALSE(armv7.available);
  EXPECT_FALSE(armv7.gz || armv7.xz || armv7.zst);
  EXPECT_EQ(armv7.components, refs({{"rustc", k_armv7}, {"rust-std", k_armv7}, {"cargo", k_armv7}}));
  EXPECT_EQ(armv7.extensions, refs({{"rust-std", k_thumb}, {"rust-std", k_x86_64}, {"rust-src", "*"}}));

  EXPECT_FALSE(channel.packages.at("clippy-preview").targets.at(k_armv7).available);
  EXPECT_EQ(channel.packages.at("rust-std").targets.at(k_armv7).zst->url,
            "https://example.org/dist/2026-04-16/rust-std-1.95.0-armv7-unknown-linux-gnueabihf.tar.zst");
  EXPECT_EQ(channel.packages.at("rustc").git_commit_hash, "59807616e1234567890abcdef1234567890abcde");
  EXPECT_FALSE(channel.packages.at("cargo").git_commit_hash);
  EXPECT_EQ(channel.renames, (std::map<std::string, std::string>{{"clippy", "clippy-preview"},
                                                                 {"rustfmt", "rustfmt-preview"}}));
}

TEST(Compose, ProfilesAreUpstreams) {
  auto stable = upstream_profiles("stable");
  EXPECT_EQ(stable.at("minimal"), (std::vector<std::string>{"rustc", "cargo", "rust-std", "rust-mingw"}));
  EXPECT_EQ(stable.at("default"), (std::vector<std::string>{"rustc", "cargo", "rust-std", "rust-mingw", "rust-docs",
                                                "rustfmt-preview", "clippy-preview"}));
  EXPECT_EQ(stable.at("complete").size(), 13u);
  EXPECT_EQ(stable.at("complete").back(), "rustc-codegen-cranelift-preview");
  EXPECT_EQ(upstream_profiles("nightly").at("complete").back(), "rustc-dev");
  EXPECT_EQ(upstream_profiles("beta"), stable);
}

TEST(Compose, Armv7OnlyChannelComposesAndValidates) {
  ComposeInput input;
  input.date = "2026-04-16";
  input.channel = "stable";
  input.rust_version = k_rust_version;
  input.components = {
      built("rustc", k_armv7, k_rust_version, {"xz"}),
      built("cargo", k_armv7, "0.96.0 (f2d3ce0bd 2026-03-21)", {"xz"}),
      built("rust-std", k_armv7, k_rust_version, {"xz"}),
      built("rust-src", "", k_rust_version, {"xz"}),
  };
  Channel channel = compose_channel(input);
  EXPECT_EQ(validate(channel), std::vector<std::string>{});
  const Package& rust = channel.packages.at("rust");
  ASSERT_EQ(rust.targets.size(), 1u);
  EXPECT_EQ(rust.targets.begin()->first, k_armv7);
  EXPECT_EQ(rust.targets.begin()->second.extensions, refs({{"rust-src", "*"}}));
  EXPECT_EQ(channel.packages.at("rust-src").targets.count("*"), 1u);
  std::string text = to_toml(channel);
  EXPECT_EQ(text.find("x86_64"), std::string::npos);
  EXPECT_EQ(parse_channel(text, "armv7"), channel);
}

TEST(Compose, NoRustcMeansNoHosts) {
  ComposeInput input;
  input.date = "2026-04-16";
  input.channel = "nightly";
  input.components = {built("rust-std", k_thumb, k_rust_version, {"xz"})};
  Channel channel = compose_channel(input);
  EXPECT_TRUE(channel.packages.at("rust").targets.empty());
}

TEST(Compose, SamePackageAndTargetTwiceIsAnError) {
  ComposeInput input = one_host_input();
  input.components.push_back(built("clippy", k_x86_64, "0.1.95", {"gz"}));
  try {
    compose_channel(input);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "pkg.clippy-preview.target.x86_64-unknown-linux-gnu: given twice: "
                 "https://example.org/dist/2026-04-16/clippy-1.95.0-x86_64-unknown-linux-gnu.tar.xz and "
                 "https://example.org/dist/2026-04-16/clippy-1.95.0-x86_64-unknown-linux-gnu.tar.gz");
  }
}

TEST(Compose, ConflictingVersionsAreAnError) {
  ComposeInput input = one_host_input();
  input.components.push_back(built("rust-std", k_armv7, "1.63.0", {"xz"}));
  try {
    compose_channel(input);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(),
                 "pkg.rust-std: components disagree on version: \"1.95.0 (59807616e 2026-04-14)\" and \"1.63.0\"");
  }
}

TEST(Compose, RustSrcForARealTripleIsAnError) {
  ComposeInput input = one_host_input();
  input.components.back().target = k_x86_64;
  EXPECT_THROW(
      {
        try {
          compose_channel(input);
        } catch (const Error& error) {
          EXPECT_STREQ(error.what(),
                       "pkg.rust-src: built for x86_64-unknown-linux-gnu, but it must have the target \"*\"");
          throw;
        }
      },
      Error);
}

TEST(Compose, CombinedTarballWithoutRustcIsAnError) {
  ComposeInput input = one_host_input();
  input.rust_combined[k_armv7].xz = ArtifactRef{"https://example.org/rust.tar.xz", std::string(64, 'a')};
  try {
    compose_channel(input);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_STREQ(error.what(), "pkg.rust.target.armv7-unknown-linux-gnueabihf: a combined rust tarball is given, "
                               "but there is no available rustc for armv7-unknown-linux-gnueabihf");
  }
}

// Composing from the components of the installed stable toolchain gives the same package
// names, renames and profiles as the manifest upstream published for it.
TEST(Compose, MatchesUpstreamStableForTheSameComponents) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  const std::string host = "x86_64-unknown-linux-gnu";
  auto upstream_path = *toolchain / "lib/rustlib/multirust-channel-manifest.toml";
  DISTBUILD_REQUIRE(std::filesystem::exists(upstream_path), upstream_path.string());
  DISTBUILD_REQUIRE(toolchain->filename().string() == "stable-" + host, "an x86_64 Linux stable toolchain");

  auto rustc = testutil::run_process({(*toolchain / "bin/rustc").string(), "--version"});
  ASSERT_EQ(rustc.exit_code, 0) << rustc.err;
  std::string rust_version = rustc.out.substr(std::string("rustc ").size());
  rust_version.erase(rust_version.find_last_not_of('\n') + 1);

  // The toolchain's own component list names every installed (pkg, target).
  std::string installed = testutil::read_file(*toolchain / "lib/rustlib/components");
  ComposeInput input;
  input.date = "2026-04-16";
  input.channel = "stable";
  input.rust_version = rust_version;
  const std::set<std::string> given{"rustc", "rust-std", "cargo", "clippy-preview", "rustfmt-preview"};
  for (const std::string& pkg : given) {
    ASSERT_NE(installed.find(pkg + "-" + host + "\n"), std::string::npos) << pkg;
    input.components.push_back(built(pkg, host, rust_version, {"xz"}));
  }
  Channel channel = compose_channel(input);
  EXPECT_EQ(validate(channel), std::vector<std::string>{});

  toml::table ours = toml::parse(to_toml(channel));
  toml::table theirs = toml::parse_file(upstream_path.string());

  std::set<std::string> wanted = given;
  wanted.insert("rust");
  std::set<std::string> their_packages;
  for (const std::string& name : keys(*theirs["pkg"].as_table())) {
    if (wanted.count(name) > 0) {
      their_packages.insert(name);
    }
  }
  EXPECT_EQ(keys(*ours["pkg"].as_table()), their_packages);

  toml::table their_renames;
  for (auto&& [from, to] : *theirs["renames"].as_table()) {
    if (given.count(std::string(*to.as_table()->get("to")->value<std::string>())) > 0) {
      their_renames.insert(from, to);
    }
  }
  EXPECT_EQ(*ours["renames"].as_table(), their_renames);
  EXPECT_EQ(*ours["profiles"].as_table(), *theirs["profiles"].as_table());

  EXPECT_EQ(ours["pkg"]["rust"]["version"].value<std::string>(), theirs["pkg"]["rust"]["version"].value<std::string>());
  EXPECT_EQ(ours["pkg"]["rustc"]["version"].value<std::string>(),
            theirs["pkg"]["rustc"]["version"].value<std::string>());

  // Our host lists are upstream's, restricted to what we built, in upstream's order.
  for (const char* list : {"components", "extensions"}) {
    std::vector<std::string> expected;
    for (auto&& item : *theirs["pkg"]["rust"]["target"][host][list].as_array()) {
      const toml::table& ref = *item.as_table();
      std::string pkg = *ref["pkg"].value<std::string>();
      std::string target = *ref["target"].value<std::string>();
      if (given.count(pkg) > 0 && target == host) {
        expected.push_back(pkg + "/" + target);
      }
    }
    std::vector<std::string> actual;
    for (auto&& item : *ours["pkg"]["rust"]["target"][host][list].as_array()) {
      const toml::table& ref = *item.as_table();
      actual.push_back(*ref["pkg"].value<std::string>() + "/" + *ref["target"].value<std::string>());
    }
    EXPECT_EQ(actual, expected) << list;
  }
}

} // namespace distbuild::manifest
