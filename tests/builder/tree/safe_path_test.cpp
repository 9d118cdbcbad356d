// The one rule for outside paths (safe_path.hpp): what is normalised, what is refused and how
// the refusal names the input and the value.
#include "builder/tree/safe_path.hpp"

#include "builder/tree/error.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

PathFault fault_of(std::string_view text, PathRules rules = {}) {
  return check_outside_path(text, rules).fault;
}

TEST(SafePath, NormalisesEmptyAndDotSegments) {
  EXPECT_EQ(check_outside_path("2026-04-16/x.tar.xz").normal(), "2026-04-16/x.tar.xz");
  EXPECT_EQ(check_outside_path("a//./b/").normal(), "a/b");
  EXPECT_EQ(check_outside_path("./a").normal(), "a");
}

TEST(SafePath, RefusesWhatLeavesOrSmuggles) {
  EXPECT_EQ(fault_of(""), PathFault::Empty);
  EXPECT_EQ(fault_of("./"), PathFault::Empty);
  EXPECT_EQ(fault_of("/ABS/PATH/x.tar.gz"), PathFault::Absolute);
  EXPECT_EQ(fault_of("../x"), PathFault::ParentStep);
  EXPECT_EQ(fault_of("a/../b"), PathFault::ParentStep);  // refused, never resolved
  EXPECT_EQ(fault_of("a/.."), PathFault::ParentStep);
  EXPECT_EQ(fault_of("a\\..\\b"), PathFault::BadCharacter);
  EXPECT_EQ(fault_of(std::string_view("a\0b", 3)), PathFault::BadCharacter);
  EXPECT_EQ(fault_of("a\nb"), PathFault::BadCharacter);
  EXPECT_EQ(fault_of(".distbuild.lock"), PathFault::Hidden);
  EXPECT_EQ(fault_of("dist/.staging-1/x"), PathFault::Hidden);
  // A structural fault wins over a hidden name wherever it sits.
  EXPECT_EQ(fault_of(".git/../x"), PathFault::ParentStep);
}

TEST(SafePath, RulesForTarballsUrlsAndNames) {
  PathRules tarball;
  tarball.allow_hidden = true;
  EXPECT_EQ(check_outside_path("pkg/.gitignore", tarball).normal(), "pkg/.gitignore");
  EXPECT_EQ(fault_of("pkg/../../x", tarball), PathFault::ParentStep);

  PathRules url;
  url.from_url = true;
  EXPECT_EQ(fault_of("%2e%2e/x", url), PathFault::BadCharacter);
  EXPECT_EQ(fault_of("x.tar.xz?v=1", url), PathFault::BadCharacter);
  EXPECT_EQ(fault_of("x.tar.xz#frag", url), PathFault::BadCharacter);
  EXPECT_TRUE(check_outside_path("2026-04-16/rust-std-1.95.0-x86_64-unknown-linux-gnu.tar.xz", url)
                  .ok());

  PathRules name;
  name.single_name = true;
  EXPECT_EQ(fault_of("sub/x", name), PathFault::NotAName);
  EXPECT_EQ(fault_of("../../../x", name), PathFault::ParentStep);
  EXPECT_TRUE(check_outside_path("2026-04-16", name).ok());
}

TEST(SafePath, PathInsideNamesTheInputAndTheValue) {
  EXPECT_EQ(path_inside("/tree", "dist/x", "m.toml", "URL path"), fs::path("/tree/dist/x"));
  try {
    path_inside("/tree", "/etc/passwd", "channel-rust-stable.toml", "URL path");
    FAIL() << "an absolute path was joined";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "channel-rust-stable.toml: URL path '/etc/passwd' is absolute: it would replace "
              "the tree's root");
  }
}

TEST(SafePath, UrlTail) {
  EXPECT_EQ(url_tail("https://h/dist/a/b", "https://h/dist"), "a/b");
  EXPECT_EQ(url_tail("https://h/dist//ABS", "https://h/dist"), "/ABS");
  EXPECT_EQ(url_tail("https://h/distant/a", "https://h/dist"), std::nullopt);
  EXPECT_EQ(url_tail("https://other/dist/a", "https://h/dist"), std::nullopt);
}

TEST(SafePath, DirectoriesAreNotCreatedThroughSymlinks) {
  testutil::TempDir dir;
  fs::create_directories(dir / "tree/dist");
  fs::create_directories(dir / "elsewhere");
  fs::create_directory_symlink(dir / "elsewhere", dir / "tree/dist/2026-04-16");
  create_directories_inside(dir / "tree", "dist/2026-04-17/sub");
  EXPECT_TRUE(fs::is_directory(dir / "tree/dist/2026-04-17/sub"));
  EXPECT_THROW(create_directories_inside(dir / "tree", "dist/2026-04-16/sub"), Error);
  EXPECT_TRUE(fs::is_empty(dir / "elsewhere"));
}

} // namespace
} // namespace distbuild::builder
