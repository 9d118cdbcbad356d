// answer_range() (byte_range.hpp) on header texts alone: RFC 9110's answers for a 1000-byte
// file, including the two cases httplib 0.11 got wrong (a range starting past the end, a closed
// range past the end), and no length ever computed from an unchecked subtraction.
#include "builder/web/byte_range.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

ByteRangeAnswer range(std::string_view header, std::uint64_t size = 1000) {
  return answer_range(header, size);
}

TEST(ByteRange, OneSatisfiableRange) {
  auto r = range("bytes=10-99");
  EXPECT_EQ(r.kind, ByteRangeAnswer::Partial);
  EXPECT_EQ(r.offset, 10u);
  EXPECT_EQ(r.length, 90u);
  EXPECT_EQ(r.status(), 206);
  EXPECT_EQ(r.content_range(1000), "bytes 10-99/1000");
  EXPECT_EQ(range("bytes=990-").content_range(1000), "bytes 990-999/1000");
  EXPECT_EQ(range("bytes=900-5000").content_range(1000), "bytes 900-999/1000");  // clipped
  EXPECT_EQ(range("bytes=-10").content_range(1000), "bytes 990-999/1000");
  EXPECT_EQ(range("bytes=-5000").content_range(1000), "bytes 0-999/1000");
  EXPECT_EQ(range(" Bytes = 0-0 ").content_range(1000), "bytes 0-0/1000");
}

TEST(ByteRange, NothingSatisfiableIs416WithTheSize) {
  for (const char* header : {"bytes=1000-", "bytes=1010-", "bytes=2000-3000", "bytes=-0",
                             "bytes=1000-1000, 5000-"}) {
    auto r = range(header);
    EXPECT_EQ(r.kind, ByteRangeAnswer::Unsatisfiable) << header;
    EXPECT_EQ(r.status(), 416) << header;
    EXPECT_EQ(r.content_range(1000), "bytes */1000") << header;
  }
  EXPECT_EQ(answer_range("bytes=0-", 0).kind, ByteRangeAnswer::Unsatisfiable);
  EXPECT_EQ(answer_range("bytes=-1", 0).kind, ByteRangeAnswer::Unsatisfiable);
}

TEST(ByteRange, WhatIsNotTakenGetsTheWholeFile) {
  EXPECT_EQ(answer_range(std::nullopt, 1000).kind, ByteRangeAnswer::Whole);
  for (const char* header : {"items=0-5", "bytes", "bytes=", "bytes=5-3", "bytes=abc",
                             "bytes=1-2-3", "bytes=--5", "bytes=99999999999999999999-",
                             "bytes=0-1,5-9"}) {
    auto r = range(header);
    EXPECT_EQ(r.kind, ByteRangeAnswer::Whole) << header;
    EXPECT_EQ(r.status(), 200) << header;
    EXPECT_EQ(r.content_range(1000), "") << header;
  }
}

TEST(ByteRange, HugeNumbersNeverWrap) {
  const std::uint64_t huge = 18446744073709551615ull;  // 2^64 - 1
  auto r = answer_range("bytes=9999999999999999999-", huge);
  ASSERT_EQ(r.kind, ByteRangeAnswer::Partial);
  EXPECT_EQ(r.offset + r.length, huge);
  EXPECT_EQ(answer_range("bytes=-9999999999999999999", 10).length, 10u);
}

} // namespace
} // namespace distbuild::builder
