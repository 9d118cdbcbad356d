// read_elf_dynamic and complete_host_libraries on real ELF files built here with cc: a program
// needing a library of the "input prefix", which needs another; the check packs both into the
// right package, and names binary and library when one is nowhere. read_elf_dynamic is checked
// against readelf, an independent reader.
#include "cross/elf_dynamic.hpp"
#include "cross/host_libraries.hpp"

#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::cross {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

// lib<name>.so (soname lib<name>.so) calling each of `uses`, built in `dir`.
void build_library(const fs::path& dir, const std::string& name,
                   const std::vector<std::string>& uses = {}) {
  std::string body = "int " + name + "(void) { return 1";
  std::string decls;
  for (const auto& use : uses) {
    decls += "int " + use + "(void);\n";
    body += " + " + use + "()";
  }
  testutil::write_file(dir / (name + ".c"), decls + body + "; }\n");
  std::vector<std::string> argv{"cc", "-shared", "-fPIC", "-o", (dir / ("lib" + name + ".so")).string(),
                                "-Wl,-soname,lib" + name + ".so", (dir / (name + ".c")).string(),
                                "-L" + dir.string()};
  for (const auto& use : uses) {
    argv.push_back("-l" + use);
  }
  auto r = testutil::run_process(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

void build_program(const fs::path& out, const fs::path& lib_dir, const std::string& uses,
                   const std::string& runpath = "") {
  testutil::write_file(out.string() + ".c",
                       "int " + uses + "(void);\nint main(void) { return " + uses + "() - 1; }\n");
  std::vector<std::string> argv{"cc", "-o", out.string(), out.string() + ".c",
                                "-L" + lib_dir.string(), "-Wl,-rpath-link," + lib_dir.string(),
                                "-l" + uses};
  if (!runpath.empty()) {
    argv.push_back("-Wl,--enable-new-dtags,-rpath," + runpath);
  }
  auto r = testutil::run_process(argv);
  ASSERT_EQ(r.exit_code, 0) << r.err;
}

#define REQUIRE_CC() DISTBUILD_REQUIRE(testutil::find_tool("cc").has_value(), "cc (build-essential)")

TEST(ElfDynamic, ReadsWhatReadelfReads) {
  DISTBUILD_REQUIRE(testutil::find_tool("readelf").has_value(), "readelf (binutils)");
  const fs::path binary = testutil::distbuild_binary();
  auto dynamic = read_elf_dynamic(binary);
  ASSERT_TRUE(dynamic);
  auto readelf = testutil::run_process({"readelf", "-d", binary.string()});
  ASSERT_EQ(readelf.exit_code, 0);
  std::vector<std::string> expected;
  for (std::size_t at = readelf.out.find("(NEEDED)"); at != std::string::npos;
       at = readelf.out.find("(NEEDED)", at + 1)) {
    const auto open = readelf.out.find('[', at);
    expected.push_back(readelf.out.substr(open + 1, readelf.out.find(']', open) - open - 1));
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(dynamic->needed, expected);
  EXPECT_FALSE(read_elf_dynamic(testutil::source_dir() / "README.md"));
}

TEST(HostLibraries, PoolLibrariesArePackedWithWhatNeedsThemAndMissingOnesNamed) {
  REQUIRE_CC();
  TempDir dir;
  const fs::path pool_dir = dir / "prefix/lib/x86_64-linux-gnu";
  fs::create_directories(pool_dir);
  build_library(pool_dir, "deep");
  build_library(pool_dir, "shared", {"deep"});
  build_library(pool_dir, "cargoonly");
  build_library(pool_dir, "nowhere");
  // rustc's driver needs libshared (which needs libdeep); cargo needs libcargoonly and libshared;
  // clippy's tool needs libnowhere, which the pool will not have.
  fs::create_directories(dir / "rustc/bin");
  fs::create_directories(dir / "cargo/bin");
  fs::create_directories(dir / "clippy/bin");
  build_program(dir / "rustc/bin/rustc", pool_dir, "shared", "$ORIGIN/../lib");
  build_program(dir / "cargo/bin/cargo", pool_dir, "cargoonly");
  build_program(dir / "clippy/bin/cargo-clippy", pool_dir, "nowhere");
  fs::remove(dir / "rustc/bin/rustc.c");
  const std::map<std::string, fs::path> pool{
      {"libdeep.so", pool_dir / "libdeep.so"},
      {"libshared.so", pool_dir / "libshared.so"},
      {"libcargoonly.so", pool_dir / "libcargoonly.so"}};
  const std::string host = "x86_64-unknown-linux-gnu";
  const std::vector<HostImage> images{{"rustc", host, dir / "rustc", true, "in"},
                                      {"cargo", host, dir / "cargo", true, "in"},
                                      {"clippy-preview", host, dir / "clippy", true, "in"}};
  auto report = complete_host_libraries(images, pool);
  EXPECT_TRUE(fs::is_regular_file(dir / "rustc/lib/libshared.so"));
  EXPECT_TRUE(fs::is_regular_file(dir / "rustc/lib/libdeep.so")) << "needed through libshared";
  EXPECT_TRUE(fs::is_regular_file(dir / "cargo/lib/libcargoonly.so"));
  EXPECT_FALSE(fs::exists(dir / "rustc/lib/libcargoonly.so"));
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_EQ(report.problems.front().find("in: clippy-preview for " + host +
                                         ": bin/cargo-clippy needs libnowhere.so, which is "
                                         "neither in the toolchain"),
            0u)
      << report.problems.front();
  ASSERT_EQ(report.added.size(), 2u);  // one line per package that got libraries
  EXPECT_EQ(report.added[0].find("rustc for " + host), 0u) << report.added[0];
  EXPECT_NE(report.added[0].find("libdeep.so, libshared.so"), std::string::npos) << report.added[0];

  // Run again on the completed images: everything resolves in the toolchain now.
  auto again = complete_host_libraries({images[0], images[1]}, {});
  EXPECT_TRUE(again.problems.empty()) << again.problems.front();
  EXPECT_TRUE(again.added.empty());
}

TEST(HostLibraries, BaseSystemLibrariesNeedNotBeShipped) {
  for (const char* name : {"libc.so.6", "libm.so.6", "libgcc_s.so.1", "libstdc++.so.6",
                           "libz.so.1", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"}) {
    EXPECT_TRUE(is_base_system_library(name)) << name;
  }
  for (const char* name : {"libLLVM-14.so.1", "libgit2.so.1.5", "libssl.so.3"}) {
    EXPECT_FALSE(is_base_system_library(name)) << name;
  }
}

} // namespace
} // namespace distbuild::cross
