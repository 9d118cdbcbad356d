// Periods (--expires role=30d) and TUF's expires strings, with the client's rule that metadata
// is expired from the second it names.
#include "builder/tuf/expiry.hpp"

#include "builder/tree/error.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder::tuf {
namespace {

using namespace std::chrono_literals;

TEST(Expiry, PeriodsParseAndFormatInTheirLargestUnit) {
  EXPECT_EQ(parse_period("30d", "--expires"), 30 * 24h);
  EXPECT_EQ(parse_period("12h", "--expires"), 12h);
  EXPECT_EQ(parse_period("90m", "--expires"), 90min);
  EXPECT_EQ(parse_period("3600s", "--expires"), 3600s);
  EXPECT_EQ(parse_period("2w", "--expires"), 14 * 24h);
  EXPECT_EQ(parse_period("0s", "--expires"), 0s);
  EXPECT_EQ(format_period(365 * 24h), "365d");
  EXPECT_EQ(format_period(14 * 24h), "2w");
  EXPECT_EQ(format_period(90min), "90m");
  EXPECT_EQ(format_period(0s), "0s");
}

TEST(Expiry, BadPeriodsNameTheOption) {
  for (const char* bad : {"", "30", "d", "1.5d", "-1d", "30 d", "1y"}) {
    try {
      parse_period(bad, "--expires");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const Error& e) {
      EXPECT_EQ(std::string(e.what()), std::string("--expires: '") + bad +
                                           "' is not a period like 30d, 12h, 90m, 3600s or 2w");
    }
  }
}

TEST(Expiry, ExpiresStringsRoundTripAndRefuseNonDates) {
  auto when = parse_expires("2026-04-16T12:34:56Z");
  ASSERT_TRUE(when);
  EXPECT_EQ(format_expires(*when), "2026-04-16T12:34:56Z");
  EXPECT_FALSE(parse_expires("2026-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_expires("2026-04-16 12:34:56Z"));
  EXPECT_FALSE(parse_expires("2026-04-16T12:34:56"));
  EXPECT_FALSE(parse_expires("2026-04-16T12:34:56.5Z"));
}

TEST(Expiry, ExpiredFromTheSecondItNames) {
  auto when = *parse_expires("2026-04-16T12:00:00Z");
  EXPECT_FALSE(is_expired("2026-04-16T12:00:00Z", when - 1s));
  EXPECT_TRUE(is_expired("2026-04-16T12:00:00Z", when));
  EXPECT_TRUE(is_expired("not a time", when));
  EXPECT_EQ(expires_after(when + 999ms, 24h), "2026-04-17T12:00:00Z");
  EXPECT_TRUE(is_expired(expires_after(when + 999ms, 0s), when + 999ms));
}

} // namespace
} // namespace distbuild::builder::tuf
