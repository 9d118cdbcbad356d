// Installer tarballs from outside (installer_reader.hpp): memory stays bounded whatever the
// archive holds (input_limits.hpp), and extraction never follows a link entry out of its
// destination (safe_path.hpp).
#include "builder/inspect/installer_reader.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "tests/testutil/metadata_bomb.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::string error_of(const fs::path& tarball) {
  try {
    read_installer(tarball);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

bool has_problem(const std::vector<std::string>& problems, const std::string& text) {
  return std::any_of(problems.begin(), problems.end(),
                     [&](const std::string& p) { return p.find(text) != std::string::npos; });
}

TEST(InstallerLimits, MetadataAddingUpPastTheLimitIsRefusedNotHeld) {
  TempDir tmp;
  const fs::path bomb = tmp / "bomb.tar.zst";
  testutil::write_metadata_bomb(bomb, "pkg", 3, 30 * k_mib);  // 90 MiB of manifest.in
  EXPECT_EQ(error_of(bomb), bomb.string() + ": pkg/comp2/manifest.in: the installer's metadata "
                                            "files add up to more than 64 MiB, the limit");
  EXPECT_TRUE(has_problem(check_installer_structure(bomb),
                          "the tarball holds metadata files of more than 64 MiB (distbuild's "
                          "limit); the rest is not checked"));
}

TEST(InstallerLimits, OneMetadataFileOverItsLimitIsRefused) {
  TempDir tmp;
  const fs::path big = tmp / "big.tar.zst";
  testutil::write_metadata_bomb(big, "pkg", 1, 33 * k_mib);
  EXPECT_EQ(error_of(big), big.string() + ": pkg/comp0/manifest.in: is larger than 32 MiB, the "
                                          "limit for one installer metadata file");
}

// An xz header may claim a 1.5 GiB dictionary, which a small bomb then fills: the decoder is
// refused before it allocates anything over 256 MiB (input_limits.hpp).
TEST(InstallerLimits, AnXzDictionaryOverTheDecoderLimitIsRefused) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  const fs::path xz = tmp / "huge-dict.tar.xz";
  const std::string script =
      "import lzma, struct, sys, zlib\n"
      "data = bytearray(lzma.compress(b'x' * 1000, format=lzma.FORMAT_XZ,\n"
      "    filters=[{'id': lzma.FILTER_LZMA2, 'dict_size': 1 << 20}]))\n"
      "size = (data[12] + 1) * 4\n"
      "assert data[13] == 0 and data[14] == 0x21 and data[15] == 1, data[12:20]\n"
      "data[16] = 40  # LZMA2 dictionary 1.5 GiB\n"
      "data[12 + size - 4:12 + size] = struct.pack('<I', zlib.crc32(bytes(data[12:12 + size - 4])))\n"
      "open(sys.argv[1], 'wb').write(data)\n";
  ASSERT_EQ(testutil::run_process({"python3", "-c", script, xz.string()}).exit_code, 0);
  const std::string refused = xz.string() + ": xz data whose decoder needs more than 256 MiB (its "
                                            "dictionary), distbuild's limit";
  EXPECT_EQ(error_of(xz), refused);
  EXPECT_EQ(check_installer_structure(xz), std::vector<std::string>{refused});
}

// A hard link entry is a second path libarchive would follow (its target is not below the
// destination): refused, and nothing outside is linked or written.
TEST(InstallerLimits, ExtractRefusesLinkEntries) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  testutil::write_file(tmp / "outside.txt", "outside\n");
  std::string script =
      "import io, sys, tarfile\n"
      "tar = tarfile.open(sys.argv[1], 'w:gz', format=tarfile.GNU_FORMAT)\n"
      "ti = tarfile.TarInfo('pkg/comp/bin/y'); ti.type = tarfile.LNKTYPE\n"
      "ti.linkname = sys.argv[2]; tar.addfile(ti)\n"
      "data = b'overwritten\\n'\n"
      "ti = tarfile.TarInfo('pkg/comp/bin/y'); ti.size = len(data); tar.addfile(ti, io.BytesIO(data))\n"
      "tar.close()\n";
  const fs::path tarball = tmp / "link.tar.gz";
  ASSERT_EQ(testutil::run_process({"python3", "-c", script, tarball.string(),
                                   (tmp / "outside.txt").string()})
                .exit_code,
            0);
  try {
    extract_installer(tarball, tmp / "x");
    FAIL() << "a hard link entry was extracted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              tarball.string() + ": pkg/comp/bin/y: is a link; only directories and regular "
                                 "files can be extracted");
  }
  EXPECT_EQ(testutil::read_file(tmp / "outside.txt"), "outside\n");
  EXPECT_EQ(fs::hard_link_count(tmp / "outside.txt"), 1u);
}

TEST(InstallerLimits, ExtractRefusesEntriesThatClimb) {
  DISTBUILD_REQUIRE(testutil::find_tool("python3"), "python3");
  TempDir tmp;
  std::string script =
      "import io, sys, tarfile\n"
      "tar = tarfile.open(sys.argv[1], 'w:gz', format=tarfile.GNU_FORMAT)\n"
      "data = b'x'\n"
      "ti = tarfile.TarInfo('pkg/a/../../../escaped'); ti.size = 1; tar.addfile(ti, io.BytesIO(data))\n"
      "tar.close()\n";
  const fs::path tarball = tmp / "climb.tar.gz";
  ASSERT_EQ(testutil::run_process({"python3", "-c", script, tarball.string()}).exit_code, 0);
  try {
    extract_installer(tarball, tmp / "x/y");
    FAIL() << "a climbing entry was extracted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), tarball.string() + ": entry 'pkg/a/../../../escaped' climbs "
                                                        "out of the tree with '..'");
  }
  EXPECT_FALSE(fs::exists(tmp / "escaped"));
  EXPECT_FALSE(fs::exists(tmp / "x/escaped"));
}

} // namespace
} // namespace distbuild::builder
