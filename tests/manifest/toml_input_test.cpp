// The gate before toml++ (toml_input.hpp), through parse_channel as every caller meets it: a
// text over the size limit, invalid UTF-8, and the code points toml++ 3.3.0's whitespace table
// sends to __builtin_unreachable (U+0489 was reported under a sanitizer) are refused, naming
// the file and the line; the same characters are still fine everywhere else in the test texts.
#include "manifest/channel.hpp"
#include "manifest/toml_input.hpp"

#include <gtest/gtest.h>

namespace distbuild::manifest {
namespace {

std::string error_of(const std::string& text) {
  try {
    parse_channel(text, "channel-rust-stable.toml");
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(TomlInput, RefusesTheCodePointsTomlppCannotClassify) {
  // U+0489 (COMBINING CYRILLIC MILLIONS SIGN) in a quoted key, the reported case.
  const std::string text = "manifest-version = \"2\"\ndate = \"2026-04-16\"\n\"\xd2\x89\" = 1\n";
  EXPECT_EQ(error_of(text),
            "channel-rust-stable.toml:3: U+0489 is refused: toml++ 3.3 cannot read it safely (a "
            "defect in its whitespace table); channel manifests are ASCII");
  for (const char* bad : {"\xc2\xa1", "\xe2\xb1\x9e", "\xe3\x81\x97", "\xef\xac\xa6",
                          "\xef\xbb\xbe"}) {  // U+00A1, U+2C5E, U+3057, U+FB26, U+FEFE
    EXPECT_NE(error_of(std::string("x = 1") + bad + "\n").find("is refused: toml++"),
              std::string::npos)
        << bad;
  }
}

TEST(TomlInput, RefusesThemInKeysHeadersAndAfterMultiLineBackslashes) {
  for (const std::string& text :
       {std::string("[pkg.\"\xd2\x89\"]\n"), std::string("a.'\xd2\x89' = 1\n"),
        std::string("x = { \"\xd2\x89\" = 1 }\n"), std::string("\"\xd2\x89\"\n"),
        std::string("x = \"\"\"a\\\xd2\x89\"\"\"\n"),
        std::string("x = \"\"\"a\\\n   \xd2\x89\"\"\"\n")}) {
    EXPECT_NE(error_of(text).find("U+0489 is refused"), std::string::npos) << text;
  }
}

// In string values (and comments) toml++ never asks, so a version text may say what it likes;
// this is also what our own writer produces (channel_toml_test round-trips an "é").
TEST(TomlInput, KeepsThemInStringValuesAndComments) {
  for (const std::string& text :
       {std::string("x = \"\xd2\x89\"\n"), std::string("x = '\xd2\x89'\n"),
        std::string("x = [\"a\", \"\xd2\x89\"]\n"), std::string("x = { y = \"\xd2\x89\" }\n"),
        std::string("x = \"\"\"\n\xd2\x89\n\"\"\"\n"), std::string("# \xd2\x89\n"),
        std::string("x = 1 # \xd2\x89\n")}) {
    EXPECT_NO_THROW(check_toml_input(text, "x.toml")) << text;
  }
}

// Our writer escapes such a character in a quoted key, so what it writes always reads back.
TEST(TomlInput, WrittenKeysReadBack) {
  Channel channel;
  channel.date = "2026-04-16";
  channel.packages["caf\xc3\xa9"].version = "1.0 caf\xc3\xa9";
  channel.packages["caf\xc3\xa9"].targets["x86_64-unknown-linux-gnu"].available = false;
  const std::string text = to_toml(channel);
  EXPECT_NE(text.find("[pkg.\"caf\\u00E9\".target"), std::string::npos) << text;
  EXPECT_EQ(parse_channel(text, "written.toml"), channel);
}

TEST(TomlInput, KeepsWhatTomlppHandles) {
  // U+00A0, U+3000 and U+FEFF are the table's own entries; U+0500 is past the broken block.
  for (const char* fine : {"\xc2\xa0", "\xe3\x80\x80", "\xef\xbb\xbf", "\xd4\x80"}) {
    EXPECT_NO_THROW(check_toml_input(std::string("# ") + fine + "\n", "x.toml")) << fine;
  }
}

TEST(TomlInput, RefusesInvalidUtf8) {
  EXPECT_EQ(error_of("manifest-version = \"2\"\n# \xff\n"),
            "channel-rust-stable.toml:2: is not valid UTF-8");
  EXPECT_EQ(error_of("# \xc0\xaf overlong\n"), "channel-rust-stable.toml:1: is not valid UTF-8");
  EXPECT_EQ(error_of("# \xed\xa0\x80 surrogate\n"),
            "channel-rust-stable.toml:1: is not valid UTF-8");
}

TEST(TomlInput, RefusesATextOverTheLimit) {
  std::string text = "# " + std::string(k_max_manifest_bytes, 'x') + "\n";
  EXPECT_EQ(error_of(text), "channel-rust-stable.toml: is " + std::to_string(text.size()) +
                                " bytes, larger than 16 MiB, the limit for a channel manifest");
}

} // namespace
} // namespace distbuild::manifest
