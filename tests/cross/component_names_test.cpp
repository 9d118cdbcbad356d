// parse_component_name: rustup's long names back into package and target.
#include "cross/component_names.hpp"

#include <gtest/gtest.h>

namespace distbuild::cross {
namespace {

void expect_split(const char* name, const char* package, const char* target) {
  const auto got = parse_component_name(name);
  EXPECT_EQ(got.package, package) << name;
  EXPECT_EQ(got.target, target) << name;
}

TEST(ComponentNames, UpstreamNames) {
  expect_split("rustc-x86_64-unknown-linux-gnu", "rustc", "x86_64-unknown-linux-gnu");
  expect_split("rust-std-armv7-unknown-linux-gnueabihf", "rust-std", "armv7-unknown-linux-gnueabihf");
  expect_split("clippy-preview-x86_64-unknown-linux-gnu", "clippy-preview", "x86_64-unknown-linux-gnu");
  expect_split("rustc-dev-aarch64-linux-android", "rustc-dev", "aarch64-linux-android");
  expect_split("rust-std-wasm32-wasip1", "rust-std", "wasm32-wasip1");
  expect_split("rust-std-wasm32v1-none", "rust-std", "wasm32v1-none");
  expect_split("rust-src", "rust-src", "*");
  expect_split("rust-docs-json-preview-x86_64-unknown-linux-gnu", "rust-docs-json-preview",
               "x86_64-unknown-linux-gnu");
}

TEST(ComponentNames, CustomTargets) {
  expect_split("rust-std-armv7-acme-linux-gnueabihf", "rust-std", "armv7-acme-linux-gnueabihf");
  expect_split("mytool-riscv64-acme-elf", "mytool", "riscv64-acme-elf");
}

} // namespace
} // namespace distbuild::cross
