// Trees made by `mirror` and `overlay` are as complete as a dist tree: index.html (which serve
// advertises) and manifests.txt, a .sha256 for every file written and, when signed, a .asc; and
// `distbuild verify` passes on them. A mirror made without a key of its own keeps upstream's
// verified signatures and verifies with upstream's key (--allow-unsigned: its own files are
// unsigned by choice). An added tarball without a `version` file is named in a warning and gets
// the release's version, never `version = ""`. The overlay and mirror trees' index pages are read
// by headless Chromium like a dist tree's (index_page_test.cpp).
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/overlay_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_version_text = "1.95.0 (abcdef123 2026-04-14)";

ProcessResult chromium_dom(const fs::path& profile, const fs::path& page) {
  return run_process({"timeout", "120", "/usr/bin/chromium", "--headless", "--no-sandbox",
                      "--disable-gpu", "--no-first-run", "--disable-background-networking",
                      "--disable-component-update", "--disable-sync",
                      "--user-data-dir=" + profile.string(), "--dump-dom",
                      "file://" + page.string()},
                     {{"HOME", profile.string()}});
}

struct Upstream : SignedUpstream {
  Upstream() : SignedUpstream(k_host, k_version_text, {}, "xz") {}
  std::vector<std::string> local_key() const {
    return {"--sign-key", local_fpr, "--gnupg-home", gpg.path().string()};
  }
};

nlohmann::json verify_json(const fs::path& tree, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "verify", tree.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_distbuild(args);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1);
  return doc;
}

// Every regular file of the tree outside dot-dirs that is not a sidecar or a key file.
std::vector<fs::path> published_files(const fs::path& tree) {
  std::vector<fs::path> out;
  for (auto it = fs::recursive_directory_iterator(tree); it != fs::recursive_directory_iterator();
       ++it) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file() && !name.ends_with(".sha256") && !name.ends_with(".asc") &&
        !name.starts_with("release-key.")) {
      out.push_back(it->path());
    }
  }
  return out;
}

void expect_complete(const fs::path& tree, bool is_signed) {
  for (const char* file : {"index.html", "manifests.txt"}) {
    EXPECT_TRUE(fs::exists(tree / file)) << file;
  }
  for (const auto& file : published_files(tree)) {
    EXPECT_TRUE(fs::exists(file.string() + ".sha256")) << file;
    if (is_signed) {
      EXPECT_TRUE(fs::exists(file.string() + ".asc")) << file;
    }
  }
}

TEST(UpstreamTrees, SignedMirrorIsCompleteAndVerifies) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  std::vector<std::string> args{"mirror", "--upstream", server.url(), "--channels",
                                "stable,1.95.0", "--out", (up.dir / "mirror").string(),
                                "--upstream-key", up.key().string()};
  for (const auto& arg : up.local_key()) {
    args.push_back(arg);
  }
  auto r = run_distbuild(args, loopback_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path mirror = up.dir / "mirror";
  expect_complete(mirror, true);
  const std::string listed = read_file(mirror / "manifests.txt");
  EXPECT_NE(listed.find("/2026-04-16/channel-rust-stable.toml\n"), std::string::npos) << listed;
  EXPECT_NE(listed.find("/2026-04-16/channel-rust-1.95.0.toml\n"), std::string::npos) << listed;
  const std::string page = read_file(mirror / "index.html");
  EXPECT_NE(page.find("data-fingerprint=\"" + up.local_fpr + "\""), std::string::npos);
  EXPECT_NE(page.find("channel-rust-stable.toml"), std::string::npos);
  const auto doc = verify_json(mirror);
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);
  // Upstream's kept signatures and ours, both named.
  std::vector<std::string> both{up.upstream_fpr, up.local_fpr};
  std::sort(both.begin(), both.end());
  EXPECT_EQ(doc["signed_by"], nlohmann::json(both));

  // What a browser shows: the mirrored packages available on the host, and the key.
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/chromium"), "chromium (Debian package)");
  auto dom = chromium_dom(up.dir / "profile", mirror / "index.html");
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  for (const std::string package : {"rustc", "cargo", "rust-std"}) {
    EXPECT_NE(dom.out.find("<td data-host=\"" + k_host + "\" data-component=\"" + package +
                           "\" data-available=\"true\""),
              std::string::npos)
        << package;
  }
  EXPECT_NE(dom.out.find(up.local_fpr), std::string::npos);
}

TEST(UpstreamTrees, UnsignedMirrorVerifiesWithTheUpstreamKey) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  const fs::path mirror = up.dir / "mirror";
  auto r = run_distbuild({"mirror", "--upstream", server.url(), "--channels", "stable", "--out",
                          mirror.string(), "--upstream-key", up.key().string()},
                         loopback_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_complete(mirror, false);
  EXPECT_FALSE(fs::exists(mirror / "release-key.asc"));
  // Upstream's signatures, kept on upstream's bytes, are checked; our own files are unsigned.
  auto doc = verify_json(mirror, {"--key", up.key().string(), "--allow-unsigned"});
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);
  EXPECT_GE(doc["signatures"].get<int>(), 4);
  EXPECT_EQ(doc["signed_by"], nlohmann::json::array({up.upstream_fpr}));
  EXPECT_TRUE(verify_json(mirror, {"--allow-unsigned"})["ok"].get<bool>());
}

TEST(UpstreamTrees, OverlayIsCompleteAndAVersionlessTarballIsWarnedAbout) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg");
  Upstream up;
  LoggingServer server(up.tree());
  ASSERT_TRUE(server.ok());
  // rustfmt, which upstream does not ship, as a tarball whose installer has no `version` file
  // and whose name says no version either (a stable name's version would stand in, #14).
  const std::string stem = "rustfmt-nightly-" + k_host;
  const fs::path work = up.dir / "tarball-work";
  write_file(work / stem / "rust-installer-version", "3\n");
  write_file(work / stem / "components", "rustfmt-preview\n");
  write_file(work / stem / "rustfmt-preview/manifest.in", "file:bin/rustfmt\n");
  write_file(work / stem / "rustfmt-preview/bin/rustfmt", "#!/bin/sh\necho rustfmt\n", true);
  fs::create_directories(up.dir / "added");
  auto tar = run_process({"tar", "-C", work.string(), "-czf",
                          (up.dir / "added" / (stem + ".tar.gz")).string(), stem});
  ASSERT_EQ(tar.exit_code, 0) << tar.err;

  const fs::path tree = up.dir / "tree";
  std::vector<std::string> args{"--json", "overlay", "--upstream",
                                server.url() + "/dist/channel-rust-stable.toml", "--add",
                                (up.dir / "added").string(), "--out", tree.string(),
                                "--upstream-key", up.key().string()};
  for (const auto& arg : up.local_key()) {
    args.push_back(arg);
  }
  auto r = run_distbuild(args, loopback_env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto result = nlohmann::json::parse(r.out);
  bool warned = false;
  for (const auto& note : result["notes"]) {
    const std::string text = note;
    warned = warned || (text.find("has no version file") != std::string::npos &&
                        text.find(stem + ".tar.gz") != std::string::npos);
  }
  EXPECT_TRUE(warned) << result["notes"].dump(2);
  auto manifest = toml::parse_file((tree / "dist/channel-rust-stable.toml").string());
  EXPECT_EQ(manifest["pkg"]["rustfmt-preview"]["version"].value_or(std::string("missing")),
            k_version_text);

  expect_complete(tree, true);
  EXPECT_NE(read_file(tree / "manifests.txt").find("/2026-04-16/channel-rust-stable.toml\n"),
            std::string::npos);
  const auto doc = verify_json(tree);
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);

  // What a browser shows: the added package available on the host, beside upstream's.
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/chromium"), "chromium (Debian package)");
  auto dom = chromium_dom(up.dir / "profile", tree / "index.html");
  ASSERT_EQ(dom.exit_code, 0) << dom.err;
  for (const std::string package : {"rustc", "cargo", "rust-std", "rustfmt-preview"}) {
    EXPECT_NE(dom.out.find("<td data-host=\"" + k_host + "\" data-component=\"" + package +
                           "\" data-available=\"true\""),
              std::string::npos)
        << package;
  }
  EXPECT_NE(dom.out.find("export RUSTUP_DIST_SERVER=<span class=\"origin\">file://" +
                         tree.string() + "</span>"),
            std::string::npos);
}

} // namespace
} // namespace distbuild::testutil
