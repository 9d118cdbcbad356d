// write_tarballs: one tar stream, every format at once. Each output holds the same tar (read back
// by libarchive, an implementation independent of ours), the result lists what is on disk, and a
// failure leaves no output and no temp file.
#include "builder/pack/tar_fanout.hpp"

#include "builder/tree/error.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

std::vector<TarEntry> sample_entries() {
  std::vector<TarEntry> entries;
  TarEntry dir;
  dir.kind = TarEntry::Kind::Directory;
  dir.path = "pkg";
  entries.push_back(dir);
  for (int i = 0; i < 20; ++i) {
    TarEntry file;
    file.path = "pkg/file-" + std::to_string(i);
    file.content = std::string(1000 + i * 997, static_cast<char>('a' + i));
    file.size = file.content->size();
    file.executable = i % 3 == 0;
    entries.push_back(file);
  }
  return entries;
}

TEST(TarFanout, EveryFormatHoldsTheSameTar) {
  TempDir dir;
  const std::vector<Format> formats{Format::Gz, Format::Xz, Format::Zst};
  const TarballSet set = write_tarballs(sample_entries(), dir / "pkg-1.0-x", formats,
                                        Profile::Fast, 1700000000, 2);
  ASSERT_EQ(set.files.size(), formats.size());
  EXPECT_EQ(set.tar_bytes, predicted_tar_size(sample_entries()));
  std::string first_listing;
  for (std::size_t i = 0; i < formats.size(); ++i) {
    const PackedFile& file = set.files[i];
    EXPECT_EQ(file.format, formats[i]);  // in the order asked for
    EXPECT_EQ(file.size, fs::file_size(file.path));
    EXPECT_EQ(file.sha256, testutil::sha256_file(file.path));
    const std::string listing = testutil::list_tarball(file.path);
    EXPECT_NE(listing.find("pkg/file-19"), std::string::npos) << listing;
    if (i == 0) {
      first_listing = listing;
    } else {
      EXPECT_EQ(listing, first_listing) << format_name(file.format);
    }
  }
}

TEST(TarFanout, SameBytesWhateverTheThreads) {
  TempDir dir;
  const std::vector<Format> formats{Format::Xz, Format::Zst};
  fs::create_directories(dir / "one");
  fs::create_directories(dir / "four");
  const TarballSet one = write_tarballs(sample_entries(), dir / "one/p", formats,
                                        Profile::Balanced, 1700000000, 1);
  const TarballSet four = write_tarballs(sample_entries(), dir / "four/p", formats,
                                         Profile::Balanced, 1700000000, 4);
  for (std::size_t i = 0; i < formats.size(); ++i) {
    EXPECT_EQ(one.files[i].sha256, four.files[i].sha256) << format_name(formats[i]);
  }
}

TEST(TarFanout, AFailedEntryLeavesNoOutputAndNoTemp) {
  TempDir dir;
  std::vector<TarEntry> entries = sample_entries();
  TarEntry missing;
  missing.path = "pkg/vanished";
  missing.source = dir / "no-such-file";
  missing.size = 10;
  entries.push_back(missing);
  fs::create_directories(dir / "out");
  EXPECT_THROW(write_tarballs(entries, dir / "out/p", {Format::Gz, Format::Xz}, Profile::Fast,
                              1700000000, 2),
               Error);
  EXPECT_TRUE(fs::is_empty(dir / "out"));
}

} // namespace
} // namespace distbuild::builder
