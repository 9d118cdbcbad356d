// Key rotation K1 -> K2 as README "Keys" documents it, on a tree with two releases, judged by the
// real gpg with only one key at a time (each imported from the tree's own release-key.asc):
//   - publishing with K2 (or with no key) into the K1 tree is refused and changes no byte;
//   - `sign --sign-key K2 --sign-key K1 --rotate-key` starts the transition: every .asc holds a
//     signature by each key, release-key.asc both keys; gpg with only K1 and gpg with only K2
//     each find their good signature on every file (gpg's exit status is 2 then, for the other
//     signature it cannot check; with release-key.asc imported whole it is 0);
//   - publishing during the transition takes both keys;
//   - `dist --sign-key K2 --rotate-key` ends it: only K2 signs, release-key.asc holds K2 alone,
//     gpg with only K2 verifies every file with exit 0, gpg with only K1 verifies none.
#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

using signing::test::GpgHome;

const std::string k_host = "x86_64-unknown-linux-gnu";

struct Rotation {
  TempDir dir;
  GpgHome keys;  // holds both secret keys, as the release engineer's home does
  std::string k1, k2;
  fs::path tree() const { return dir / "tree"; }
  std::vector<std::string> home() const { return {"--gnupg-home", keys.path().string()}; }

  ProcessResult dist(const std::string& version, const std::string& date,
                     const std::vector<std::string>& signing) const {
    const fs::path stage = dir / ("stage-" + version);
    if (!fs::exists(stage)) {
      make_fake_stage(stage, k_host, version + " (abcdef123 " + date + ")");
    }
    std::vector<std::string> args{"dist", "--stage", stage.string(), "--out", tree().string(),
                                  "--version", version, "--date", date, "--profile", "fast",
                                  "--formats", "gz"};
    args.insert(args.end(), signing.begin(), signing.end());
    return run_distbuild(args);
  }
  ProcessResult sign(const std::vector<std::string>& signing) const {
    std::vector<std::string> args{"sign", tree().string()};
    args.insert(args.end(), signing.begin(), signing.end());
    return run_distbuild(args);
  }
  std::vector<std::string> with(std::vector<std::string> args) const {
    for (const auto& arg : home()) {
      args.push_back(arg);
    }
    return args;
  }
};

// A gpg home holding only `keep`, imported from the tree's release-key.asc as it is now.
std::unique_ptr<GpgHome> only_key(const Rotation& r, const std::string& keep,
                                  const std::string& drop) {
  auto home = std::make_unique<GpgHome>();
  EXPECT_EQ(home->gpg({"--import", (r.tree() / "release-key.asc").string()}).exit_code, 0);
  if (!drop.empty()) {
    home->gpg({"--yes", "--delete-keys", drop});
  }
  auto listed = home->gpg({"--with-colons", "--list-keys"});
  EXPECT_NE(listed.out.find(keep), std::string::npos) << listed.out;
  if (!drop.empty()) {
    EXPECT_EQ(listed.out.find(drop), std::string::npos) << listed.out;
  }
  return home;
}

struct GpgOutcome {
  int files = 0, exit_zero = 0, good_by_key = 0;
};

// gpg --verify of every .asc of the tree in `home`: how many exit 0, how many carry a good
// signature (VALIDSIG) by `key`.
GpgOutcome gpg_verify_tree(const GpgHome& home, const fs::path& tree, const std::string& key) {
  GpgOutcome outcome;
  for (const auto& entry : fs::recursive_directory_iterator(tree)) {
    const fs::path& asc = entry.path();
    if (asc.extension() != ".asc" || asc.filename() == "release-key.asc" ||
        asc.string().find("/.") != std::string::npos) {
      continue;
    }
    auto r = home.gpg({"--status-fd", "1", "--verify", asc.string(),
                       (asc.parent_path() / asc.stem()).string()});
    ++outcome.files;
    outcome.exit_zero += r.exit_code == 0 ? 1 : 0;
    outcome.good_by_key += r.out.find("[GNUPG:] VALIDSIG " + key) != std::string::npos ? 1 : 0;
  }
  return outcome;
}

nlohmann::json verify_json(const fs::path& tree, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{"--json", "verify", tree.string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_distbuild(args);
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1) << r.out;
  return doc;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(KeyRotation, RefusedUnlessAskedThenTransitionThenOnlyTheNewKey) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  Rotation r;
  r.k1 = r.keys.quick_gen_key("Old release key <k1@example.org>", "ed25519");
  r.k2 = r.keys.quick_gen_key("New release key <k2@example.org>", "rsa3072");
  // Two releases signed with K1.
  ASSERT_EQ(r.dist("1.94.0", "2026-03-05", r.with({"--sign-key", r.k1})).exit_code, 0);
  ASSERT_EQ(r.dist("1.95.0", "2026-04-16", r.with({"--sign-key", r.k1})).exit_code, 0);
  const std::string k1_only_key_file = read_file(r.tree() / "release-key.asc");
  const auto k1_tree = snapshot_tree(r.tree());

  // 1. Another key, or none, without asking: refused, not a byte changed.
  for (const auto& attempt :
       {r.dist("1.96.0", "2026-05-28", r.with({"--sign-key", r.k2})),
        r.dist("1.96.0", "2026-05-28", {}), r.sign(r.with({"--sign-key", r.k2})),
        r.sign(r.with({"--sign-key", r.k2, "--sign-key", r.k1}))}) {
    EXPECT_NE(attempt.exit_code, 0);
    EXPECT_NE(attempt.err.find("the tree is signed with " + r.k1), std::string::npos)
        << attempt.err;
    EXPECT_EQ(snapshot_tree(r.tree()), k1_tree);
  }

  // 2. The transition starts: both keys sign every file.
  auto start = r.sign(r.with({"--sign-key", r.k2, "--sign-key", r.k1, "--rotate-key"}));
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(start.out.find("the tree's keys changed: " + r.k1 + " -> " + r.k2 + " and " + r.k1),
            std::string::npos)
      << start.out;
  EXPECT_EQ(read_file(r.tree() / "release-key.fingerprint"), r.k2 + "\n" + r.k1 + "\n");
  {
    auto k1_only = only_key(r, r.k1, r.k2);
    auto k2_only = only_key(r, r.k2, r.k1);
    auto both = only_key(r, r.k2, "");
    const GpgOutcome old_key = gpg_verify_tree(*k1_only, r.tree(), r.k1);
    const GpgOutcome new_key = gpg_verify_tree(*k2_only, r.tree(), r.k2);
    const GpgOutcome whole = gpg_verify_tree(*both, r.tree(), r.k2);
    EXPECT_GE(old_key.files, 25);
    EXPECT_EQ(old_key.good_by_key, old_key.files);  // K1 alone checks every file
    EXPECT_EQ(new_key.good_by_key, new_key.files);  // and so does K2 alone
    EXPECT_EQ(old_key.exit_zero, 0);                // (the other signature: exit 2, documented)
    EXPECT_EQ(whole.exit_zero, whole.files);        // release-key.asc imported whole: exit 0
    write_file(r.dir / "k1.asc", k1_only->gpg({"--armor", "--export", r.k1}).out);
    write_file(r.dir / "k2.asc", k2_only->gpg({"--armor", "--export", r.k2}).out);
  }
  auto doc = verify_json(r.tree());
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);
  EXPECT_EQ(doc["signed_by"], nlohmann::json(sorted({r.k1, r.k2})));
  EXPECT_TRUE(verify_json(r.tree(), {"--key", (r.dir / "k1.asc").string()})["ok"].get<bool>());
  EXPECT_TRUE(verify_json(r.tree(), {"--key", (r.dir / "k2.asc").string()})["ok"].get<bool>());
  // The releases themselves did not change: only signatures, key files and the index page.
  auto unsigned_bytes = [](std::map<std::string, std::string> all) {
    std::erase_if(all, [](const auto& kv) {
      return kv.first.ends_with(".asc") || kv.first.starts_with("release-key.") ||
             kv.first.starts_with("index.html");
    });
    return all;
  };
  EXPECT_EQ(unsigned_bytes(snapshot_tree(r.tree())), unsigned_bytes(k1_tree));

  // 3. During the transition a release is published with both keys; one alone is refused.
  const auto transition_tree = snapshot_tree(r.tree());
  auto alone = r.dist("1.96.0", "2026-05-28", r.with({"--sign-key", r.k2}));
  EXPECT_NE(alone.exit_code, 0);
  EXPECT_EQ(snapshot_tree(r.tree()), transition_tree);
  ASSERT_EQ(r.dist("1.96.0", "2026-05-28", r.with({"--sign-key", r.k2, "--sign-key", r.k1}))
                .exit_code,
            0);
  EXPECT_TRUE(verify_json(r.tree(), {"--key", (r.dir / "k1.asc").string()})["ok"].get<bool>());

  // 4. The transition ends with the next release: K2 alone, asked for.
  auto end = r.dist("1.97.0", "2026-07-09", r.with({"--sign-key", r.k2, "--rotate-key"}));
  ASSERT_EQ(end.exit_code, 0) << end.err;
  EXPECT_EQ(read_file(r.tree() / "release-key.fingerprint"), r.k2 + "\n");
  {
    auto k2_only = only_key(r, r.k2, "");
    GpgHome k1_only;
    write_file(r.dir / "k1-tree-key.asc", k1_only_key_file);
    ASSERT_EQ(k1_only.gpg({"--import", (r.dir / "k1-tree-key.asc").string()}).exit_code, 0);
    const GpgOutcome new_key = gpg_verify_tree(*k2_only, r.tree(), r.k2);
    const GpgOutcome old_key = gpg_verify_tree(k1_only, r.tree(), r.k1);
    EXPECT_GE(new_key.files, 40);
    EXPECT_EQ(new_key.exit_zero, new_key.files);
    EXPECT_EQ(new_key.good_by_key, new_key.files);
    EXPECT_EQ(old_key.good_by_key, 0);
    EXPECT_EQ(old_key.exit_zero, 0);
    auto listed = k2_only->gpg({"--with-colons", "--list-keys"});
    EXPECT_EQ(listed.out.find(r.k1), std::string::npos) << "release-key.asc still holds K1";
  }
  doc = verify_json(r.tree());
  EXPECT_TRUE(doc["ok"].get<bool>()) << doc.dump(2);
  EXPECT_EQ(doc["signed_by"], nlohmann::json::array({r.k2}));
  EXPECT_FALSE(verify_json(r.tree(), {"--key", (r.dir / "k1.asc").string()})["ok"].get<bool>());

  // 5. From now on K2 is the tree's key: K1 is refused, K2 alone needs nothing more.
  const auto k2_tree = snapshot_tree(r.tree());
  EXPECT_NE(r.dist("1.98.0", "2026-08-20", r.with({"--sign-key", r.k1})).exit_code, 0);
  EXPECT_EQ(snapshot_tree(r.tree()), k2_tree);
  EXPECT_EQ(r.sign(r.with({"--sign-key", r.k2})).exit_code, 0);
  EXPECT_TRUE(verify_json(r.tree())["ok"].get<bool>());
}

TEST(KeyRotation, AnUnsignedTreeIsSignedWholeOrNotAtAll) {
  DISTBUILD_REQUIRE(signing::test::have_gnupg_tools(), "gpg, gpgv, gpgconf, gpg-connect-agent");
  Rotation r;
  r.k1 = r.keys.quick_gen_key("Release <k1@example.org>", "ed25519");
  ASSERT_EQ(r.dist("1.94.0", "2026-03-05", {}).exit_code, 0);
  const auto unsigned_tree = snapshot_tree(r.tree());
  // Signing only the new release would leave the old one unsigned.
  auto half = r.dist("1.95.0", "2026-04-16", r.with({"--sign-key", r.k1}));
  EXPECT_NE(half.exit_code, 0);
  EXPECT_NE(half.err.find("half-signed"), std::string::npos) << half.err;
  EXPECT_EQ(snapshot_tree(r.tree()), unsigned_tree);
  // `sign` signs it whole (no --rotate-key needed: there was no key to keep).
  ASSERT_EQ(r.sign(r.with({"--sign-key", r.k1})).exit_code, 0);
  ASSERT_EQ(r.dist("1.95.0", "2026-04-16", r.with({"--sign-key", r.k1})).exit_code, 0);
  EXPECT_TRUE(verify_json(r.tree())["ok"].get<bool>());
}

} // namespace
} // namespace distbuild::testutil
