// Packs real components of the installed stable toolchain (copied into a temp image; the
// toolchain is never modified) with the fast profile and checks the results with independent
// tools. rust-std and cargo only: rustc is packed once, by install_sh_toolchain_test.cpp.
#include "builder/inspect/installer_reader.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace distbuild {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::vector<std::string> manifest_files(const fs::path& toolchain, const std::string& name) {
  std::ifstream in(toolchain / "lib/rustlib" / ("manifest-" + name));
  std::vector<std::string> files;
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("file:", 0) == 0) files.push_back(line);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// rust-std (167 MB) skips xz to keep the suite fast; cargo (43 MB) writes all three formats.
void pack_real_component(const std::string& package, const std::string& component,
                         const std::vector<std::string>& formats) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  for (const char* tool : {"tar", "gzip", "xz", "zstd"}) {
    DISTBUILD_REQUIRE(testutil::find_tool(tool), tool);
  }
  const std::string host = "x86_64-unknown-linux-gnu";
  TempDir tmp;
  testutil::copy_component_image(*toolchain, component, tmp / "image");
  auto r = testutil::run_distbuild({"pack", "--image", (tmp / "image").string(), "--component",
                                    component, "--package", package, "--version", "1.95.0",
                                    "--target", host, "--profile", "fast", "--output-dir",
                                    (tmp / "dist").string(), "--formats", join(formats)});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string stem = package + "-1.95.0-" + host;
  fs::path base = tmp / "dist" / stem;
  std::string gz = base.string() + ".tar.gz", xz = base.string() + ".tar.xz",
              zst = base.string() + ".tar.zst";
  bool with_xz = std::find(formats.begin(), formats.end(), "xz") != formats.end();
  EXPECT_EQ(testutil::run_process({"gzip", "-t", gz}).exit_code, 0);
  if (with_xz) {
    auto xz_list = testutil::run_process({"xz", "--robot", "--list", xz});
    EXPECT_EQ(xz_list.exit_code, 0);
    EXPECT_NE(xz_list.out.find("\nfile\t1\t"), std::string::npos) << xz_list.out;  // one stream
    EXPECT_EQ(testutil::run_process({"xz", "-t", xz}).exit_code, 0);
  }
  auto zst_list = testutil::run_process({"zstd", "-lv", zst});
  EXPECT_NE(zst_list.out.find("# Zstandard Frames: 1\n"), std::string::npos) << zst_list.out;
  EXPECT_EQ(testutil::run_process({"zstd", "-q", "-t", zst}).exit_code, 0);

  // tar sees every file of rustup's own list, with the owner-x bit where the toolchain has it.
  auto listing = testutil::run_process({"tar", "-tf", gz});
  ASSERT_EQ(listing.exit_code, 0) << listing.err;
  for (const std::string& line : manifest_files(*toolchain, component)) {
    EXPECT_NE(listing.out.find(stem + "/" + component + "/" + line.substr(5) + "\n"), std::string::npos)
        << line;
  }
  for (const std::string& tarball : {gz, zst}) {
    EXPECT_EQ(builder::check_installer_structure(tarball), std::vector<std::string>{}) << tarball;
  }
  builder::InstallerInfo info = builder::read_installer(zst);
  std::vector<std::string> expected = manifest_files(*toolchain, component);
  EXPECT_EQ(info.manifest_in[component], expected);
}

TEST(PackToolchain, RustStd) {
  pack_real_component("rust-std", "rust-std-x86_64-unknown-linux-gnu", {"gz", "zst"});
}

TEST(PackToolchain, Cargo) {
  pack_real_component("cargo", "cargo-x86_64-unknown-linux-gnu", {"gz", "xz", "zst"});
}

} // namespace
} // namespace distbuild
