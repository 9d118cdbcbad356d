// distro_prefix: where each file of a distro's /usr prefix goes in rustup's layout.
#include "cross/distro_prefix.hpp"

#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::cross {
namespace {

namespace fs = std::filesystem;
const std::string k_host = "x86_64-unknown-linux-gnu";

TEST(DistroPrefix, HostRuntimeLibrariesMoveToLibAndOthersArePooledOrLeftOut) {
  auto placed = place_distro_file("lib/x86_64-linux-gnu/librustc_driver-4c3beb7552356b6f.so", k_host);
  EXPECT_EQ(placed.place, DistroPlace::Keep);
  EXPECT_EQ(placed.rel, "lib/librustc_driver-4c3beb7552356b6f.so");
  placed = place_distro_file("lib/x86_64-linux-gnu/libgit2.so.1.5", k_host);
  EXPECT_EQ(placed.place, DistroPlace::Library);
  EXPECT_EQ(placed.rel, "libgit2.so.1.5");
  // Another architecture's std dylib is reached through lib/rustlib/<target>/lib.
  EXPECT_EQ(place_distro_file("lib/aarch64-linux-gnu/libstd-0123456789abcdef.so", k_host).place,
            DistroPlace::LeaveOut);
  EXPECT_EQ(place_distro_file("lib/llvm-14/lib/libLLVM-14.so", k_host).place, DistroPlace::LeaveOut);
  EXPECT_EQ(place_distro_file("share/doc/libgit2-1.5/copyright", k_host).place, DistroPlace::LeaveOut);
  EXPECT_EQ(place_distro_file("share/lintian/overrides/rustc", k_host).place, DistroPlace::LeaveOut);
  EXPECT_EQ(place_distro_file("share/doc/cargo/copyright", k_host).place, DistroPlace::Keep);
  EXPECT_EQ(place_distro_file("share/zsh/vendor-completions/_cargo", k_host).rel,
            "share/zsh/site-functions/_cargo");
  EXPECT_EQ(place_distro_file("lib/rustlib/x86_64-unknown-linux-gnu/lib/libcore-1.rlib", k_host).rel,
            "lib/rustlib/x86_64-unknown-linux-gnu/lib/libcore-1.rlib");
}

TEST(DistroPrefix, UsrOneLevelDownIsFoundAndItsLibrariesPooled) {
  testutil::TempDir dir;
  testutil::write_file(dir / "root/usr/bin/rustc", "rustc\n", true);
  testutil::write_file(dir / "root/usr/lib/x86_64-linux-gnu/libgit2.so.1.5.1", "lib\n");
  fs::create_symlink("libgit2.so.1.5.1", dir / "root/usr/lib/x86_64-linux-gnu/libgit2.so.1.5");
  testutil::write_file(dir / "root/lib/x86_64-linux-gnu/libtinfo.so.6", "lib\n");
  fs::create_symlink("nowhere.so.1", dir / "root/lib/x86_64-linux-gnu/libdangling.so.1");
  const auto located = locate_prefix(dir / "root");
  EXPECT_EQ(located.prefix, dir / "root/usr");
  EXPECT_TRUE(located.distro);
  const auto pool = library_pool(located);
  ASSERT_TRUE(pool.count("libgit2.so.1.5"));
  EXPECT_EQ(pool.at("libgit2.so.1.5"), fs::canonical(dir / "root/usr/lib/x86_64-linux-gnu/libgit2.so.1.5.1"));
  EXPECT_TRUE(pool.count("libtinfo.so.6"));
  EXPECT_FALSE(pool.count("libdangling.so.1"));
  // A plain install prefix stays what it is.
  testutil::write_file(dir / "plain/bin/rustc", "rustc\n", true);
  EXPECT_EQ(locate_prefix(dir / "plain").prefix, dir / "plain");
  EXPECT_FALSE(locate_prefix(dir / "plain").distro);
}

} // namespace
} // namespace distbuild::cross
