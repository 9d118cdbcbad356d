#include "builder/inspect/installer_reader.hpp"

#include "builder/tree/error.hpp"
#include "builder/pack/pack.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

using testutil::TempDir;

// Builds a small installer with python3's tarfile; `extra` is Python code run with `tar` open
// (variables: tar, info(name, data), top).
fs::path python_tarball(const fs::path& dir, const std::string& name, const std::string& mode,
                        const std::string& extra, const std::string& format = "tarfile.GNU_FORMAT") {
  std::string script =
      "import io, sys, tarfile\n"
      "top = 'pkg'\n"
      "tar = tarfile.open(sys.argv[1], '" + mode + "', format=" + format + ")\n"
      "def info(name, data, kind=tarfile.REGTYPE):\n"
      "    ti = tarfile.TarInfo(name); ti.size = len(data); ti.type = kind; ti.mode = 0o644\n"
      "    tar.addfile(ti, io.BytesIO(data))\n"
      "def dirinfo(name):\n"
      "    ti = tarfile.TarInfo(name); ti.type = tarfile.DIRTYPE; ti.mode = 0o755; tar.addfile(ti)\n" +
      extra + "\ntar.close()\n";
  fs::path out = dir / name;
  auto r = testutil::run_process({"python3", "-c", script, out.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return out;
}

const std::string k_good_body =
    "dirinfo(top)\n"
    "info(top + '/rust-installer-version', b'3\\n')\n"
    "info(top + '/components', b'comp\\n')\n"
    "dirinfo(top + '/comp')\n"
    "info(top + '/comp/manifest.in', b'file:bin/x\\n')\n"
    "dirinfo(top + '/comp/bin')\n"
    "info(top + '/comp/bin/x', b'x')\n";

TEST(InstallerReader, GoodHandMadeTarballPasses) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  fs::path t = python_tarball(tmp.path(), "good.tar.gz", "w:gz", k_good_body);
  EXPECT_EQ(check_installer_structure(t), std::vector<std::string>{});
  InstallerInfo info = read_installer(t);
  EXPECT_EQ(info.top_dir, "pkg");
  EXPECT_EQ(info.manifest_in["comp"], std::vector<std::string>{"file:bin/x"});
}

TEST(InstallerReader, FindsSymlink) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  fs::path t = python_tarball(tmp.path(), "link.tar.xz", "w:xz",
                              k_good_body +
                                  "ti = tarfile.TarInfo(top + '/comp/bin/y'); ti.type = tarfile.SYMTYPE; "
                                  "ti.linkname = 'x'; tar.addfile(ti)\n");
  EXPECT_EQ(check_installer_structure(t),
            std::vector<std::string>{"pkg/comp/bin/y: is a symlink; rustup accepts only directories "
                                     "and regular files (tar entry kind 'Symlink' is not supported)"});
}

TEST(InstallerReader, FindsPaxGlobalHeader) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  std::string body = "tar.pax_headers = {'comment': 'made by git archive'}\n" + k_good_body;
  fs::path t = python_tarball(tmp.path(), "global.tar", "w", body, "tarfile.PAX_FORMAT");
  // python writes the global header only when pax_headers is given to open(); do it by hand.
  std::string script =
      "import io, sys, tarfile\n"
      "src = tarfile.open(sys.argv[1])\n"
      "out = tarfile.open(sys.argv[2], 'w:gz', format=tarfile.PAX_FORMAT, pax_headers={'comment': 'x'})\n"
      "for m in src.getmembers():\n"
      "    out.addfile(m, src.extractfile(m) if m.isfile() else None)\n"
      "out.close()\n";
  fs::path g = tmp / "global.tar.gz";
  ASSERT_EQ(testutil::run_process({"python3", "-c", script, t.string(), g.string()}).exit_code, 0);
  EXPECT_EQ(check_installer_structure(g),
            std::vector<std::string>{"pax global header (entry 1): rustup fails with \"tar entry "
                                     "kind 'XGlobalHeader' is not supported\""});
}

TEST(InstallerReader, FindsDotSlashPrefix) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  std::string body = "top = './pkg'\n" + k_good_body;
  fs::path t = python_tarball(tmp.path(), "dot.tar.gz", "w:gz", body);
  std::vector<std::string> problems = check_installer_structure(t);
  ASSERT_FALSE(problems.empty());
  EXPECT_EQ(problems[0], "./pkg: starts with './', so rustup takes '.' as the top directory and "
                         "cannot find the installer files");
}

TEST(InstallerReader, FindsSecondGzipMemberAndXzStream) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  fs::path t = python_tarball(tmp.path(), "one.tar.gz", "w:gz", k_good_body);
  std::string one = testutil::read_file(t);
  testutil::write_file(tmp / "two.tar.gz", one + one);
  EXPECT_EQ(check_installer_structure(tmp / "two.tar.gz"),
            std::vector<std::string>{"more than one gzip member: " + std::to_string(one.size()) +
                                     " bytes follow the first one (rustup reads only one gzip member)"});
  fs::path x = python_tarball(tmp.path(), "one.tar.xz", "w:xz", k_good_body);
  std::string xz = testutil::read_file(x);
  testutil::write_file(tmp / "two.tar.xz", xz + xz);
  EXPECT_EQ(check_installer_structure(tmp / "two.tar.xz").size(), 1u);
}

TEST(InstallerReader, FindsLayoutProblems) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  fs::path t = python_tarball(tmp.path(), "bad.tar.gz", "w:gz",
                              "dirinfo(top)\n"
                              "info(top + '/rust-installer-version', b'4\\n')\n"
                              "info(top + '/components', b'comp\\nother\\n')\n"
                              "info(top + '/comp/manifest.in', b'file:bin/x\\n\\nlink:bin/y\\nfile:bin/gone\\n')\n"
                              "info(top + '/comp/bin/x', b'x')\n"
                              "info('second/file', b'x')\n"
                              "info('/abs/file', b'x')\n"
                              "info(top + '/../up', b'x')\n");
  EXPECT_EQ(check_installer_structure(t),
            (std::vector<std::string>{
                "/abs/file: absolute path (rustup: tar path is not supported)",
                "pkg/../up: contains '..' (rustup: tar path is not supported)",
                "more than one top directory (abs, pkg, second); rustup strips exactly one",
                "pkg/rust-installer-version: is '4', rustup accepts only 3",
                "pkg/comp/manifest.in: line 2 is blank (rustup: component manifest is corrupt)",
                "pkg/comp/manifest.in: line 3: 'link:bin/y' is not file:<path> or dir:<path>",
                "pkg/comp/manifest.in: line 4: file:bin/gone is not in the tarball",
                "pkg/other/manifest.in: missing",
            }));
}

TEST(InstallerReader, ExtractWritesFilesWithModes) {
  TempDir tmp;
  PackRequest request;
  request.package_name = "demo-0.1.0";
  request.components = {ComponentImage{"demo-tool", testutil::example_image(), {}}};
  request.output_dir = tmp / "out";
  request.formats = {Format::Zst};
  request.profile = Profile::Fast;
  PackResult result = pack(request);
  extract_installer(result.files[0].path, tmp / "x");
  EXPECT_EQ(testutil::read_file(tmp / "x/demo-0.1.0/components"), "demo-tool\n");
  EXPECT_EQ(fs::status(tmp / "x/demo-0.1.0/demo-tool/bin/demo-tool").permissions(), fs::perms(0755));
  EXPECT_EQ(fs::status(tmp / "x/demo-0.1.0/demo-tool/lib/demo-tool/data.txt").permissions(),
            fs::perms(0644));
}

TEST(InstallerReader, NotAnInstaller) {
  TempDir tmp;
  testutil::write_file(tmp / "x.tar.gz", "plain text");
  try {
    read_installer(tmp / "x.tar.gz");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (tmp / "x.tar.gz").string() + ": not a gzip, xz or zstd file");
  }
}

} // namespace
} // namespace distbuild::builder
