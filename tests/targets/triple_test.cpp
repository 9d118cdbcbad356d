// parse_triple: the four rustc triple shapes, and what is rejected.
#include "targets/triple.hpp"

#include <gtest/gtest.h>

namespace distbuild::targets {
namespace {

TEST(Triple, FourParts) {
  auto t = parse_triple("armv7-unknown-linux-gnueabihf");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->arch, "armv7");
  EXPECT_EQ(t->vendor, "unknown");
  EXPECT_EQ(t->os, "linux");
  EXPECT_EQ(t->env, "gnueabihf");
  EXPECT_EQ(t->text, "armv7-unknown-linux-gnueabihf");
}

TEST(Triple, ThreePartsVendorOs) {
  auto t = parse_triple("x86_64-apple-darwin");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->vendor, "apple");
  EXPECT_EQ(t->os, "darwin");
  EXPECT_EQ(t->env, "");
  auto w = parse_triple("wasm32-unknown-unknown");
  ASSERT_TRUE(w);
  EXPECT_EQ(w->vendor, "unknown");
  EXPECT_EQ(w->os, "unknown");
}

TEST(Triple, ThreePartsOsEnv) {
  auto android = parse_triple("aarch64-linux-android");
  ASSERT_TRUE(android);
  EXPECT_EQ(android->vendor, "");
  EXPECT_EQ(android->os, "linux");
  EXPECT_EQ(android->env, "android");
  auto thumb = parse_triple("thumbv8m.main-none-eabihf");
  ASSERT_TRUE(thumb);
  EXPECT_EQ(thumb->arch, "thumbv8m.main");
  EXPECT_EQ(thumb->os, "none");
  EXPECT_EQ(thumb->env, "eabihf");
  auto wasi = parse_triple("wasm32-wasip1-threads");
  ASSERT_TRUE(wasi);
  EXPECT_EQ(wasi->os, "wasip1");
  EXPECT_EQ(wasi->env, "threads");
}

TEST(Triple, TwoParts) {
  auto t = parse_triple("wasm32v1-none");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->arch, "wasm32v1");
  EXPECT_EQ(t->os, "none");
  EXPECT_TRUE(parse_triple("wasm32-wasip2"));
}

TEST(Triple, CustomTargetNamesParse) {
  EXPECT_TRUE(parse_triple("my-custom-target"));
  EXPECT_TRUE(parse_triple("armv7-acme-linux-gnueabihf"));
}

TEST(Triple, Rejects) {
  for (const char* bad : {"", "x86_64", "x86_64--linux", "-x86_64-linux", "x86_64-linux-",
                          "X86_64-unknown-linux-gnu", "x86_64 unknown linux", "x86_64/unknown-linux",
                          "a-b-c-d-e", "../etc-passwd", "armv7-unknown-linux-gnueabihf\n"}) {
    EXPECT_FALSE(parse_triple(bad)) << bad;
  }
}

} // namespace
} // namespace distbuild::targets
