// The three walk-throughs under examples/, run as their users run them: each example's run.sh
// (the README's commands, in order) with a temp WORK and fresh homes, then judged by the real
// consumers: the real rustup installs what the walk-through produced, the real gpg accepts every
// .asc with the key it published (and, for the re-signed tree, refuses the vendor's), and
// `distbuild verify` passes. Inputs are kept small: Debian's armv7 Rust 1.63 for the porter, and
// rustc, rust-std and cargo (+ rustfmt) of the installed stable toolchain, zst at the fast profile.
//   - porter-armv7: an armv7-only tree from Debian's armhf rustc; rustup installs it on this x86_64
//     machine with --force-non-host and the packed rustc runs under qemu-arm (the tree has no
//     x86_64 host, so there is no armv7 rust-std for an x86_64 rustup to add);
//   - resign-vetted-toolchain: a vendor-signed tree re-signed with an in-house key;
//   - mirror-with-overlay: an upstream on loopback mirrored, rustfmt added by overlay.
#include "tests/e2e/debian_rust_fixture.hpp"
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <chrono>
#include <iostream>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;
using signing::test::StopAgentAtEnd;

const std::string k_host = "x86_64-unknown-linux-gnu";
constexpr const char* k_arm_sysroot = "/usr/arm-linux-gnueabihf";

// examples/<name>/run.sh with bash, the built distbuild, WORK, no pack cache and no user data
// dir (nothing outside the temp dir is written); prints how long it took.
ProcessResult run_example(const std::string& name, const fs::path& work,
                          std::map<std::string, std::string> env) {
  env["DISTBUILD"] = distbuild_binary();
  env["WORK"] = work.string();
  env["DISTBUILD_NO_CACHE"] = "1";
  env["XDG_DATA_HOME"] = (work / ".data").string();
  const auto start = std::chrono::steady_clock::now();
  ProcessResult r = run_process({"bash", (source_dir() / "examples" / name / "run.sh").string()},
                                env, work);
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  std::cerr << "examples/" << name << "/run.sh: exit " << r.exit_code << " in " << seconds.count()
            << " s\n";
  return r;
}

// Every .asc of the tree except the key file itself, with the file it signs.
std::vector<fs::path> signatures_in(const fs::path& tree) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {
    const auto& path = entry.path();
    if (entry.is_regular_file() && path.extension() == ".asc" &&
        path.filename() != "release-key.asc") {
      out.push_back(path);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Files under `tree` without an .asc beside them that should have one.
std::vector<fs::path> unsigned_files(const fs::path& tree) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {
    const auto& path = entry.path();
    const std::string name = path.filename().string();
    const std::string rel = fs::relative(path, tree).string();
    if (!entry.is_regular_file() || rel.starts_with(".") || rel.find("/.") != std::string::npos ||
        path.extension() == ".asc" || path.extension() == ".sha256" ||
        name.starts_with("release-key")) {
      continue;
    }
    if (!fs::exists(path.string() + ".asc")) {
      out.push_back(path);
    }
  }
  return out;
}

// A fresh GnuPG home holding only `key_file`'s keys; `gpg --verify` of each signature there.
// Returns the signatures gpg refused (with its message).
std::vector<std::string> gpg_refusals(const fs::path& tree, const fs::path& key_file) {
  GpgHome gpg;
  StopAgentAtEnd stop{gpg.path()};
  auto imported = gpg.gpg({"--import", key_file.string()});
  EXPECT_EQ(imported.exit_code, 0) << imported.err;
  std::vector<std::string> refused;
  for (const auto& asc : signatures_in(tree)) {
    const fs::path file = asc.parent_path() / asc.stem();
    auto r = gpg.gpg({"--verify", asc.string(), file.string()});
    if (r.exit_code != 0) {
      refused.push_back(fs::relative(asc, tree).string() + ": " + r.err);
    }
  }
  return refused;
}

// `distbuild dist` of a few components of the installed stable toolchain, signed by a fresh key
// in `gpg`: a vendor's vetted tree, or an upstream standing in for static.rust-lang.org.
void dist_from_stable(const fs::path& toolchain, const fs::path& out, const GpgHome& gpg,
                      const std::string& fingerprint) {
  auto r = run_distbuild({"dist", "--toolchain", toolchain.string(), "--components",
                          "rustc,rust-std,cargo", "--profile", "fast", "--formats", "zst",
                          "--out", out.string(), "--sign-key", fingerprint, "--gnupg-home",
                          gpg.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

std::string version_of(const fs::path& tree) {
  const toml::table manifest = toml::parse(read_file(tree / "dist/channel-rust-stable.toml"));
  const std::string text = manifest["pkg"]["rustc"]["version"].value_or(std::string());
  return text.substr(0, text.find(' '));
}

std::map<std::string, std::string> tarballs_of(const fs::path& tree) {
  std::map<std::string, std::string> out;
  for (const auto& [rel, sha] : snapshot_tree(tree)) {
    if (rel.find(".tar.") != std::string::npos && !rel.ends_with(".asc") &&
        !rel.ends_with(".sha256")) {
      out[rel] = sha;
    }
  }
  return out;
}

TEST(Examples, PorterArmv7TreeVerifiesAndItsRustcRunsUnderQemu) {
  const DebianRust& debian = DebianRust::get();
  DISTBUILD_REQUIRE(debian.ok(), debian.problem());
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  DISTBUILD_REQUIRE(find_tool("qemu-arm").has_value(), "qemu-arm (qemu-user)");
  DISTBUILD_REQUIRE(fs::exists(fs::path(k_arm_sysroot) / "lib/libstdc++.so.6"),
                    "the armhf cross sysroot (libc6-dev-armhf-cross, gcc-arm-linux-gnueabihf)");
  TempDir dir;
  // What `x.py install` leaves for a native armv7 build: Debian's armhf rustc, its libraries and
  // the armv7 std (debian_rust_fixture.hpp).
  debian.add_host(dir / "prefix", DebianArch::Armhf, /*with_cargo=*/false);
  debian.add_std(dir / "prefix", k_armv7_linux, DebianArch::Armhf);
  const fs::path work = dir / "work";
  fs::create_directories(work);
  StopAgentAtEnd stop{work / "gnupg"};

  auto r = run_example("porter-armv7", work,
                       {{"FROM", (dir / "prefix").string()}, {"VERSION", "1.63.0"},
                        {"DATE", "2023-01-14"}, {"PROFILE", "fast"}, {"FORMATS", "zst"}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find(k_armv7_linux), std::string::npos) << "targets --board: " << r.out;
  EXPECT_NE(r.out.find("\nok: "), std::string::npos) << r.out;
  const fs::path tree = work / "tree";
  EXPECT_EQ(read_file(work / "release-key.asc"), read_file(tree / "release-key.asc"));

  auto verified = run_distbuild(
      {"verify", tree.string(), "--key", (work / "release-key.asc").string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(unsigned_files(tree).empty()) << unsigned_files(tree).front();
  EXPECT_GE(signatures_in(tree).size(), 8u);
  const auto refused = gpg_refusals(tree, work / "release-key.asc");
  EXPECT_TRUE(refused.empty()) << refused.front();

  // The tree is for the Pi itself: its only host is armv7, no x86_64 anywhere.
  const std::string text = read_file(tree / "dist/channel-rust-stable.toml");
  EXPECT_EQ(text.find("x86_64"), std::string::npos);
  const toml::table manifest = toml::parse(text);
  EXPECT_TRUE(manifest["pkg"]["rust"]["target"][k_armv7_linux].is_table());
  EXPECT_TRUE(manifest["pkg"]["rustc"]["target"][k_armv7_linux]["available"].value_or(false));

  // What the Pi user runs, here on x86_64 (rustup needs --force-non-host for a foreign host),
  // then the installed rustc under qemu-arm as rustup's proxy would run it on the Pi.
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string toolchain = std::string("1.63.0-") + k_armv7_linux;
  auto install = home.rustup({"toolchain", "install", toolchain, "--profile", "minimal",
                              "--force-non-host", "--no-self-update"},
                             "file://" + tree.string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const fs::path installed = home.rustup_home() / "toolchains" / toolchain;
  auto ran = run_process({"qemu-arm", "-L", k_arm_sysroot, "-E",
                          "LD_LIBRARY_PATH=" + (installed / "lib").string(),
                          (installed / "bin/rustc").string(), "--version"});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "rustc 1.63.0\n");
}

TEST(Examples, ResignVettedToolchainWithTheInHouseKey) {
  auto stable = installed_toolchain("stable");
  DISTBUILD_REQUIRE(stable.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  TempDir dir;
  // The vendor's side: a tree of the installed stable toolchain signed with the vendor's key,
  // whose public half reaches the release engineer separately.
  GpgHome vendor;
  vendor.prefer_sha512();
  const std::string vendor_fpr = vendor.quick_gen_key("Vendor <releases@vendor.example>", "ed25519");
  ASSERT_NO_FATAL_FAILURE(dist_from_stable(*stable, dir / "vetted", vendor, vendor_fpr));
  fs::copy_file(dir / "vetted/release-key.asc", dir / "vendor-key.asc");
  const auto vetted_before = snapshot_tree(dir / "vetted");
  const fs::path work = dir / "work";
  fs::create_directories(work);
  StopAgentAtEnd stop{work / "gnupg"};

  auto r = run_example("resign-vetted-toolchain", work,
                       {{"VETTED", (dir / "vetted").string()},
                        {"VENDOR_KEY", (dir / "vendor-key.asc").string()}});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const fs::path tree = work / "tree";

  // The in-house key, and only it, signs the re-signed tree.
  const std::string fpr = read_file(tree / "release-key.fingerprint");
  ASSERT_EQ(fpr.size(), 41u) << fpr;
  EXPECT_NE(fpr, vendor_fpr + "\n");
  EXPECT_NE(r.out.find("in-house key: " + fpr), std::string::npos) << r.out;
  EXPECT_EQ(read_file(tree / "release-key.asc"), read_file(work / "inhouse-key.asc"));
  EXPECT_TRUE(unsigned_files(tree).empty()) << unsigned_files(tree).front();
  const auto signatures = signatures_in(tree);
  EXPECT_GE(signatures.size(), 20u);
  const auto refused = gpg_refusals(tree, work / "inhouse-key.asc");
  EXPECT_TRUE(refused.empty()) << refused.front();
  EXPECT_EQ(gpg_refusals(tree, dir / "vendor-key.asc").size(), signatures.size())
      << "a signature of the re-signed tree verifies with the vendor's key";
  auto with_inhouse = run_distbuild(
      {"verify", tree.string(), "--key", (work / "inhouse-key.asc").string()});
  EXPECT_EQ(with_inhouse.exit_code, 0) << with_inhouse.out << with_inhouse.err;
  auto with_vendor = run_distbuild(
      {"verify", tree.string(), "--key", (dir / "vendor-key.asc").string()});
  EXPECT_NE(with_vendor.exit_code, 0) << with_vendor.out;

  // The bytes are the vetted bytes; the vetted tree itself still carries the vendor's signatures.
  const auto tarballs = tarballs_of(tree);
  EXPECT_EQ(tarballs, tarballs_of(dir / "vetted"));
  EXPECT_GE(tarballs.size(), 6u);  // 3 packages, in dist/ and dist/<date>/
  EXPECT_EQ(snapshot_tree(dir / "vetted"), vetted_before);

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string version = version_of(tree);
  auto install = home.rustup(
      {"toolchain", "install", version, "--profile", "minimal", "--no-self-update"},
      "file://" + tree.string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto rustc = home.rustup({"run", version, "rustc", "--version"});
  EXPECT_TRUE(rustc.out.starts_with("rustc " + version)) << rustc.out << rustc.err;
}

TEST(Examples, MirrorWithOverlayAddsRustfmtThatRustupInstalls) {
  auto stable = installed_toolchain("stable");
  DISTBUILD_REQUIRE(stable.has_value(), "a stable toolchain in ~/.rustup/toolchains");
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  DISTBUILD_REQUIRE(fs::exists(*stable / ("lib/rustlib/manifest-rustfmt-preview-" + k_host)),
                    "rustfmt in the installed stable toolchain");
  TempDir dir;
  // Upstream, standing in for static.rust-lang.org: rustc, rust-std and cargo only, signed with
  // upstream's key, served over HTTP on loopback.
  GpgHome upstream_gpg;
  upstream_gpg.prefer_sha512();
  const std::string upstream_fpr =
      upstream_gpg.quick_gen_key("Upstream <release@upstream.example>", "ed25519");
  ASSERT_NO_FATAL_FAILURE(dist_from_stable(*stable, dir / "upstream", upstream_gpg, upstream_fpr));
  fs::copy_file(dir / "upstream/release-key.asc", dir / "upstream-key.asc");
  StaticServer server(dir / "upstream");
  ASSERT_TRUE(server.ok());
  const fs::path work = dir / "work";
  fs::create_directories(work);
  StopAgentAtEnd stop{work / "gnupg"};

  auto env = loopback_env();
  env.insert({{"UPSTREAM", server.url()},
              {"UPSTREAM_KEY", (dir / "upstream-key.asc").string()},
              {"ADD", stable->string()},
              {"ADD_COMPONENTS", "rustfmt-preview"},
              {"PROFILE", "fast"},
              {"FORMATS", "zst"}});
  auto r = run_example("mirror-with-overlay", work, env);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const fs::path tree = work / "tree";
  EXPECT_NE(r.out.find("rustfmt-preview for " + k_host), std::string::npos) << r.out;

  // The mirror holds upstream's bytes where the manifest's URLs point (the dated dir; the
  // top-level copies are for people, not rustup); the published tree has them plus rustfmt.
  std::map<std::string, std::string> referenced;
  for (const auto& [rel, sha] : tarballs_of(dir / "upstream")) {
    if (rel.starts_with("dist/2")) {
      referenced[rel] = sha;
    }
  }
  EXPECT_EQ(referenced.size(), 3u);
  EXPECT_EQ(tarballs_of(work / "mirror"), referenced);
  const auto published = tarballs_of(tree);
  for (const auto& [rel, sha] : referenced) {
    EXPECT_EQ(published.count(rel) ? published.at(rel) : "", sha) << rel;
  }
  EXPECT_EQ(published.size(), referenced.size() + 1) << "rustfmt added";
  const toml::table manifest = toml::parse(read_file(tree / "dist/channel-rust-stable.toml"));
  EXPECT_TRUE(manifest["pkg"]["rustfmt-preview"]["target"][k_host]["available"].value_or(false));

  // Every signature verifies with the keys the mirror publishes (its own, plus upstream's for
  // upstream's unchanged bytes), and the rewritten manifest is signed by the mirror's key.
  EXPECT_EQ(read_file(work / "release-key.asc"), read_file(tree / "release-key.asc"));
  auto verified = run_distbuild(
      {"verify", tree.string(), "--key", (work / "release-key.asc").string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(unsigned_files(tree).empty()) << unsigned_files(tree).front();
  const auto refused = gpg_refusals(tree, work / "release-key.asc");
  EXPECT_TRUE(refused.empty()) << refused.front();
  const auto by_upstream = gpg_refusals(tree, dir / "upstream-key.asc");
  EXPECT_TRUE(std::find_if(by_upstream.begin(), by_upstream.end(), [](const std::string& s) {
                return s.starts_with("dist/channel-rust-stable.toml.asc");
              }) != by_upstream.end())
      << "the changed manifest must carry the mirror's signature, not upstream's";

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup({"toolchain", "install", "stable", "--profile", "minimal",
                              "--component", "rustfmt", "--no-self-update"},
                             "file://" + tree.string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto fmt = home.run({"rustfmt", "--version"}, {{"RUSTUP_TOOLCHAIN", "stable"}});
  EXPECT_EQ(fmt.exit_code, 0) << fmt.err;
  EXPECT_TRUE(fmt.out.starts_with("rustfmt ")) << fmt.out;
}

} // namespace
} // namespace distbuild::testutil
