// The Raspberry Pi table; see boards.hpp for how each triple is chosen.
#include "targets/boards.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace distbuild::targets {

namespace {

constexpr std::string_view k_armv6 = "arm-unknown-linux-gnueabihf";
constexpr std::string_view k_armv7 = "armv7-unknown-linux-gnueabihf";
constexpr std::string_view k_aarch64 = "aarch64-unknown-linux-gnu";

// The Pi 2 v1.1 has a Cortex-A7 (ARMv7 only); v1.2 moved to the Pi 3's Cortex-A53.
constexpr std::array k_boards = {
    PiBoard{"pi1", "Raspberry Pi 1 (A, B, A+, B+)", "ARM1176JZF-S", "ARMv6", k_armv6, ""},
    PiBoard{"zero", "Raspberry Pi Zero", "ARM1176JZF-S", "ARMv6", k_armv6, ""},
    PiBoard{"zero-w", "Raspberry Pi Zero W", "ARM1176JZF-S", "ARMv6", k_armv6, ""},
    PiBoard{"cm1", "Raspberry Pi Compute Module 1", "ARM1176JZF-S", "ARMv6", k_armv6, ""},
    PiBoard{"pi2", "Raspberry Pi 2 Model B v1.1", "Cortex-A7", "ARMv7-A", k_armv7, ""},
    PiBoard{"pi2-v1.2", "Raspberry Pi 2 Model B v1.2", "Cortex-A53", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"zero-2-w", "Raspberry Pi Zero 2 W", "Cortex-A53", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"pi3", "Raspberry Pi 3 (B, A+, B+)", "Cortex-A53", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"cm3", "Raspberry Pi Compute Module 3", "Cortex-A53", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"pi4", "Raspberry Pi 4 Model B", "Cortex-A72", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"pi400", "Raspberry Pi 400", "Cortex-A72", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"cm4", "Raspberry Pi Compute Module 4", "Cortex-A72", "ARMv8-A", k_armv7, k_aarch64},
    PiBoard{"pi5", "Raspberry Pi 5", "Cortex-A76", "ARMv8.2-A", k_armv7, k_aarch64},
    PiBoard{"pi500", "Raspberry Pi 500", "Cortex-A76", "ARMv8.2-A", k_armv7, k_aarch64},
    PiBoard{"cm5", "Raspberry Pi Compute Module 5", "Cortex-A76", "ARMv8.2-A", k_armv7, k_aarch64},
};

constexpr std::array<std::string_view, 1> k_families = {"raspberry-pi"};

// "Raspberry Pi Zero 2 W" -> "zero2w", "pi2-v1.2" -> "pi2v1.2": lets users type either form.
std::string normalise(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.') {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  for (std::string_view prefix : {"raspberrypi", "rpi"}) {
    if (out.starts_with(prefix)) {
      out.erase(0, prefix.size());
    }
  }
  if (out.starts_with("pi")) {
    out.erase(0, 2);
  }
  if (out.ends_with("modelb")) {
    out.erase(out.size() - 6);
  }
  return out;
}

} // namespace

std::span<const PiBoard> raspberry_pi_boards() {
  return k_boards;
}

std::optional<PiBoard> find_raspberry_pi(std::string_view name) {
  const std::string wanted = normalise(name);
  if (wanted.empty()) {
    return std::nullopt;
  }
  for (const PiBoard& board : k_boards) {
    if (normalise(board.id) == wanted || normalise(board.model) == wanted) {
      return board;
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> pi_triple(const PiBoard& board, OsBits bits) {
  std::string_view triple = bits == OsBits::Bits32 ? board.triple_32 : board.triple_64;
  if (triple.empty()) {
    return std::nullopt;
  }
  return triple;
}

std::span<const std::string_view> board_families() {
  return k_families;
}

} // namespace distbuild::targets
