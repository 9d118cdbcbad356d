// Periods and TUF's `expires` strings (expiry.hpp).
#include "builder/tuf/expiry.hpp"

#include "builder/tree/error.hpp"

#include <ctime>
#include <regex>

namespace distbuild::builder::tuf {

namespace {

struct Unit {
  char suffix;
  std::int64_t seconds;
};
constexpr Unit k_units[] = {{'w', 604800}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};

} // namespace

std::chrono::seconds parse_period(const std::string& text, const std::string& what) {
  static const std::regex k_period(R"(^([0-9]{1,9})([smhdw])$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_period)) {
    throw Error(what, "'" + text + "' is not a period like 30d, 12h, 90m, 3600s or 2w");
  }
  std::int64_t count = std::stoll(match[1].str());
  for (const Unit& unit : k_units) {
    if (unit.suffix == match[2].str()[0]) {
      return std::chrono::seconds(count * unit.seconds);
    }
  }
  return std::chrono::seconds(count);
}

std::string format_period(std::chrono::seconds period) {
  for (const Unit& unit : k_units) {
    if (period.count() != 0 && period.count() % unit.seconds == 0) {
      return std::to_string(period.count() / unit.seconds) + unit.suffix;
    }
  }
  return std::to_string(period.count()) + "s";
}

std::string format_expires(Clock::time_point when) {
  std::time_t seconds = Clock::to_time_t(when);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::optional<Clock::time_point> parse_expires(const std::string& text) {
  static const std::regex k_time(
      R"(^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_time)) {
    return std::nullopt;
  }
  std::tm utc{};
  utc.tm_year = std::stoi(match[1].str()) - 1900;
  utc.tm_mon = std::stoi(match[2].str()) - 1;
  utc.tm_mday = std::stoi(match[3].str());
  utc.tm_hour = std::stoi(match[4].str());
  utc.tm_min = std::stoi(match[5].str());
  utc.tm_sec = std::stoi(match[6].str());
  std::tm normalized = utc;
  std::time_t seconds = timegm(&normalized);
  // timegm normalises 2026-02-30 to March: such a date is not a date.
  if (seconds == static_cast<std::time_t>(-1) || normalized.tm_mday != utc.tm_mday ||
      normalized.tm_mon != utc.tm_mon || normalized.tm_hour != utc.tm_hour ||
      normalized.tm_min != utc.tm_min || normalized.tm_sec != utc.tm_sec) {
    return std::nullopt;
  }
  return Clock::from_time_t(seconds);
}

std::string expires_after(Clock::time_point now, std::chrono::seconds period) {
  return format_expires(std::chrono::floor<std::chrono::seconds>(now) + period);
}

bool is_expired(const std::string& expires, Clock::time_point now) {
  auto when = parse_expires(expires);
  return !when || now >= *when;
}

} // namespace distbuild::builder::tuf
