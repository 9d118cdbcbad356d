// The tree's checksum files as sha256sum(1) reads them: every .sha256 and SHA256SUMS that
// dist_tree writes is checked with the real `sha256sum -c`; links replace their target whole.
#include "builder/tree/dist_tree.hpp"

#include "builder/tree/atomic_file.hpp"
#include "manifest/release_name.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::run_process;
using testutil::TempDir;

TEST(DistTree, Sha256LineIsSha256sumsTextFormat) {
  EXPECT_EQ(sha256_line(std::string(64, 'a'), "x.tar.gz"), std::string(64, 'a') + "  x.tar.gz\n");
}

TEST(DistTree, SidecarsAndSha256sumsPassTheRealSha256sum) {
  TempDir dir;
  const std::string hex = write_with_sha256(dir.path(), "channel-rust-stable.toml", "[pkg]\n");
  EXPECT_EQ(hex, testutil::sha256_file(dir / "channel-rust-stable.toml"));
  write_with_sha256(dir.path(), "rustc-1.95.0-x86_64-unknown-linux-gnu.tar.gz", "bytes");
  write_sha256sums(dir.path());
  for (const std::string list : {"channel-rust-stable.toml.sha256", "SHA256SUMS"}) {
    auto check = run_process({"sha256sum", "--check", "--strict", list}, {}, dir.path());
    EXPECT_EQ(check.exit_code, 0) << list << ": " << check.out << check.err;
  }
  const std::string sums = read_file(dir / "SHA256SUMS");
  EXPECT_NE(sums.find("  rustc-1.95.0-x86_64-unknown-linux-gnu.tar.gz\n"), std::string::npos);
  EXPECT_EQ(sums.find(".sha256"), std::string::npos) << "sidecars are not listed";

  // A file changed behind the sidecar's back is caught by the real tool.
  write_file_atomically(dir / "channel-rust-stable.toml", "[pkg.tampered]\n");
  auto check = run_process({"sha256sum", "--check", "channel-rust-stable.toml.sha256"}, {},
                           dir.path());
  EXPECT_NE(check.exit_code, 0);
}

TEST(DistTree, SidecarNames) {
  EXPECT_TRUE(is_sidecar("dist/x.tar.gz.sha256"));
  EXPECT_TRUE(is_sidecar("dist/x.tar.gz.asc"));
  EXPECT_FALSE(is_sidecar("dist/x.tar.gz"));
  EXPECT_FALSE(is_sidecar("dist/SHA256SUMS"));
}

TEST(DistTree, LinkReplacesTheTargetAndSharesTheBytes) {
  TempDir dir;
  write_file_atomically(dir / "dated", "new");
  write_file_atomically(dir / "top", "old");
  link_or_copy_atomically(dir / "dated", dir / "top");
  EXPECT_EQ(read_file(dir / "top"), "new");
  struct stat a {}, b {};
  ASSERT_EQ(::stat((dir / "dated").c_str(), &a), 0);
  ASSERT_EQ(::stat((dir / "top").c_str(), &b), 0);
  EXPECT_EQ(a.st_ino, b.st_ino);  // a hard link on one file system: no second copy on disk
}

TEST(DistTree, TodayIsAValidReleaseDate) {
  EXPECT_TRUE(manifest::is_valid_date(today_utc())) << today_utc();
}

} // namespace
} // namespace distbuild::builder
