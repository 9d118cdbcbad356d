// The TUF writer and the client walk on a small hand-made tree, without the binary: what init
// writes, that every run grows the versions it writes, that a failed run changes nothing, that
// rotations chain from version 1, and that check_tree_tuf names the file of each problem.
// (tests/e2e/tuf_client_test.cpp holds the same metadata against the real tuf-js.)
#include "builder/tuf/repository.hpp"

#include "builder/tree/error.hpp"
#include "builder/tuf/client.hpp"
#include "builder/tuf/envelope.hpp"
#include "builder/tuf/tree_check.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace distbuild::builder::tuf {
namespace {

using testutil::read_file;
using testutil::TempDir;
using testutil::write_file;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct Fixture {
  TempDir dir;
  fs::path tree() const { return dir / "tree"; }
  fs::path keys() const { return dir / "keys"; }
  RepoOptions options() const {
    RepoOptions repo;
    repo.keys_dir = keys();
    return repo;
  }
};

std::unique_ptr<Fixture> make_tree() {
  auto f = std::make_unique<Fixture>();
  write_file(f->tree() / "dist/channel-rust-stable.toml", "manifest-version = \"2\"\n");
  write_file(f->tree() / "dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz", "xz");
  write_file(f->tree() / "index.html", "<html></html>\n");
  write_file(f->tree() / ".distbuild.lock", "");
  write_file(f->tree() / "dist/.staging-2026-04-17-1/half", "half");
  return f;
}

std::map<std::string, std::string> metadata_files(const fs::path& tree) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(tree / "tuf")) {
    files[entry.path().filename().string()] = read_file(entry.path());
  }
  return files;
}

nlohmann::json signed_part(const fs::path& file) {
  return nlohmann::json::parse(read_file(file))["signed"];
}

TreeCheckReport check(const fs::path& tree, std::optional<fs::path> root = std::nullopt,
                      std::optional<fs::path> state = std::nullopt) {
  TreeCheckOptions options;
  options.tree = tree;
  options.trusted_root = root;
  options.state_dir = state;
  return check_tree_tuf(options);
}

std::string problems(const TreeCheckReport& report) {
  std::string text;
  for (const auto& p : report.problems) {
    text += p.path + ": " + p.problem + "\n";
  }
  return text;
}

bool reports(const TreeCheckReport& report, const std::string& path, const std::string& text) {
  for (const auto& p : report.problems) {
    if (p.path == path && p.problem.find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TEST(TufRepository, InitWritesVersionOneOfEveryRoleListingEveryFile) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  TufStatus status = init_tuf(f->tree(), init);
  auto files = metadata_files(f->tree());
  EXPECT_EQ(files.size(), 5u);
  EXPECT_EQ(files["1.root.json"], files["root.json"]);
  for (Role role : k_roles) {
    EXPECT_EQ(status.versions[role], 1u) << role_name(role);
  }
  auto root = signed_part(f->tree() / "tuf/root.json");
  EXPECT_EQ(root["_type"], "root");
  EXPECT_EQ(root["spec_version"], "1.0.31");
  EXPECT_EQ(root["consistent_snapshot"], false);
  EXPECT_EQ(root["keys"].size(), 4u);
  auto targets = signed_part(f->tree() / "tuf/targets.json")["targets"];
  std::vector<std::string> paths;
  for (const auto& [path, info] : targets.items()) {
    paths.push_back(path);
  }
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz",
                       "dist/channel-rust-stable.toml", "index.html"}));
  EXPECT_EQ(targets["index.html"]["length"], 14);
  EXPECT_EQ(targets["index.html"]["hashes"]["sha256"],
            testutil::sha256_file(f->tree() / "index.html"));
  EXPECT_EQ(targets["index.html"]["hashes"]["sha512"].get<std::string>().size(), 128u);
  // The keys: outside the tree, private.
  ASSERT_EQ(status.created_keys.size(), 4u);
  for (const auto& key : status.created_keys) {
    EXPECT_EQ(key.file.parent_path(), f->keys());
    struct stat info {};
    ASSERT_EQ(::stat(key.file.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u) << key.file;
  }
  struct stat dir_info {};
  ASSERT_EQ(::stat(f->keys().c_str(), &dir_info), 0);
  EXPECT_EQ(dir_info.st_mode & 0777, 0700u);
  auto report = check(f->tree());
  EXPECT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.targets, 3u);
}

TEST(TufRepository, InitRefusesATreeWithMetadataOrWithoutDist) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init_tuf(f->tree(), init);
  EXPECT_THROW(init_tuf(f->tree(), init), Error);
  TempDir other;
  write_file(other / "file", "x");
  EXPECT_THROW(init_tuf(other.path(), init), Error);
  EXPECT_FALSE(fs::exists(other / "tuf"));
  init.root_keys = 2;
  init.root_threshold = 3;
  TempDir third;
  fs::create_directories(third / "dist");
  EXPECT_THROW(init_tuf(third.path(), init), Error);
  EXPECT_FALSE(fs::exists(third / "tuf"));
}

TEST(TufRepository, RefreshAndTimestampOnlyGrowVersionsAndFindTheRecordedKeys) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init_tuf(f->tree(), init);
  write_file(f->tree() / "dist/2026-04-17/new.tar.xz", "new");
  // No keys_dir: the one recorded by init.
  TufStatus refreshed = refresh_tuf(f->tree(), {});
  EXPECT_EQ(refreshed.versions[Role::Root], 1u);
  EXPECT_EQ(refreshed.versions[Role::Targets], 2u);
  EXPECT_EQ(refreshed.versions[Role::Snapshot], 2u);
  EXPECT_EQ(refreshed.versions[Role::Timestamp], 2u);
  EXPECT_EQ(refreshed.targets, 4u);
  EXPECT_EQ(refreshed.hashed, 1u);  // the three others came from the cache
  const std::string snapshot = read_file(f->tree() / "tuf/snapshot.json");
  TufStatus renewed = renew_timestamp(f->tree(), {});
  EXPECT_EQ(renewed.versions[Role::Timestamp], 3u);
  EXPECT_EQ(renewed.written, std::vector<Role>{Role::Timestamp});
  EXPECT_EQ(read_file(f->tree() / "tuf/snapshot.json"), snapshot);
  EXPECT_TRUE(check(f->tree()).ok()) << problems(check(f->tree()));
}

TEST(TufRepository, AFailedRefreshLeavesThePreviousMetadata) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init_tuf(f->tree(), init);
  auto before = metadata_files(f->tree());
  write_file(f->tree() / "dist/extra", "x");
  TempDir empty;
  RepoOptions elsewhere;
  elsewhere.keys_dir = empty.path();
  try {
    refresh_if_present(f->tree(), elsewhere);
    FAIL() << "signed without keys";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("targets key: signing targets.json needs 1 of the keys "
                                         "root version 1 names; found 0 in " +
                                         empty.path().string()),
              std::string::npos)
        << e.what();
  }
  EXPECT_EQ(metadata_files(f->tree()), before);
}

TEST(TufRepository, RefreshIfPresentDoesNothingWithoutMetadata) {
  auto f = make_tree();
  EXPECT_FALSE(refresh_if_present(f->tree(), f->options()));
  EXPECT_FALSE(fs::exists(f->tree() / "tuf"));
  EXPECT_FALSE(fs::exists(f->tree() / ".distbuild-tuf"));
}

TEST(TufRepository, RotationsChainFromVersionOne) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init.root_keys = 3;
  init.root_threshold = 2;
  init_tuf(f->tree(), init);
  fs::copy_file(f->tree() / "tuf/1.root.json", f->dir / "trusted.json");
  RotateOptions rotate;
  rotate.repo = f->options();
  rotate.role = Role::Timestamp;
  TufStatus after_timestamp = rotate_keys(f->tree(), rotate);
  EXPECT_EQ(after_timestamp.versions[Role::Root], 2u);
  rotate.role = Role::Root;
  rotate.root_keys = 2;
  rotate.root_threshold = 2;
  TufStatus after_root = rotate_keys(f->tree(), rotate);
  EXPECT_EQ(after_root.versions[Role::Root], 3u);
  EXPECT_EQ(after_root.created_keys.size(), 2u);
  auto root3 = signed_part(f->tree() / "tuf/3.root.json");
  EXPECT_EQ(root3["roles"]["root"]["keyids"].size(), 2u);
  EXPECT_EQ(root3["roles"]["root"]["threshold"], 2);
  // Signed by 2+ of the three old root keys and both new ones.
  auto root3_file = nlohmann::json::parse(read_file(f->tree() / "tuf/3.root.json"));
  EXPECT_EQ(root3_file["signatures"].size(), 5u);
  EXPECT_EQ(read_file(f->tree() / "tuf/root.json"), read_file(f->tree() / "tuf/3.root.json"));
  auto report = check(f->tree(), f->dir / "trusted.json");
  EXPECT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.root_version, 3u);
}

TEST(TufRepository, EncryptedRootKeysNeedThePassphraseToRotate) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init.repo.root_keys_dir = f->dir / "offline";
  init.repo.root_passphrase = "correct horse";
  TufStatus status = init_tuf(f->tree(), init);
  EXPECT_EQ(status.created_keys[0].file.parent_path(), f->dir / "offline");
  EXPECT_NE(read_file(status.created_keys[0].file).find("ENCRYPTED"), std::string::npos);
  EXPECT_EQ(read_file(status.created_keys[1].file).find("ENCRYPTED"), std::string::npos);
  // Publishing never needs the root key or its passphrase.
  write_file(f->tree() / "dist/more", "x");
  EXPECT_TRUE(refresh_if_present(f->tree(), RepoOptions{}));
  RotateOptions rotate;
  rotate.role = Role::Root;
  rotate.same_keys = true;
  EXPECT_THROW(rotate_keys(f->tree(), rotate), std::exception);
  rotate.repo.root_passphrase = "correct horse";
  EXPECT_EQ(rotate_keys(f->tree(), rotate).versions[Role::Root], 2u);
  EXPECT_TRUE(check(f->tree()).ok());
}

TEST(TufTreeCheck, NamesTheFileOfEachProblem) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init_tuf(f->tree(), init);
  write_file(f->tree() / "dist/channel-rust-stable.toml", "tampered\n");
  write_file(f->tree() / "dist/unlisted.txt", "x");
  fs::remove(f->tree() / "index.html");
  auto report = check(f->tree());
  EXPECT_FALSE(report.ok());
  EXPECT_TRUE(reports(report, "dist/channel-rust-stable.toml",
                      "length 9, not 23 as recorded in tuf/targets.json"))
      << problems(report);
  EXPECT_TRUE(reports(report, "dist/unlisted.txt", "is not listed in tuf/targets.json"));
  EXPECT_TRUE(reports(report, "tuf/targets.json", "lists index.html, which is not in the tree"));
  EXPECT_EQ(report.problems.size(), 3u) << problems(report);
}

TEST(TufTreeCheck, ExpiredTamperedAndForeignMetadataAreRefused) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init.repo.expires[Role::Timestamp] = 0s;
  init_tuf(f->tree(), init);
  auto report = check(f->tree());
  EXPECT_TRUE(reports(report, "tuf/timestamp.json", "expired on ")) << problems(report);
  EXPECT_EQ(report.problems.size(), 1u) << problems(report);

  // Bytes changed under a signature.
  RepoOptions fresh;
  fresh.expires[Role::Timestamp] = 24h;
  refresh_tuf(f->tree(), fresh);
  std::string snapshot = read_file(f->tree() / "tuf/snapshot.json");
  auto doc = nlohmann::json::parse(snapshot);
  doc["signed"]["expires"] = "2099-01-01T00:00:00Z";
  write_file(f->tree() / "tuf/snapshot.json", doc.dump(1) + "\n");
  report = check(f->tree());
  EXPECT_TRUE(reports(report, "tuf/snapshot.json", "as timestamp.json records it"))
      << problems(report);
  EXPECT_TRUE(reports(report, "tuf/snapshot.json", "signed by 0 of the 1 snapshot keys"))
      << problems(report);
  write_file(f->tree() / "tuf/snapshot.json", snapshot);

  // Another tree's root is not this tree's.
  auto other = make_tree();
  InitOptions other_init;
  other_init.repo = other->options();
  init_tuf(other->tree(), other_init);
  report = check(f->tree(), other->tree() / "tuf/1.root.json");
  EXPECT_TRUE(reports(report, "tuf/timestamp.json", "signed by 0 of the 1 timestamp keys"))
      << problems(report);
}

TEST(TufTreeCheck, ARollbackAgainstWhatTheClientSawIsRefused) {
  auto f = make_tree();
  InitOptions init;
  init.repo = f->options();
  init_tuf(f->tree(), init);
  refresh_tuf(f->tree(), {});
  const std::string old_timestamp = read_file(f->tree() / "tuf/timestamp.json");
  refresh_tuf(f->tree(), {});
  const fs::path state = f->dir / "state";
  auto report = check(f->tree(), std::nullopt, state);
  ASSERT_TRUE(report.ok()) << problems(report);
  EXPECT_EQ(report.timestamp_version, 3u);
  EXPECT_TRUE(fs::exists(state / "timestamp.json"));
  write_file(f->tree() / "tuf/timestamp.json", old_timestamp);
  report = check(f->tree(), std::nullopt, state);
  EXPECT_TRUE(reports(report, "tuf/timestamp.json",
                      "version 2 is older than version 3 seen before (a rollback)"))
      << problems(report);
  // Without the memory the old timestamp is consistent (its snapshot is gone, though).
  EXPECT_FALSE(reports(check(f->tree()), "tuf/timestamp.json", "rollback"));
}

} // namespace
} // namespace distbuild::builder::tuf
