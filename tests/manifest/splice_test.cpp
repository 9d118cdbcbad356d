// manifest/splice: filling, adding and replacing packages in an upstream manifest, the `rust`
// lists that make rustup accept them, and the target selection of a mirror; every result is
// judged by manifest::validate (rustup's rules).
#include "manifest/splice.hpp"

#include "manifest/validate.hpp"
#include "manifest/artifact_format.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace distbuild::manifest {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_armv7 = "armv7-unknown-linux-gnueabihf";
const std::string k_arm_host = "aarch64-unknown-linux-gnu";

manifest::TargetEntry available(const std::string& file) {
  manifest::TargetEntry entry;
  entry.available = true;
  entry.xz = manifest::ArtifactRef{"https://static.rust-lang.org/dist/2026-04-16/" + file,
                                   std::string(64, 'a')};
  return entry;
}

// Two hosts; rust-std for both and armv7; rustfmt failed on aarch64.
manifest::Channel upstream() {
  manifest::Channel channel;
  channel.date = "2026-04-16";
  for (const auto& host : {k_host, k_arm_host}) {
    channel.packages["rustc"].targets[host] = available("rustc-" + host + ".tar.xz");
    channel.packages["rustfmt-preview"].targets[host] = available("rustfmt-" + host + ".tar.xz");
  }
  channel.packages["rustfmt-preview"].targets[k_arm_host] = manifest::TargetEntry{};
  for (const auto& target : {k_host, k_arm_host, k_armv7}) {
    channel.packages["rust-std"].targets[target] = available("rust-std-" + target + ".tar.xz");
  }
  channel.packages["rustc"].version = channel.packages["rust-std"].version = "1.95.0 (x)";
  channel.packages["rustfmt-preview"].version = "1.9.0";
  manifest::Package& rust = channel.packages["rust"];
  rust.version = "1.95.0 (x)";
  for (const auto& host : {k_host, k_arm_host}) {
    manifest::TargetEntry entry;
    entry.components = {{"rustc", host}, {"rust-std", host}};
    for (const auto& target : {k_host, k_arm_host, k_armv7}) {
      if (target != host) {
        entry.extensions.push_back({"rust-std", target});
      }
    }
    entry.extensions.push_back({"rustfmt-preview", host});
    rust.targets[host] = entry;
  }
  channel.renames["rustfmt"] = "rustfmt-preview";
  channel.profiles["default"] = {"rustc", "rust-std", "rustfmt-preview"};
  return channel;
}

AddedPackage added(const std::string& package, const std::string& target) {
  AddedPackage item;
  item.package = package;
  item.target = target;
  item.version = "1.9.0";
  item.zst = manifest::ArtifactRef{"https://static.rust-lang.org/dist/2026-04-16/ours.tar.zst",
                                   std::string(64, 'b')};
  item.origin = "stage/" + package + "/" + target;
  return item;
}

bool listed(const manifest::TargetEntry& entry, const std::string& pkg, const std::string& target) {
  auto match = [&](const manifest::ComponentRef& ref) { return ref.pkg == pkg && ref.target == target; };
  return std::any_of(entry.extensions.begin(), entry.extensions.end(), match) ||
         std::any_of(entry.components.begin(), entry.components.end(), match);
}

TEST(OverlaySplice, FillsAnUnavailableToolAndTheResultValidates) {
  auto before = upstream();
  EXPECT_FALSE(manifest::validate(before).empty());  // aarch64's default profile is broken
  auto result = splice_packages(before, {added("rustfmt", k_arm_host)}, false);
  ASSERT_EQ(result.changes.size(), 1u);
  EXPECT_EQ(result.changes[0].package, "rustfmt-preview");
  EXPECT_EQ(result.changes[0].action, SpliceAction::Filled);
  const auto& entry = result.channel.packages.at("rustfmt-preview").targets.at(k_arm_host);
  EXPECT_TRUE(manifest::is_available(entry));
  EXPECT_EQ(entry.zst->hash, std::string(64, 'b'));
  EXPECT_TRUE(manifest::validate(result.channel).empty());
  EXPECT_EQ(result.channel.date, before.date);
  EXPECT_EQ(result.channel.packages.at("rust").version, "1.95.0 (x)");
}

TEST(OverlaySplice, NewStdTargetIsListedForEveryHost) {
  const std::string custom = "riscv64gc-acme-linux-gnu";
  auto result = splice_packages(upstream(), {added("rust-std", custom)}, false);
  EXPECT_EQ(result.changes[0].action, SpliceAction::Added);
  for (const auto& host : {k_host, k_arm_host}) {
    EXPECT_TRUE(listed(result.channel.packages.at("rust").targets.at(host), "rust-std", custom))
        << host;
  }
  // The version differs from upstream's: upstream's is kept, and said so.
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0], "[pkg.rust-std] keeps upstream's version '1.95.0 (x)'; the added " +
                                 custom + " says '1.9.0'");
}

TEST(OverlaySplice, ReplacingNeedsTheFlagAndEveryRefusalIsNamed) {
  try {
    splice_packages(upstream(), {added("rust-std", k_host), added("rustc", k_host)}, false);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()),
              "--add: available upstream; pass --replace to replace:\n"
              "  rust-std for x86_64-unknown-linux-gnu (from stage/rust-std/x86_64-unknown-linux-gnu)\n"
              "  rustc for x86_64-unknown-linux-gnu (from stage/rustc/x86_64-unknown-linux-gnu)");
  }
  auto result = splice_packages(upstream(), {added("rust-std", k_host)}, true);
  EXPECT_EQ(result.changes[0].action, SpliceAction::Replaced);
}

TEST(OverlaySplice, NewHostGetsItsOwnRustLists) {
  const std::string host = "riscv64gc-unknown-linux-gnu";
  auto result = splice_packages(
      upstream(), {added("rustc", host), added("rust-std", host), added("rustfmt", k_arm_host)},
      false);
  const auto& rust = result.channel.packages.at("rust");
  ASSERT_EQ(rust.targets.count(host), 1u);
  EXPECT_TRUE(listed(rust.targets.at(host), "rustc", host));
  EXPECT_TRUE(listed(rust.targets.at(host), "rust-std", host));
  EXPECT_TRUE(listed(rust.targets.at(host), "rust-std", k_armv7));
  EXPECT_TRUE(listed(rust.targets.at(k_host), "rust-std", host));
  EXPECT_TRUE(manifest::validate(result.channel).empty());
}

TEST(OverlaySplice, SelectionKeepsEveryListedPairAndDropsUnservedHosts) {
  auto channel = splice_packages(upstream(), {added("rustfmt", k_arm_host)}, false).channel;
  auto dropped = select_targets(channel, {{k_host}, {k_host}});
  std::vector<manifest::ComponentRef> expected{{"rust-std", k_arm_host}, {"rust-std", k_armv7},
                                               {"rustc", k_arm_host},
                                               {"rustfmt-preview", k_arm_host}};
  EXPECT_EQ(dropped, expected);
  EXPECT_EQ(channel.packages.at("rust").targets.count(k_arm_host), 0u);
  // The armv7 entry stays (the host still lists it), unavailable: rustup's rule 2.8 holds.
  EXPECT_FALSE(channel.packages.at("rust-std").targets.at(k_armv7).available);
  EXPECT_TRUE(manifest::validate(channel).empty());
  // --targets alone keeps every host with its own std, plus the named targets' std.
  auto all_hosts = upstream();
  all_hosts.packages["rust-std"].targets["wasm32-unknown-unknown"] = available("wasm.tar.xz");
  dropped = select_targets(all_hosts, {{}, {k_armv7}});
  EXPECT_EQ(dropped, (std::vector<manifest::ComponentRef>{{"rust-std", "wasm32-unknown-unknown"}}));
}

} // namespace
} // namespace distbuild::manifest
