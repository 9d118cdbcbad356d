// canonical_json: the exact bytes securesystemslib and tuf-js sign (keys sorted, no spaces, only
// `"` and `\` escaped, integers only).
#include "builder/tuf/canonical_json.hpp"

#include "builder/tree/error.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder::tuf {
namespace {

using nlohmann::json;

TEST(CanonicalJson, SortsKeysAndWritesNoWhitespace) {
  json value = json::parse(R"({"b": 1, "a": [true, null, -3, "x"], "c": {"z": {}, "y": []}})");
  EXPECT_EQ(canonical_json(value), R"({"a":[true,null,-3,"x"],"b":1,"c":{"y":[],"z":{}}})");
}

TEST(CanonicalJson, EscapesOnlyQuoteAndBackslash) {
  json value = {{"k\"ey", std::string("a\"b\\c\nd\x01 \xc3\xa9")}};
  EXPECT_EQ(canonical_json(value),
            std::string("{\"k\\\"ey\":\"a\\\"b\\\\c\nd\x01 \xc3\xa9\"}"));
}

TEST(CanonicalJson, LargeIntegersStayExact) {
  EXPECT_EQ(canonical_json(json{{"length", 18446744073709551615ULL}}),
            R"({"length":18446744073709551615})");
}

TEST(CanonicalJson, FloatsAreRefused) {
  try {
    canonical_json(json{{"x", 1.5}});
    FAIL() << "a float was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "canonical JSON: holds a number (only integers, strings, booleans, null, arrays "
              "and objects)");
  }
}

} // namespace
} // namespace distbuild::builder::tuf
