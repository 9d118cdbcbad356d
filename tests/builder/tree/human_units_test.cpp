#include "builder/tree/human_units.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {

TEST(HumanUnits, BytesUseDecimalUnitsAndThreeDigits) {
  EXPECT_EQ(human_bytes(0), "0 B");
  EXPECT_EQ(human_bytes(999), "999 B");
  EXPECT_EQ(human_bytes(1500), "1.5 kB");
  EXPECT_EQ(human_bytes(45.6e6), "46 MB");
  EXPECT_EQ(human_bytes(9.96e6), "10 MB");
  EXPECT_EQ(human_bytes(402e6), "402 MB");
  EXPECT_EQ(human_bytes(1.2e9), "1.2 GB");
}

TEST(HumanUnits, RateAndDurations) {
  EXPECT_EQ(human_rate(45e6), "45 MB/s");
  EXPECT_EQ(clock_duration(0), "0:00");
  EXPECT_EQ(clock_duration(17.2), "0:18");  // rounded up: 0:00 only when done
  EXPECT_EQ(clock_duration(725), "12:05");
  EXPECT_EQ(clock_duration(3723), "1:02:03");
  EXPECT_EQ(elapsed_duration(12.34), "12.3 s");
  EXPECT_EQ(elapsed_duration(125), "2 min 5 s");
}

} // namespace distbuild::builder
