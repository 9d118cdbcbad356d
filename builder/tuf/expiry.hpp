// Times in TUF metadata: `expires` is "YYYY-MM-DDTHH:MM:SSZ" (UTC, whole seconds), and metadata
// is expired once the client's clock reaches it (tuf-js and python-tuf: now >= expires).
//
// Each role is signed for a period that suits how it is renewed (defaults, see README "TUF"):
//   root       365d   offline keys, renewed by `tuf rotate`
//   targets     90d   re-signed by every publishing command
//   snapshot     7d   re-signed by every publishing command and `tuf refresh`
//   timestamp    1d   re-signed by `tuf timestamp` (a cron job) and every publishing command
// A period is written <n>s, <n>m, <n>h, <n>d or <n>w; 0 makes metadata that has already expired
// (for testing that a client refuses it).
#pragma once

#include <chrono>
#include <optional>
#include <string>

namespace distbuild::builder::tuf {

using Clock = std::chrono::system_clock;

// Throws builder::Error naming `what` (the option) when `text` is not a period as above.
std::chrono::seconds parse_period(const std::string& text, const std::string& what);
std::string format_period(std::chrono::seconds period);  // the largest unit that divides it

std::string format_expires(Clock::time_point when);  // "2026-04-16T12:00:00Z"
std::optional<Clock::time_point> parse_expires(const std::string& text);

// now (truncated to whole seconds) + period, formatted.
std::string expires_after(Clock::time_point now, std::chrono::seconds period);
bool is_expired(const std::string& expires, Clock::time_point now);

} // namespace distbuild::builder::tuf
