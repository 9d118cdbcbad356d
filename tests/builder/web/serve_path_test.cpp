// resolve_request_path and content_type_for without a socket: every way a request path could
// climb out of the tree, reach a hidden file or key material is refused, and ordinary tree
// files resolve to themselves.
#include "builder/web/serve_path.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

using testutil::TempDir;
using testutil::write_file;
namespace fs = std::filesystem;

class ServePathTest : public ::testing::Test {
protected:
  void SetUp() override {
    write_file(m_dir / "tree/dist/channel-rust-stable.toml", "x");
    write_file(m_dir / "tree/index.html", "<html>");
    write_file(m_dir / "tree/release-key.asc", "public");
    write_file(m_dir / "secret.txt", "secret");
    m_root = fs::canonical(m_dir / "tree");
  }
  ResolvedPath resolve(const std::string& decoded, const std::string& raw) {
    return resolve_request_path(m_root, decoded, raw);
  }
  ResolvedPath resolve(const std::string& path) { return resolve(path, path); }

  TempDir m_dir;
  fs::path m_root;
};

TEST_F(ServePathTest, TreeFilesResolveToThemselves) {
  auto r = resolve("/dist/channel-rust-stable.toml");
  ASSERT_EQ(r.verdict, PathVerdict::Ok);
  EXPECT_EQ(r.file, m_root / "dist/channel-rust-stable.toml");
  EXPECT_EQ(resolve("/dist//channel-rust-stable.toml").file,
            m_root / "dist/channel-rust-stable.toml");
  // "." segments are normalised away (safe_path.hpp), they never climb.
  EXPECT_EQ(resolve("/./dist/./channel-rust-stable.toml").file,
            m_root / "dist/channel-rust-stable.toml");
  EXPECT_EQ(resolve("/release-key.asc").verdict, PathVerdict::Ok);
  // Query strings are not part of the path.
  EXPECT_EQ(resolve("/release-key.asc", "/release-key.asc?x=1").verdict, PathVerdict::Ok);
  // Percent-encoded ordinary characters are fine.
  EXPECT_EQ(resolve("/release-key.asc", "/release%2Dkey.asc").verdict, PathVerdict::Ok);
}

TEST_F(ServePathTest, RootAndDirectoriesServeTheirIndexOnly) {
  EXPECT_EQ(resolve("/").file, m_root / "index.html");
  EXPECT_EQ(resolve("/dist/").verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve("/dist").verdict, PathVerdict::NotFound);
}

TEST_F(ServePathTest, TraversalIsRefusedHoweverItIsSpelled) {
  struct Case {
    std::string decoded, raw;
  };
  for (const Case& c : {Case{"/../secret.txt", "/../secret.txt"},
                        Case{"/../secret.txt", "/%2e%2e/secret.txt"},
                        Case{"/../secret.txt", "/%2E%2E/secret.txt"},
                        Case{"/../secret.txt", "/..%2fsecret.txt"},
                        Case{"/dist/../../secret.txt", "/dist/..%2F..%2Fsecret.txt"},
                        // A decoder that leaves escapes alone must not matter.
                        Case{"/%2e%2e/secret.txt", "/%2e%2e/secret.txt"},
                        Case{"/..\\secret.txt", "/..%5csecret.txt"},
                        Case{std::string("/a\0b", 4), "/a%00b"},
                        Case{"/x", "/%zz"},
                        Case{"/x", "/%2"},
                        Case{"/x", "x"}}) {
    auto r = resolve(c.decoded, c.raw);
    EXPECT_EQ(r.verdict, PathVerdict::BadRequest) << c.raw;
    EXPECT_TRUE(r.file.empty());
  }
  // Absolute paths stay inside the tree (and are not found there).
  std::string abs = (m_dir / "secret.txt").string();
  EXPECT_EQ(resolve(abs).verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve("/" + abs).verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve(abs, "http://127.0.0.1:1" + abs).verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve("/../secret.txt", "http://h/../secret.txt").verdict, PathVerdict::BadRequest);
}

TEST_F(ServePathTest, SymlinksOutOfTheTreeOrIntoHiddenPlacesAreNotFollowed) {
  fs::create_symlink(m_dir / "secret.txt", m_root / "dist/out.txt");
  fs::create_directory_symlink(m_dir.path(), m_root / "up");
  write_file(m_root / ".hidden/file.txt", "hidden");
  fs::create_symlink(m_root / ".hidden/file.txt", m_root / "visible.txt");
  fs::create_symlink(m_root / "dist/channel-rust-stable.toml", m_root / "stable.toml");
  EXPECT_EQ(resolve("/dist/out.txt").verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve("/up/secret.txt").verdict, PathVerdict::NotFound);
  EXPECT_EQ(resolve("/visible.txt").verdict, PathVerdict::NotFound);
  // A link that stays inside the tree is fine.
  EXPECT_EQ(resolve("/stable.toml").file, m_root / "dist/channel-rust-stable.toml");
}

TEST_F(ServePathTest, DotFilesAndKeyMaterialAreHidden) {
  write_file(m_root / ".distbuild.lock", "");
  write_file(m_root / "dist/.staging-1/x", "");
  write_file(m_root / "gpg/pubring.kbx", "");
  write_file(m_root / "gpg/notes.txt", "");
  write_file(m_root / "signing.key", "");
  for (const std::string path :
       {"/.distbuild.lock", "/dist/.staging-1/x", "/gpg/pubring.kbx", "/gpg/notes.txt",
        "/signing.key", "/.git/config"}) {
    EXPECT_EQ(resolve(path).verdict, PathVerdict::NotFound) << path;
  }
  EXPECT_EQ(resolve("/.distbuild.lock", "/%2edistbuild.lock").verdict, PathVerdict::NotFound);
  for (const std::string name :
       {".lock", "x.key", "cert.pem", "secring.gpg", "trustdb.gpg", "pubring.kbx",
        "private-keys-v1.d", "S.gpg-agent", "release-secret-key.asc", "random_seed"}) {
    EXPECT_TRUE(is_hidden_name(name)) << name;
  }
  for (const std::string name :
       {"release-key.asc", "channel-rust-stable.toml.asc", "index.html", "SHA256SUMS",
        "rustup-init", "rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz"}) {
    EXPECT_FALSE(is_hidden_name(name)) << name;
  }
}

TEST(ServeContentType, ByFileName) {
  EXPECT_EQ(content_type_for("a/channel-rust-stable.toml"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("x.toml.sha256"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("x.tar.xz.asc"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("channel-rust-stable-date.txt"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("x.tar.gz"), "application/gzip");
  EXPECT_EQ(content_type_for("x.tar.xz"), "application/x-xz");
  EXPECT_EQ(content_type_for("x.tar.zst"), "application/zstd");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("SHA256SUMS"), "text/plain; charset=utf-8");
  EXPECT_EQ(content_type_for("rustup-init"), "application/octet-stream");
}

} // namespace
} // namespace distbuild::builder
