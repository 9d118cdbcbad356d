// publish_rustup and its helpers: the spec 3.5 layout byte for byte, executable modes, sidecars,
// signatures (FakeSigner), and the rules that keep clients safe: an archived version never
// changes, release-stable.toml and dist/<triple>/ never move back, a signed tree stays signed
// with its own key.
#include "builder/release/rustup_tree.hpp"
#include "builder/tree/rustup_release.hpp"
#include "manifest/semver.hpp"

#include "builder/tree/dist_tree.hpp"
#include "builder/web/index_page.hpp"
#include "tests/signing/fake_signer.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace distbuild::builder {
namespace {

using testutil::read_file;
using testutil::sha256_file;
using testutil::TempDir;
using testutil::write_file;
namespace fs = std::filesystem;

const std::string k_linux = "x86_64-unknown-linux-gnu";

unsigned mode_of(const fs::path& path) {
  struct stat info {};
  ::stat(path.c_str(), &info);
  return info.st_mode & 07777;
}

std::string error_of(const RustupPublishOptions& options) {
  try {
    publish_rustup(options);
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

TEST(RustupVersions, SemverPrecedence) {
  const std::vector<std::string> ordered{
      "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.29.0", "1.30.0-beta.1", "1.30.0", "99.0.0"};
  for (std::size_t i = 0; i < ordered.size(); ++i) {
    for (std::size_t j = 0; j < ordered.size(); ++j) {
      int expected = i < j ? -1 : (i == j ? 0 : 1);
      EXPECT_EQ(manifest::compare_versions(ordered[i], ordered[j]), expected)
          << ordered[i] << " vs " << ordered[j];
    }
  }
  EXPECT_EQ(manifest::compare_versions("1.29.0+build", "1.29.0"), 0);
  EXPECT_FALSE(manifest::compare_versions("1.29", "1.29.0"));
  EXPECT_FALSE(manifest::compare_versions("v1.29.0", "1.29.0"));
  EXPECT_FALSE(manifest::is_semver("01.2.3"));
  EXPECT_FALSE(manifest::is_semver("1.2.3/../x"));
}

TEST(RustupReleaseFile, BothQuoteStylesAndTheSchema) {
  EXPECT_EQ(render_rustup_release("1.29.0"), "schema-version = \"1\"\nversion = \"1.29.0\"\n");
  EXPECT_EQ(parse_rustup_release(render_rustup_release("1.29.0")), "1.29.0");
  EXPECT_EQ(parse_rustup_release("schema-version = '1'\nversion = '1.28.2'\n"), "1.28.2");
  EXPECT_FALSE(parse_rustup_release("schema-version = '2'\nversion = '1.28.2'\n"));
  EXPECT_FALSE(parse_rustup_release("version = '1.28.2'\n"));
  EXPECT_FALSE(parse_rustup_release("schema-version = '1'\nversion = 'latest'\n"));
}

TEST(RustupInitName, WindowsGetsExe) {
  EXPECT_EQ(rustup_init_name(k_linux), "rustup-init");
  EXPECT_EQ(rustup_init_name("x86_64-pc-windows-msvc"), "rustup-init.exe");
  EXPECT_EQ(rustup_init_name("aarch64-pc-windows-gnullvm"), "rustup-init.exe");
}

class PublishRustupTest : public ::testing::Test {
protected:
  void SetUp() override {
    write_file(m_dir / "bin/v1", "#!/bin/sh\necho rustup 1.29.0\n");
    write_file(m_dir / "bin/v2", "#!/bin/sh\necho rustup 1.30.0\n");
  }
  RustupPublishOptions options(const std::string& version, const std::string& binary,
                               const std::string& target = k_linux) {
    return {m_dir / "tree", m_dir / "bin" / binary, version, target, nullptr};
  }
  fs::path tree() const { return m_dir / "tree"; }
  TempDir m_dir;
};

TEST_F(PublishRustupTest, WritesTheSelfUpdateLayout) {
  auto result = publish_rustup(options("1.29.0", "v1"));
  const fs::path archived = tree() / "rustup/archive/1.29.0" / k_linux / "rustup-init";
  const fs::path latest = tree() / "rustup/dist" / k_linux / "rustup-init";
  const fs::path release = tree() / "rustup/release-stable.toml";
  ASSERT_TRUE(fs::exists(archived));
  ASSERT_TRUE(fs::exists(latest));
  EXPECT_EQ(read_file(archived), read_file(m_dir / "bin/v1"));
  EXPECT_EQ(read_file(latest), read_file(m_dir / "bin/v1"));
  EXPECT_EQ(mode_of(archived), 0755u);
  EXPECT_EQ(mode_of(latest), 0755u);
  EXPECT_EQ(read_file(archived.string() + ".sha256"),
            sha256_file(archived) + "  rustup-init\n");
  EXPECT_EQ(read_file(latest.string() + ".sha256"), sha256_file(latest) + "  rustup-init\n");
  EXPECT_EQ(read_file(release), "schema-version = \"1\"\nversion = \"1.29.0\"\n");
  EXPECT_EQ(read_file(release.string() + ".sha256"),
            sha256_file(release) + "  release-stable.toml\n");
  EXPECT_FALSE(fs::exists(archived.string() + ".asc"));
  EXPECT_TRUE(fs::is_directory(tree() / "dist"));  // a tree dist, sign and verify accept
  // The result says exactly what is on disk.
  EXPECT_EQ(result.archived.path, archived);
  EXPECT_EQ(result.archived.sha256, sha256_file(archived));
  EXPECT_EQ(result.archived.size, fs::file_size(archived));
  ASSERT_TRUE(result.latest);
  EXPECT_EQ(result.latest->path, latest);
  EXPECT_TRUE(result.release_updated);
  EXPECT_EQ(result.release_version, "1.29.0");
  EXPECT_EQ(result.release_file.sha256, sha256_file(release));
  // The page was refreshed and names the version.
  EXPECT_NE(read_file(tree() / "index.html").find("data-rustup-version=\"1.29.0\""),
            std::string::npos);
  EXPECT_EQ(read_file(tree() / "index.html.sha256"),
            sha256_file(tree() / "index.html") + "  index.html\n");
}

TEST_F(PublishRustupTest, WindowsTriplesPublishAnExe) {
  publish_rustup(options("1.29.0", "v1", "x86_64-pc-windows-msvc"));
  EXPECT_TRUE(fs::exists(tree() / "rustup/archive/1.29.0/x86_64-pc-windows-msvc/rustup-init.exe"));
  EXPECT_TRUE(fs::exists(tree() / "rustup/dist/x86_64-pc-windows-msvc/rustup-init.exe.sha256"));
}

TEST_F(PublishRustupTest, NeverMovesBackAndNeverChangesAPublishedVersion) {
  publish_rustup(options("1.30.0", "v2"));
  auto older = publish_rustup(options("1.29.0", "v1"));
  EXPECT_FALSE(older.release_updated);
  EXPECT_FALSE(older.latest);
  EXPECT_EQ(older.release_version, "1.30.0");
  EXPECT_EQ(read_file(tree() / "rustup/release-stable.toml"),
            "schema-version = \"1\"\nversion = \"1.30.0\"\n");
  EXPECT_EQ(read_file(tree() / "rustup/dist" / k_linux / "rustup-init"),
            read_file(m_dir / "bin/v2"));
  // The older one is archived all the same (pinning it stays possible).
  EXPECT_EQ(read_file(tree() / "rustup/archive/1.29.0" / k_linux / "rustup-init"),
            read_file(m_dir / "bin/v1"));
  EXPECT_EQ(older.notes, (std::vector<std::string>{
                             "rustup/dist/x86_64-unknown-linux-gnu/rustup-init kept: 1.30.0 is "
                             "newer",
                             "rustup/release-stable.toml kept: it offers 1.30.0, newer than 1.29.0"}));

  // Same bytes again: fine. Other bytes under a published version: refused, nothing changes.
  EXPECT_NO_THROW(publish_rustup(options("1.30.0", "v2")));
  const fs::path archived = tree() / "rustup/archive/1.30.0" / k_linux / "rustup-init";
  EXPECT_EQ(error_of(options("1.30.0", "v1")),
            archived.string() +
                ": already holds another rustup-init for 1.30.0; a published version never "
                "changes, publish a new version");
  EXPECT_EQ(read_file(archived), read_file(m_dir / "bin/v2"));
}

TEST_F(PublishRustupTest, RefusesBadInputsBeforeWriting) {
  EXPECT_EQ(error_of(options("1.29", "v1")),
            "--version: '1.29' is not a semver version like 1.29.0");
  EXPECT_EQ(error_of(options("1.29.0", "v1", "Not A Triple")),
            "--target: 'Not A Triple' is not a target triple");
  EXPECT_EQ(error_of(options("1.29.0", "missing")), (m_dir / "bin/missing").string() +
                                                        ": is not a file");
  EXPECT_FALSE(fs::exists(tree()));
  write_file(tree() / "dist/channel-rust-stable.toml", "x");
  auto inside_dist = options("1.29.0", "v1");
  inside_dist.tree = tree() / "dist";
  EXPECT_NE(error_of(inside_dist).find("it looks like the dist/ directory of a tree"),
            std::string::npos);
}

TEST_F(PublishRustupTest, SignsEveryFileAndKeepsATreeOnItsKey) {
  signing::FakeSigner signer;
  auto signed_options = options("1.29.0", "v1");
  signed_options.signer = &signer;
  auto result = publish_rustup(signed_options);
  EXPECT_EQ(result.signing_fingerprint, signing::FakeSigner::k_default_fingerprint);
  const fs::path archived = tree() / "rustup/archive/1.29.0" / k_linux / "rustup-init";
  for (const fs::path& file :
       {archived, tree() / "rustup/dist" / k_linux / "rustup-init",
        tree() / "rustup/release-stable.toml", tree() / "index.html"}) {
    ASSERT_TRUE(fs::exists(file.string() + ".asc")) << file;
    EXPECT_EQ(read_file(file.string() + ".asc"), signer.sign_file(file)) << file;
  }
  EXPECT_TRUE(result.archived.signed_file);
  EXPECT_EQ(read_file(tree() / "release-key.fingerprint"),
            std::string(signing::FakeSigner::k_default_fingerprint) + "\n");

  // The tree is signed now: unsigned or other-key publishes are refused.
  EXPECT_EQ(error_of(options("1.30.0", "v2")),
            tree().string() + ": the tree is signed with " +
                signing::FakeSigner::k_default_fingerprint +
                " (release-key.fingerprint); give --sign-key for each, or the files published "
                "now would be unsigned and the older signatures stale");
  signing::FakeSigner other("0000000000000000000000000000000000000001");
  auto other_options = options("1.30.0", "v2");
  other_options.signer = &other;
  EXPECT_NE(error_of(other_options).find("change keys with --rotate-key"), std::string::npos);
  EXPECT_FALSE(fs::exists(tree() / "rustup/archive/1.30.0"));

  // Asked for, the key changes: every file of the tree is re-signed with the new key.
  other_options.rotate_keys = true;
  publish_rustup(other_options);
  EXPECT_EQ(read_file(tree() / "release-key.fingerprint"),
            "0000000000000000000000000000000000000001\n");
  EXPECT_EQ(read_file(tree() / "release-key.asc"), other.export_public_key());
  for (const auto& entry : fs::recursive_directory_iterator(tree())) {
    const fs::path& asc = entry.path();
    if (asc.extension() == ".asc" && asc.filename() != "release-key.asc") {
      const fs::path file = asc.parent_path() / asc.stem();
      EXPECT_EQ(read_file(asc), other.sign_file(file)) << asc;
    }
  }
}

} // namespace
} // namespace distbuild::builder
