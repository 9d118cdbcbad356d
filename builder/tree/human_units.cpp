// See human_units.hpp.
#include "builder/tree/human_units.hpp"

#include <algorithm>
#include <charconv>
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

std::optional<std::uint64_t> parse_byte_size(const std::string& text) {
  std::uint64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr == begin) {
    return std::nullopt;
  }
  std::string unit(ptr, end);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) {
    unit.pop_back();
    if (!unit.empty() && (unit.back() == 'i')) {
      unit.pop_back();
    }
  }
  int shift = 0;
  if (unit.empty()) {
    shift = 0;
  } else if (unit == "k" || unit == "K") {
    shift = 10;
  } else if (unit == "m" || unit == "M") {
    shift = 20;
  } else if (unit == "g" || unit == "G") {
    shift = 30;
  } else if (unit == "t" || unit == "T") {
    shift = 40;
  } else {
    return std::nullopt;
  }
  if (shift != 0 && value > (UINT64_MAX >> shift)) {
    return std::nullopt;
  }
  return value << shift;
}

std::optional<std::chrono::seconds> parse_age(const std::string& text) {
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || ptr == begin || value < 0 || end - ptr != 1) {
    return std::nullopt;
  }
  std::int64_t unit = 0;
  switch (*ptr) {
  case 's':
    unit = 1;
    break;
  case 'm':
    unit = 60;
    break;
  case 'h':
    unit = 3600;
    break;
  case 'd':
    unit = 86400;
    break;
  case 'w':
    unit = 7 * 86400;
    break;
  default:
    return std::nullopt;
  }
  return std::chrono::seconds(value * unit);
}

} // namespace distbuild::builder
