// Which triple a Raspberry Pi needs, per model and per OS word size. The answer is the triple
// rustup's host detection picks on that board (dist-format.md 3.2): ARMv6 boards (Pi 1, Zero)
// need arm-unknown-linux-gnueabihf; ARMv7/ARMv8 boards running a 32-bit OS need
// armv7-unknown-linux-gnueabihf (also with a 64-bit kernel under a 32-bit userland, which
// rustup detects as armv7); a 64-bit OS needs aarch64-unknown-linux-gnu.
#pragma once

#include <optional>
#include <span>
#include <string_view>

namespace distbuild::targets {

struct PiBoard {
  std::string_view id;        // short name used on the command line: "pi4", "zero-2-w"
  std::string_view model;     // "Raspberry Pi 4 Model B"
  std::string_view cpu;       // "Cortex-A72"
  std::string_view isa;       // "ARMv8-A"
  std::string_view triple_32; // triple for a 32-bit OS (Raspberry Pi OS armhf)
  std::string_view triple_64; // triple for a 64-bit OS; empty when the CPU has no AArch64
};

enum class OsBits { Bits32, Bits64 };

std::span<const PiBoard> raspberry_pi_boards();
// Looks a board up by id ("pi4") or by model text, ignoring case, spaces and "raspberry pi"
// ("Raspberry Pi 4", "4", "Zero 2 W").
std::optional<PiBoard> find_raspberry_pi(std::string_view name);
// nullopt when the board cannot run such an OS (a 64-bit OS on a Pi 1 or Zero).
std::optional<std::string_view> pi_triple(const PiBoard& board, OsBits bits);

// Board families `distbuild targets --board` understands.
std::span<const std::string_view> board_families();

} // namespace distbuild::targets
