// check_toml_input(): the gate of toml_input.hpp, one pass over the bytes.
#include "manifest/toml_input.hpp"

#include "manifest/channel.hpp"

#include <cstdint>
#include <cstdio>

namespace distbuild::manifest {

namespace {

// The code points toml++ 3.3.0's whitespace table sends to TOML_UNREACHABLE (toml_input.hpp).
bool trips_tomlpp(std::uint32_t cp) {
  return (cp >= 0xA1 && cp <= 0x499) || (cp >= 0x2C5E && cp <= 0x3057 && cp != 0x3000) ||
         (cp >= 0xFB26 && cp <= 0xFEFE);
}

std::string code_point_text(std::uint32_t cp) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "U+%04X", static_cast<unsigned>(cp));
  return buffer;
}

// Decodes one UTF-8 sequence at text[i]; 0 on an invalid one (overlong, surrogate, > U+10FFFF).
std::size_t decode(std::string_view text, std::size_t i, std::uint32_t& cp) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  std::size_t length = lead < 0x80 ? 1 : (lead >> 5) == 0x6 ? 2 : (lead >> 4) == 0xE ? 3
                                      : (lead >> 3) == 0x1E ? 4 : 0;
  if (length == 0 || i + length > text.size()) {
    return 0;
  }
  cp = length == 1 ? lead : length == 2 ? (lead & 0x1F) : length == 3 ? (lead & 0x0F) : (lead & 0x07);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t k_smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < k_smallest[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return length;
}

} // namespace

void check_toml_input(std::string_view text, const std::string& origin, std::size_t limit) {
  if (text.size() > limit) {
    std::string limit_text = limit % (1 << 20) == 0 ? std::to_string(limit >> 20) + " MiB"
                                                     : std::to_string(limit) + " bytes";
    throw Error(origin, "is " + std::to_string(text.size()) + " bytes, larger than " +
                            limit_text + ", the limit for a channel manifest");
  }
  std::size_t line = 1;
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t cp = 0;
    std::size_t length = decode(text, i, cp);
    if (length == 0) {
      throw Error(origin + ":" + std::to_string(line), "is not valid UTF-8");
    }
    if (trips_tomlpp(cp)) {
      throw Error(origin + ":" + std::to_string(line),
                  code_point_text(cp) + " is refused: toml++ 3.3 cannot read it safely (a "
                                        "defect in its whitespace table); channel manifests are "
                                        "ASCII");
    }
    line += cp == '\n' ? 1 : 0;
    i += length;
  }
}

} // namespace distbuild::manifest
