// Signed trees, judged by the real gpg and by `distbuild verify`: every file's .asc verifies
// with gpg and gpgv; verify passes on a fresh tree and names the file and the reason for each
// kind of damage; a passphrase-protected key signs without the passphrase leaking; `sign` with a
// second key rotates the signatures and changes nothing else. Each test runs on a plain tree and
// on one with TUF metadata (`tuf init`): GPG and TUF sit side by side, neither breaks the other.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;

const std::string k_host = "x86_64-unknown-linux-gnu";

struct SignedTree {
  TempDir dir;
  GpgHome gpg;
  std::string fingerprint;
  fs::path tree() const { return dir / "tree"; }
};

std::unique_ptr<SignedTree> make_signed_tree(bool with_tuf, const std::string& passphrase = "") {
  auto t = std::make_unique<SignedTree>();
  t->gpg.prefer_sha512();  // what a release home carries (`distbuild keygen` writes it too)
  t->fingerprint = t->gpg.quick_gen_key("Release <release@example.org>", "ed25519", passphrase);
  make_fake_stage(t->dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)",
                  {"armv7-unknown-linux-gnueabihf"});
  std::vector<std::string> args{"dist", "--stage", (t->dir / "stage").string(), "--out",
                                t->tree().string(), "--version", "1.95.0", "--date",
                                "2026-04-16", "--profile", "fast", "--formats", "gz,xz",
                                "--sign-key", t->fingerprint, "--gnupg-home",
                                t->gpg.path().string()};
  if (!passphrase.empty()) {
    write_file(t->dir / "passphrase", passphrase + "\n");
    args.push_back("--passphrase-file");
    args.push_back((t->dir / "passphrase").string());
  }
  auto r = run_distbuild(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find(passphrase.empty() ? "\x01" : passphrase), std::string::npos);
  EXPECT_EQ(r.err.find(passphrase.empty() ? "\x01" : passphrase), std::string::npos);
  if (with_tuf) {
    r = run_distbuild(
        {"tuf", "init", t->tree().string(), "--tuf-keys", (t->dir / "keys").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return t;
}

// TUF metadata and distbuild's state are not GPG-signed (tuf/ is signed by its own keys).
bool outside_gpg(const fs::path& tree, const fs::path& path) {
  fs::path rel = fs::relative(path, tree);
  for (const auto& part : rel) {
    if (part.string().starts_with(".")) {
      return true;
    }
  }
  return *rel.begin() == "tuf";
}

class SignVerify : public ::testing::TestWithParam<bool> {
protected:
  bool with_tuf() const { return GetParam(); }
};

nlohmann::json verify_json(const fs::path& tree, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "verify", tree.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_distbuild(args);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1);
  return doc;
}

// True when some problem names `path` (relative to the tree) and contains `text`.
bool reports(const nlohmann::json& doc, const std::string& path, const std::string& text) {
  for (const auto& p : doc["problems"]) {
    if (p["path"] == path && p["problem"].get<std::string>().find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

void flip_byte(const fs::path& file, std::size_t offset) {
  std::string bytes = read_file(file);
  ASSERT_LT(offset, bytes.size());
  bytes[offset] = static_cast<char>(bytes[offset] ^ 0x01);
  write_file(file, bytes);
}

fs::path copy_tree(const fs::path& tree, const fs::path& to) {
  fs::copy(tree, to, fs::copy_options::recursive);
  return to;
}

TEST_P(SignVerify, EverySignatureVerifiesWithRealGpgAndVerifyPasses) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_signed_tree(with_tuf());
  signing::test::StopAgentAtEnd stop{t->gpg.path()};
  // The key and its fingerprint are published at the root.
  EXPECT_EQ(read_file(t->tree() / "release-key.fingerprint"), t->fingerprint + "\n");
  signing::test::dearmor_to_keyring(read_file(t->tree() / "release-key.asc"),
                                    t->dir / "keyring.gpg");
  int checked = 0;
  for (const auto& entry : fs::recursive_directory_iterator(t->tree())) {
    const auto& path = entry.path();
    if (path.extension() != ".asc" || path.filename() == "release-key.asc") continue;
    fs::path signed_file = path.parent_path() / path.stem();
    auto gpg = t->gpg.gpg({"--verify", path.string(), signed_file.string()});
    EXPECT_EQ(gpg.exit_code, 0) << path << "\n" << gpg.err;
    auto gpgv = run_process({"gpgv", "--keyring", (t->dir / "keyring.gpg").string(),
                             path.string(), signed_file.string()});
    EXPECT_EQ(gpgv.exit_code, 0) << path << "\n" << gpgv.err;
    ++checked;
  }
  // Tarballs (4 x 2 formats), manifests and pins (2 x 3), date files, SHA256SUMS, manifests.txt.
  EXPECT_GE(checked, 8 + 6 + 6 + 2 + 1);
  // Every published file has its signature.
  for (const auto& entry : fs::recursive_directory_iterator(t->tree())) {
    const auto& path = entry.path();
    std::string name = path.filename().string();
    if (!entry.is_regular_file() || outside_gpg(t->tree(), path) || path.extension() == ".asc" ||
        path.extension() == ".sha256" || name.starts_with("release-key")) {
      continue;
    }
    EXPECT_TRUE(fs::exists(path.string() + ".asc")) << path;
  }
  auto doc = verify_json(t->tree());
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);
  EXPECT_EQ(doc["key_fingerprint"], t->fingerprint);
  EXPECT_GE(doc["signatures"].get<int>(), checked);
  if (with_tuf()) {
    EXPECT_TRUE(doc["tuf"]["ok"].get<bool>());
    EXPECT_GE(doc["tuf"]["targets"].get<int>(), 2 * checked);  // every file, sidecars too
  } else {
    EXPECT_TRUE(doc["tuf"].is_null());
  }
}

TEST_P(SignVerify, VerifyNamesTheFileAndReasonForEachKindOfDamage) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_signed_tree(with_tuf());
  signing::test::StopAgentAtEnd stop{t->gpg.path()};
  const std::string dated = "dist/2026-04-16/";
  const std::string tarball = dated + "rustc-1.95.0-" + k_host + ".tar.xz";
  int n = 0;
  auto damaged = [&](auto&& damage) {
    fs::path copy = copy_tree(t->tree(), t->dir / ("copy" + std::to_string(n++)));
    damage(copy);
    return verify_json(copy);
  };

  auto doc = damaged([&](const fs::path& tree) { flip_byte(tree / tarball, 100); });
  EXPECT_TRUE(reports(doc, tarball, "SHA-256 differs from the hash in")) << doc.dump(2);
  EXPECT_TRUE(reports(doc, tarball + ".asc", "bad signature")) << doc.dump(2);
  EXPECT_EQ(reports(doc, tarball, "sha256 differs from the recorded one in tuf/targets.json"),
            with_tuf())
      << doc.dump(2);

  doc = damaged([&](const fs::path& tree) { flip_byte(tree / "dist/channel-rust-stable.toml", 40); });
  EXPECT_TRUE(reports(doc, "dist/channel-rust-stable.toml", "does not match its .sha256"))
      << doc.dump(2);
  EXPECT_TRUE(reports(doc, "dist/channel-rust-stable.toml.asc", "bad signature"));

  doc = damaged([&](const fs::path& tree) {
    // Another valid hex digit: the sidecar stays well-formed but names the wrong hash.
    fs::path sidecar = tree / (dated + "cargo-1.95.0-" + k_host + ".tar.gz.sha256");
    std::string text = read_file(sidecar);
    text[3] = text[3] == '0' ? '1' : '0';
    write_file(sidecar, text);
  });
  EXPECT_TRUE(reports(doc, dated + "cargo-1.95.0-" + k_host + ".tar.gz",
                      "SHA-256 does not match its .sha256"))
      << doc.dump(2);

  doc = damaged([&](const fs::path& tree) { fs::remove(tree / tarball); });
  EXPECT_TRUE(reports(doc, "dist/channel-rust-stable.toml", tarball + " is missing"))
      << doc.dump(2);

  doc = damaged([&](const fs::path& tree) { fs::remove(tree / (tarball + ".asc")); });
  EXPECT_TRUE(reports(doc, tarball, "has no signature (.asc)")) << doc.dump(2);

  doc = damaged([&](const fs::path& tree) {
    // A genuine signature, but of another file.
    fs::copy_file(tree / "dist/channel-rust-stable.toml.asc", tree / (tarball + ".asc"),
                  fs::copy_options::overwrite_existing);
  });
  EXPECT_TRUE(reports(doc, tarball + ".asc", "bad signature")) << doc.dump(2);

  doc = damaged([&](const fs::path& tree) {
    // The rust package names a component that has no target entry.
    std::string toml = read_file(tree / "dist/channel-rust-1.95.0.toml");
    std::string marker = "[[pkg.rust.target." + k_host + ".components]]\npkg = \"rustc\"";
    auto at = toml.find(marker);
    ASSERT_NE(at, std::string::npos);
    toml.insert(at, "[[pkg.rust.target." + k_host +
                        ".components]]\npkg = \"rustc\"\ntarget = \"mips-unknown-linux-gnu\"\n\n");
    write_file(tree / "dist/channel-rust-1.95.0.toml", toml);
  });
  EXPECT_TRUE(reports(doc, "dist/channel-rust-1.95.0.toml", "mips-unknown-linux-gnu"))
      << doc.dump(2);

  doc = damaged([&](const fs::path& tree) {
    write_file(tree / "dist/channel-rust-1.95.toml",
               read_file(tree / "dist/channel-rust-1.95.toml") + "\n# edited\n");
  });
  EXPECT_TRUE(reports(doc, "dist/channel-rust-1.95.toml", "differs from its dated copy"))
      << doc.dump(2);

  doc = damaged([&](const fs::path& tree) {
    // A tarball holding a symlink, with every hash made to agree: only the structure is wrong.
    fs::path work = t->dir / "symlink-work";
    fs::path top = work / ("rustc-1.95.0-" + k_host);
    write_file(top / "rust-installer-version", "3\n");
    write_file(top / "components", "rustc\n");
    write_file(top / "rustc/manifest.in", "file:bin/rustc\n");
    fs::create_directories(top / "rustc/bin");
    fs::create_symlink("/bin/sh", top / "rustc/bin/rustc");
    auto tar = run_process({"tar", "-C", work.string(), "-cJf", (tree / tarball).string(),
                            top.filename().string()});
    ASSERT_EQ(tar.exit_code, 0) << tar.err;
  });
  EXPECT_TRUE(reports(doc, tarball, "symlink")) << doc.dump(2);
}

TEST_P(SignVerify, SignWithASecondKeyRotatesSignaturesOnly) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  auto t = make_signed_tree(with_tuf());
  signing::test::StopAgentAtEnd stop{t->gpg.path()};
  write_file(t->dir / "first.asc", read_file(t->tree() / "release-key.asc"));
  auto unsigned_bytes = [&] {
    auto all = snapshot_tree(t->tree());
    std::erase_if(all, [](const auto& kv) {
      // The index page shows the fingerprint, so it is refreshed with it.
      // TUF metadata (and its hash cache) is re-signed after every command that writes.
      return kv.first.ends_with(".asc") || kv.first == "release-key.fingerprint" ||
             kv.first.starts_with("index.html") || kv.first.starts_with("tuf/") ||
             kv.first.starts_with(".distbuild-tuf/");
    });
    return all;
  };
  const auto before = unsigned_bytes();

  GpgHome second;
  second.prefer_sha512();
  signing::test::StopAgentAtEnd stop_second{second.path()};
  std::string second_fpr = second.quick_gen_key("Corp <corp@example.org>", "ed25519");
  // Another key is a key change: refused, unless asked for.
  auto refused = run_distbuild({"sign", t->tree().string(), "--sign-key", second_fpr,
                                "--gnupg-home", second.path().string()});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("change keys with --rotate-key"), std::string::npos) << refused.err;
  auto r = run_distbuild({"sign", t->tree().string(), "--sign-key", second_fpr, "--gnupg-home",
                          second.path().string(), "--rotate-key"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  write_file(t->dir / "second.asc", read_file(t->tree() / "release-key.asc"));

  EXPECT_TRUE(verify_json(t->tree(), {"--key", (t->dir / "second.asc").string()})["ok"]);
  auto with_first = verify_json(t->tree(), {"--key", (t->dir / "first.asc").string()});
  EXPECT_FALSE(with_first["ok"]);
  EXPECT_TRUE(reports(with_first, "dist/channel-rust-stable.toml.asc", "")) << with_first.dump(2);
  EXPECT_EQ(unsigned_bytes(), before);
  EXPECT_EQ(read_file(t->tree() / "release-key.fingerprint"), second_fpr + "\n");
  if (with_tuf()) {
    // `sign` rewrote every .asc, so the targets changed and the timestamp moved on.
    auto status = nlohmann::json::parse(
        run_distbuild({"--json", "tuf", "status", t->tree().string()}).out);
    EXPECT_EQ(status["versions"]["timestamp"], 2);
    EXPECT_TRUE(with_first["tuf"]["ok"].get<bool>()) << with_first.dump(2);
  }
}

TEST_P(SignVerify, PassphraseProtectedKeySignsAndThePassphraseLeaksNowhere) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg and gpgv");
  const std::string passphrase = "correct-horse-battery-staple-4711";
  auto t = make_signed_tree(with_tuf(), passphrase);
  signing::test::StopAgentAtEnd stop{t->gpg.path()};
  EXPECT_TRUE(verify_json(t->tree())["ok"]);
  for (const auto& entry : fs::recursive_directory_iterator(t->tree())) {
    if (entry.is_regular_file()) {
      EXPECT_EQ(read_file(entry.path()).find(passphrase), std::string::npos) << entry.path();
    }
  }
  // A wrong passphrase fails clearly, without echoing either passphrase (the agent is stopped
  // first: it would otherwise answer from its cache without asking).
  signing::stop_gpg_agent(t->gpg.path());
  write_file(t->dir / "wrong", "not-the-passphrase-0815\n");
  auto r = run_distbuild({"sign", t->tree().string(), "--sign-key", t->fingerprint,
                          "--gnupg-home", t->gpg.path().string(), "--passphrase-file",
                          (t->dir / "wrong").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.err.find("not-the-passphrase-0815"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(passphrase), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Tree, SignVerify, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? std::string("WithTuf") : std::string("Plain");
                         });

} // namespace
} // namespace distbuild::testutil
