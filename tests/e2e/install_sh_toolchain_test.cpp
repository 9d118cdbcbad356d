// The real thing: rustc, rust-std and cargo of the installed stable toolchain, packed (rustc is
// packed only here, once, gz + fast), installed with their own install.sh into an empty prefix,
// must compile and run hello world; --uninstall must leave the prefix empty.
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

TEST(InstallShToolchain, HelloWorldThenUninstallLeavesPrefixEmpty) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  DISTBUILD_REQUIRE(testutil::find_tool("tar") && testutil::find_tool("cc"), "tar and cc");
  const std::string host = "x86_64-unknown-linux-gnu";
  TempDir tmp;
  struct Part {
    std::string package, component;
  };
  std::vector<Part> parts = {{"rustc", "rustc-" + host}, {"rust-std", "rust-std-" + host},
                             {"cargo", "cargo-" + host}};
  fs::create_directories(tmp / "prefix");
  std::vector<fs::path> scripts;
  for (const Part& part : parts) {
    fs::path image = tmp / ("image-" + part.package);
    testutil::copy_component_image(*toolchain, part.component, image);
    auto r = testutil::run_distbuild({"pack", "--image", image.string(), "--component", part.component,
                                      "--package", part.package, "--version", "1.95.0", "--target",
                                      host, "--profile", "fast", "--formats", "gz", "--output-dir",
                                      (tmp / "dist").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    fs::remove_all(image);
    std::string stem = part.package + "-1.95.0-" + host;
    auto x = testutil::run_process({"tar", "-xzf", (tmp / "dist" / (stem + ".tar.gz")).string(), "-C",
                                    tmp.path().string()});
    ASSERT_EQ(x.exit_code, 0) << x.err;
    fs::remove(tmp / "dist" / (stem + ".tar.gz"));
    fs::path script = tmp / stem / "install.sh";
    auto install = testutil::run_process({"sh", script.string(), "--prefix=" + (tmp / "prefix").string()});
    ASSERT_EQ(install.exit_code, 0) << install.err;
    EXPECT_NE(install.out.find(part.component + " installed.\n"), std::string::npos) << install.out;
    scripts.push_back(script);
  }

  testutil::write_file(tmp / "hello.rs", "fn main() { println!(\"hello from distbuild\"); }\n");
  auto compile = testutil::run_process({(tmp / "prefix/bin/rustc").string(), (tmp / "hello.rs").string(),
                                        "-o", (tmp / "hello").string()},
                                       {{"PATH", "/usr/bin:/bin"}}, tmp.path(), true);
  ASSERT_EQ(compile.exit_code, 0) << compile.err;
  EXPECT_EQ(testutil::run_process({(tmp / "hello").string()}).out, "hello from distbuild\n");
  auto cargo = testutil::run_process({(tmp / "prefix/bin/cargo").string(), "--version"});
  EXPECT_EQ(cargo.exit_code, 0) << cargo.err;
  EXPECT_EQ(cargo.out.rfind("cargo 1.", 0), 0u) << cargo.out;

  EXPECT_EQ(testutil::read_file(tmp / "prefix/lib/rustlib/components"),
            "rustc-" + host + "\nrust-std-" + host + "\ncargo-" + host + "\n");
  for (const fs::path& script : scripts) {
    auto u = testutil::run_process({"sh", script.string(), "--uninstall", "--prefix=" + (tmp / "prefix").string()});
    ASSERT_EQ(u.exit_code, 0) << u.err;
  }
  EXPECT_TRUE(fs::is_empty(tmp / "prefix"));
}

} // namespace
} // namespace distbuild
