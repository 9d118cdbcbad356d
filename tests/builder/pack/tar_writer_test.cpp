#include "builder/pack/tar_writer.hpp"

#include "builder/tree/error.hpp"

#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

TarEntry dir(const std::string& path) {
  TarEntry e;
  e.kind = TarEntry::Kind::Directory;
  e.path = path;
  return e;
}

TarEntry text(const std::string& path, const std::string& content, bool exec = false) {
  TarEntry e;
  e.path = path;
  e.content = content;
  e.size = content.size();
  e.executable = exec;
  return e;
}

std::string write_all(const std::vector<TarEntry>& entries) {
  std::string bytes;
  TarWriter writer([&](const char* data, std::size_t size) { bytes.append(data, size); }, 42);
  for (const auto& e : entries) writer.add(e);
  writer.close();
  return bytes;
}

TEST(TarWriter, PredictedSizeIsExactAroundTheLongNameLimit) {
  std::vector<TarEntry> entries;
  for (std::size_t length : {1, 98, 99, 100, 101, 150, 511, 512, 513}) {
    std::string name = "t/" + std::string(length - 1, 'a') + std::to_string(length % 10);
    entries.push_back(dir(name.substr(0, length)));
    entries.push_back(text(name.substr(0, length) + "x", std::string(length, 'z')));
    entries.push_back(text(std::string(length, 'f'), ""));
  }
  std::string bytes = write_all(entries);
  EXPECT_EQ(bytes.size(), predicted_tar_size(entries));
  EXPECT_EQ(bytes.size() % 512, 0u);
}

TEST(TarWriter, UpstreamOrderDirectoriesThenReversedFileNames) {
  std::vector<TarEntry> entries = {text("p/b.rlib", ""), dir("p/lib"), text("p/a.so", ""),
                                   dir("p"), text("p/c.rlib", ""), text("p/z.so", "")};
  sort_entries_upstream(entries);
  std::vector<std::string> order;
  for (const auto& e : entries) order.push_back(e.path);
  // Reversed bytes: "bilr.b/p" < "bilr.c/p" < "os.a/p" < "os.z/p".
  EXPECT_EQ(order, (std::vector<std::string>{"p", "p/lib", "p/b.rlib", "p/c.rlib", "p/a.so",
                                             "p/z.so"}));
}

TEST(TarWriter, HeadersAreNormalised) {
  testutil::TempDir tmp;
  std::string bytes = write_all({dir("top"), text("top/run", "#!/bin/sh\n", true),
                                 text("top/data", "x")});
  testutil::write_file(tmp / "t.tar", bytes);
  EXPECT_EQ(testutil::list_tarball(tmp / "t.tar"),
            "d 0755 0/0 / 0 1153704088 top/\n"
            "f 0755 0/0 / 10 42 top/run\n"
            "f 0644 0/0 / 1 42 top/data\n");
  // GNU magic, as tar-rs needs for `L` records.
  EXPECT_EQ(bytes.substr(257, 8), std::string("ustar  \0", 8));
}

TEST(TarWriter, FileThatChangedSizeIsAnError) {
  testutil::TempDir tmp;
  testutil::write_file(tmp / "f", "12345");
  TarEntry e;
  e.path = "top/f";
  e.source = tmp / "f";
  e.size = 3;
  std::string bytes;
  TarWriter writer([&](const char* d, std::size_t n) { bytes.append(d, n); }, 0);
  try {
    writer.add(e);
    FAIL();
  } catch (const Error& err) {
    EXPECT_EQ(std::string(err.what()), (tmp / "f").string() + ": file changed size while being archived");
  }
}

} // namespace
} // namespace distbuild::builder
