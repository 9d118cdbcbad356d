// Sizes, rates and durations as people read them in progress lines and logs ("402 MB",
// "45 MB/s", "0:18", "12.3 s"). One place, so `fetch`, `pack` and `dist` print them alike.
// Decimal units (1 MB = 10^6 bytes), as the README and release notes quote tarball sizes.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace distbuild::builder {

// "512 B", "1.5 kB", "402 MB", "1.2 GB".
std::string human_bytes(double bytes);
// "45 MB/s".
std::string human_rate(double bytes_per_second);
// ETA style: "0:18", "12:05", "1:02:03" (whole seconds, rounded up so 0:00 means done).
std::string clock_duration(double seconds);
// Elapsed style: "0.4 s", "12.3 s", "2 min 5 s".
std::string elapsed_duration(double seconds);

// The other way, for options: "512M", "2G", "1500000" (bytes), "10k": powers of 1024. nullopt
// when malformed.
std::optional<std::uint64_t> parse_byte_size(const std::string& text);
// "30d", "12h", "90m", "45s", "2w". nullopt when malformed.
std::optional<std::chrono::seconds> parse_age(const std::string& text);

} // namespace distbuild::builder
