// `verify` of a tree an attacker prepared (issue 18, items 2 and 3): manifest URLs and
// SHA256SUMS lines that point outside the tree are refused (they used to pass with "ok"), and
// verify's memory stays bounded for an installer whose metadata is huge. Every other checksum of
// each tampered tree is made consistent again, so the hostile part is all there is to find.
#include "tests/e2e/hostile_test_support.hpp"
#include "tests/testutil/metadata_bomb.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

const std::string k_dist_url = "https://static.rust-lang.org/dist/";

nlohmann::json verify_json(const fs::path& tree, ProcessResult* raw = nullptr) {
  auto r = run_distbuild({"--json", "verify", tree.string(), "--allow-unsigned"});
  if (raw != nullptr) {
    *raw = r;
  }
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1);
  return doc;
}

bool reports(const nlohmann::json& doc, const std::string& path, const std::string& text) {
  for (const auto& p : doc["problems"]) {
    if (p["path"] == path && p["problem"].get<std::string>().find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(HostileTree, AnUntamperedTreeVerifies) {
  TempDir dir;
  fs::path tree = make_unsigned_tree(dir.path());
  reseal(tree);  // the helper itself changes nothing a verify could see
  EXPECT_TRUE(verify_json(tree)["ok"]) << verify_json(tree).dump(2);
}

TEST(HostileTree, AManifestUrlThatClimbsOutIsRefused) {
  TempDir dir;
  fs::path tree = make_unsigned_tree(dir.path());
  const std::string name = cargo_tarball("gz");
  // <tree>/dist/../../outside/<name> is <dir>/outside/<name>: the right bytes, outside the tree.
  fs::create_directories(dir / "outside");
  fs::copy_file(tree / "dist" / k_hostile_date / name, dir / "outside" / name);
  edit_manifests(tree, k_dist_url + k_hostile_date + "/" + name,
                 k_dist_url + "../../outside/" + name);
  reseal(tree);
  auto doc = verify_json(tree);
  EXPECT_FALSE(doc["ok"]);
  EXPECT_TRUE(reports(doc, "dist/channel-rust-stable.toml",
                      "cargo " + k_hostile_host + ": URL " + k_dist_url + "../../outside/" + name +
                          " is refused: its path '../../outside/" + name +
                          "' climbs out of the tree with '..'"))
      << doc.dump(2);
}

TEST(HostileTree, AnAbsoluteUrlPathIsRefused) {
  TempDir dir;
  fs::path tree = make_unsigned_tree(dir.path());
  const std::string name = cargo_tarball("gz");
  const fs::path outside = dir / "outside" / name;  // absolute: "dist/" + it has "//"
  fs::create_directories(outside.parent_path());
  fs::copy_file(tree / "dist" / k_hostile_date / name, outside);
  edit_manifests(tree, k_dist_url + k_hostile_date + "/" + name, k_dist_url + outside.string());
  reseal(tree);
  auto doc = verify_json(tree);
  EXPECT_FALSE(doc["ok"]);
  EXPECT_TRUE(reports(doc, "dist/" + k_hostile_date + "/channel-rust-stable.toml",
                      "is refused: its path '" + outside.string() + "' is absolute"))
      << doc.dump(2);
}

TEST(HostileTree, ASha256sumsLineThatClimbsOutIsRefused) {
  TempDir dir;
  fs::path tree = make_unsigned_tree(dir.path());
  // dist/<date>/../../../x is <dir>/x.
  write_file(dir / "x", "outside the tree\n");
  const fs::path sums = tree / "dist" / k_hostile_date / "SHA256SUMS";
  write_file(sums, read_file(sums) + sha256_file(dir / "x") + "  ../../../x\n");
  write_file(fs::path(sums.string() + ".sha256"),
             sha256_file(sums) + "  SHA256SUMS\n");
  auto doc = verify_json(tree);
  EXPECT_FALSE(doc["ok"]);
  EXPECT_TRUE(reports(doc, "dist/" + k_hostile_date + "/SHA256SUMS",
                      "lists '../../../x', which climbs out of the tree with '..'"))
      << doc.dump(2);
}

// Forty 48 MiB manifest.in in one small .tar.zst, referenced with the right hash: verify used
// to hold them all (1.9 GiB). It now refuses the installer and stays far below that.
TEST(HostileTree, VerifyMemoryStaysBoundedForAMetadataBomb) {
  DISTBUILD_REQUIRE(fs::exists("/usr/bin/time"), "/usr/bin/time (package time)");
  TempDir dir;
  fs::path tree = make_unsigned_tree(dir.path());
  const std::string name = cargo_tarball("zst");
  const fs::path tarball = tree / "dist" / k_hostile_date / name;
  const std::string old_hash = sha256_file(tarball);
  fs::remove(tarball);
  write_metadata_bomb(tarball, "cargo-1.95.0-" + k_hostile_host, 40, 48ull << 20);
  EXPECT_LT(fs::file_size(tarball), 4u << 20);
  edit_manifests(tree, old_hash, sha256_file(tarball));
  reseal(tree);
  auto timed = run_timed_distbuild({"--json", "verify", tree.string(), "--allow-unsigned"});
  EXPECT_EQ(timed.exit_code, 1) << timed.err;
  auto peak = peak_rss_kib(timed);
  ASSERT_TRUE(peak.has_value()) << timed.err;
  EXPECT_LT(*peak, 400u * 1024) << "verify peaked at " << *peak / 1024 << " MiB";
  const std::string problems = nlohmann::json::parse(timed.out)["problems"].dump();
  EXPECT_NE(problems.find("the tarball holds metadata files of more than 64 MiB (distbuild's "
                          "limit); the rest is not checked"),
            std::string::npos)
      << problems;
  EXPECT_NE(problems.find("unreadable installer: " + tarball.string() + ": cargo-1.95.0-" +
                          k_hostile_host + "/comp0/manifest.in: is larger than 32 MiB, the limit "
                                           "for one installer metadata file"),
            std::string::npos)
      << problems;
  // Two million bad manifest.in lines are not two million problems either.
  EXPECT_LT(nlohmann::json::parse(timed.out)["problems"].size(), 250u);
}

} // namespace
} // namespace distbuild::testutil
