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
