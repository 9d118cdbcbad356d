// pack()'s rust-installer work dir (installer_dir.hpp) and prepared components (a manifest.in
// shipped verbatim, as combine needs): the directory holds exactly the tarball's entries, an old
// one is replaced whole, a failure leaves the old one, and no-op writes no tarball.
#include "builder/pack/installer_dir.hpp"

#include "builder/pack/pack.hpp"
#include "builder/tree/error.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

// "<rel> <mode> <content>" per file (install.sh: its size), "<rel>/ <mode>" per directory, sorted.
std::string listing(const fs::path& root) {
  std::vector<std::string> lines;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    auto mode = static_cast<unsigned>(entry.status().permissions() & fs::perms::mask);
    std::string rel = fs::relative(entry.path(), root).string();
    std::string content = entry.is_directory() ? "" : testutil::read_file(entry.path());
    if (entry.path().filename() == "install.sh") {
      content = std::to_string(content.size()) + " bytes";
    }
    lines.push_back(entry.is_directory() ? rel + "/ " + std::to_string(mode)
                                         : rel + " " + std::to_string(mode) + " " + content);
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) {
    out += line + "\n";
  }
  return out;
}

PackRequest request_for(const fs::path& tmp) {
  testutil::make_image(tmp / "image", {{"bin/tool*", "t"}, {"share/doc/x/a.html", "a"}});
  PackRequest request;
  request.package_name = "x-1.0";
  request.components = {ComponentImage{"x", tmp / "image", {"share/doc/x"}}};
  request.overlay_files = {{"version", "1.0\n"}};
  request.output_dir = tmp / "out";
  request.formats = {Format::Gz};
  request.profile = Profile::Fast;
  request.work_dir = tmp / "work";
  return request;
}

TEST(InstallerDir, PackLeavesTheTarballsContentInTheWorkDir) {
  DISTBUILD_REQUIRE(testutil::find_tool("tar"), "tar");
  TempDir tmp;
  PackRequest request = request_for(tmp.path());
  testutil::write_file(tmp / "work/x-1.0/x/stale", "from an earlier run");
  testutil::write_file(tmp / "work/other/kept", "not ours");
  PackResult result = pack(request);
  ASSERT_EQ(result.files.size(), 1u);
  // 493 = 0755, 420 = 0644.
  const std::string expected =
      "components 420 x\n\n"
      "install.sh 493 " + std::to_string(render_install_script(request.script).size()) +
      " bytes\n"
      "rust-installer-version 420 3\n\n"
      "version 420 1.0\n\n"
      "x/ 493\n"
      "x/bin/ 493\n"
      "x/bin/tool 493 t\n"
      "x/manifest.in 420 dir:share/doc/x\nfile:bin/tool\n\n"
      "x/share/ 493\n"
      "x/share/doc/ 493\n"
      "x/share/doc/x/ 493\n"
      "x/share/doc/x/a.html 420 a\n";
  fs::path unpacked = tmp / "unpacked";
  fs::create_directories(unpacked);
  ASSERT_EQ(testutil::run_process({"tar", "-xzf", result.files[0].path.string(), "-C",
                                   unpacked.string()}).exit_code, 0);
  EXPECT_EQ(listing(tmp / "work/x-1.0"), listing(unpacked / "x-1.0"));
  EXPECT_EQ(listing(tmp / "work/x-1.0"), expected);
  EXPECT_EQ(testutil::read_file(tmp / "work/other/kept"), "not ours");
}

TEST(InstallerDir, NoOpWritesOnlyTheWorkDir) {
  TempDir tmp;
  PackRequest request = request_for(tmp.path());
  request.write_tarballs = false;
  request.formats.clear();  // not needed without tarballs
  PackResult result = pack(request);
  EXPECT_TRUE(result.files.empty());
  EXPECT_FALSE(fs::exists(tmp / "out"));
  EXPECT_EQ(testutil::read_file(tmp / "work/x-1.0/x/bin/tool"), "t");
}

TEST(InstallerDir, AFailureLeavesThePreviousDirectory) {
  TempDir tmp;
  testutil::write_file(tmp / "work/pkg/old", "previous");
  std::vector<TarEntry> entries(3);
  entries[0].kind = TarEntry::Kind::Directory;
  entries[0].path = "pkg";
  entries[1].path = "pkg/generated";
  entries[1].content = "g";
  entries[2].path = "pkg/missing";
  entries[2].source = tmp / "does-not-exist";
  EXPECT_THROW(write_installer_dir(entries, tmp / "work"), Error);
  EXPECT_EQ(listing(tmp / "work"), "pkg/ 493\npkg/old 420 previous\n");
}

TEST(InstallerDir, PreparedComponentShipsItsManifestVerbatim) {
  TempDir tmp;
  testutil::make_image(tmp / "prepared", {{"bin/a*", "a"},
                                          {"bin/unlisted", "u"},
                                          {"manifest.in", "file:bin/a\n"}});
  PackRequest request;
  request.package_name = "p";
  request.components = {ComponentImage{"c", tmp / "prepared", {}}};
  request.prepared_manifests = {{"c", "file:bin/a\n"}};
  request.output_dir = tmp / "out";
  request.formats = {Format::Gz};
  request.profile = Profile::Fast;
  PackResult result = pack(request);
  EXPECT_EQ(testutil::tarball_member(result.files[0].path, "p/c/manifest.in"), "file:bin/a\n");
  EXPECT_EQ(testutil::tarball_member(result.files[0].path, "p/c/bin/unlisted"), "u");

  request.prepared_manifests["c"] = "file:bin/a\nfile:bin/gone\nbogus\n";
  request.output_dir = tmp / "out2";
  try {
    pack(request);
    FAIL() << "a manifest.in naming missing files was accepted";
  } catch (const Error& e) {
    const std::string where = (tmp / "prepared/manifest.in").string();
    EXPECT_EQ(std::string(e.what()),
              where + ": 'file:bin/gone' does not name a file or directory of the component\n"
              "distbuild: error: " + where +
                  ": 'bogus' does not name a file or directory of the component");
  }
  EXPECT_FALSE(fs::exists(tmp / "out2"));
}

} // namespace
} // namespace distbuild::builder
