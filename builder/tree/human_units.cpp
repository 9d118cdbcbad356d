// See human_units.hpp.
#include "builder/tree/human_units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace distbuild::builder {

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  int unit = 0;
  while (bytes >= 1000 && unit < 4) {
    bytes /= 1000;
    ++unit;
  }
  char text[32];
  // Short and steady for a line redrawn ten times a second: "1.2 GB", "45 MB", "402 MB".
  const char* format = unit == 0 || bytes >= 9.95 ? "%.0f %s" : "%.1f %s";
  std::snprintf(text, sizeof text, format, bytes, units[unit]);
  return text;
}

std::string human_rate(double bytes_per_second) {
  return human_bytes(bytes_per_second) + "/s";
}

std::string clock_duration(double seconds) {
  auto total = static_cast<long long>(std::ceil(std::max(seconds, 0.0)));
  char text[32];
  if (total >= 3600) {
    std::snprintf(text, sizeof text, "%lld:%02lld:%02lld", total / 3600, total / 60 % 60,
                  total % 60);
  } else {
    std::snprintf(text, sizeof text, "%lld:%02lld", total / 60, total % 60);
  }
  return text;
}

std::string elapsed_duration(double seconds) {
  char text[32];
  if (seconds < 60) {
    std::snprintf(text, sizeof text, "%.1f s", std::max(seconds, 0.0));
  } else {
    auto total = static_cast<long long>(std::lround(seconds));
    std::snprintf(text, sizeof text, "%lld min %lld s", total / 60, total % 60);
  }
  return text;
}

} // namespace distbuild::builder
