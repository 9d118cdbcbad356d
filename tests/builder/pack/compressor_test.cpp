// Each encoder of the format table, judged by the format's own command-line tool: what
// make_encoder writes decodes with gzip/xz/zstd to exactly the input, the sink's hash and size
// are the file's, and the bytes do not depend on the thread count.
#include "builder/pack/compressor.hpp"

#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <random>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::run_process;
using testutil::TempDir;

// Half random, half repetitive: both kinds of block, about 3 MiB (several xz blocks in fast).
std::string sample_input() {
  std::mt19937 random(42);
  std::string bytes;
  for (int i = 0; i < 3 << 19; ++i) {
    bytes.push_back(static_cast<char>(random() & 0xff));
    bytes.push_back(static_cast<char>('a' + i % 7));
  }
  return bytes;
}

fs::path encode(const fs::path& dir, Format format, Profile profile, unsigned threads,
                const std::string& input, std::string* sha256 = nullptr) {
  const fs::path out = dir / ("out-" + std::to_string(threads) + "." +
                              std::string(format_extension(format)));
  OutputSink sink(out);
  auto encoder = make_encoder(format, compression_settings(profile, input.size()), threads,
                              input.size(), sink);
  for (std::size_t at = 0; at < input.size(); at += 100000) {
    encoder->write(input.data() + at, std::min<std::size_t>(100000, input.size() - at));
  }
  encoder->finish();
  sink.finish();
  sink.commit();
  EXPECT_EQ(sink.size(), fs::file_size(out));
  if (sha256 != nullptr) {
    *sha256 = sink.sha256();
  }
  return out;
}

std::string tool_of(Format format) {
  switch (format) {
  case Format::Gz:
    return "gzip";
  case Format::Xz:
    return "xz";
  case Format::Zst:
    return "zstd";
  }
  return "";
}

TEST(Compressor, EveryFormatDecodesWithItsOwnToolToTheInput) {
  TempDir dir;
  const std::string input = sample_input();
  testutil::write_file(dir / "input", input);
  const std::string input_hash = testutil::sha256_file(dir / "input");
  for (const auto& info : manifest::artifact_formats()) {
    std::string sink_hash;
    const fs::path out = encode(dir.path(), info.format, Profile::Fast, 2, input, &sink_hash);
    EXPECT_EQ(sink_hash, testutil::sha256_file(out)) << info.name;
    auto decoded = run_process({"sh", "-c", tool_of(info.format) + " -dc \"$0\" > \"$1\"",
                                out.string(), (dir / "decoded").string()});
    ASSERT_EQ(decoded.exit_code, 0) << info.name << ": " << decoded.err;
    EXPECT_EQ(testutil::sha256_file(dir / "decoded"), input_hash) << info.name;
  }
}

TEST(Compressor, BytesDoNotDependOnTheThreadCount) {
  TempDir dir;
  const std::string input = sample_input();
  for (const auto& info : manifest::artifact_formats()) {
    const fs::path one = encode(dir.path(), info.format, Profile::Fast, 1, input);
    const fs::path three = encode(dir.path(), info.format, Profile::Fast, 3, input);
    EXPECT_EQ(testutil::sha256_file(one), testutil::sha256_file(three)) << info.name;
  }
}

// fast and balanced cut xz blocks where `xz -T` does (3 x dictionary), so the .xz is byte for
// byte the command-line tool's on the same input: never larger, whatever our thread count.
// The inputs span several blocks of each profile.
TEST(Compressor, XzBytesAreTheCommandLineToolsOwn) {
  TempDir dir;
  // A random 64 KiB page repeated with a few bytes changed in each copy: long matches, so
  // liblzma runs fast even at preset 6, and every block boundary still has matches to lose.
  std::mt19937 random(7);
  std::string page(1u << 16, '\0');
  for (char& c : page) {
    c = static_cast<char>(random() & 0xff);
  }
  std::string text;
  while (text.size() < (25u << 20) + 12345) {
    for (int k = 0; k < 16; ++k) {
      page[random() % page.size()] = static_cast<char>(random() & 0xff);
    }
    text += page;
  }
  struct Case {
    Profile profile;
    std::string input;
    std::string preset;
  };
  const Case cases[] = {{Profile::Fast, text.substr(0, (7u << 20) + 321), "-1"},
                        {Profile::Balanced, text, "-6"}};
  for (const auto& [profile, input, preset] : cases) {
    testutil::write_file(dir / "input", input);
    const fs::path ours = encode(dir.path(), Format::Xz, profile, 3, input);
    auto theirs = run_process({"sh", "-c", std::string("xz -T2 ") + preset + " -c \"$0\" > \"$1\"",
                               (dir / "input").string(), (dir / "theirs.xz").string()});
    ASSERT_EQ(theirs.exit_code, 0) << theirs.err;
    EXPECT_EQ(testutil::sha256_file(ours), testutil::sha256_file(dir / "theirs.xz"))
        << profile_name(profile) << ": " << fs::file_size(ours) << " B vs xz -T2 " << preset
        << "'s " << fs::file_size(dir / "theirs.xz") << " B";
  }
}

TEST(Compressor, LibrariesNameEveryFormatsLibrary) {
  const std::string text = encoder_libraries();
  for (const std::string library : {"zlib ", "liblzma ", "libzstd "}) {
    EXPECT_NE(text.find(library), std::string::npos) << text;
  }
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'),
            static_cast<long>(manifest::artifact_formats().size()));
}

} // namespace
} // namespace distbuild::builder
