// Escaping is delegated to toml++'s formatter so that control characters, quotes and
// backslashes come out exactly as the TOML spec wants; UTF-8 is kept as is in strings, escaped in
// quoted keys.
#include "manifest/toml_text.hpp"

#include <sstream>

#include <toml++/toml.h>

namespace distbuild::manifest {

namespace {

std::string formatted(std::string_view text, toml::format_flags flags) {
  std::ostringstream out;
  toml::value<std::string> value{std::string(text)};
  out << toml::toml_formatter{value, flags};
  return out.str();
}

} // namespace

std::string toml_string(std::string_view text) {
  return formatted(text, toml::format_flags::allow_unicode_strings);
}

std::string toml_key(std::string_view key) {
  bool bare = !key.empty();
  for (char c : key) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-';
    if (!ok) {
      bare = false;
      break;
    }
  }
  // A quoted key is written with \u escapes for anything beyond ASCII: raw, some code points
  // are refused on reading (toml_input.hpp: toml++ 3.3 cannot classify them inside keys).
  return bare ? std::string(key) : formatted(key, toml::format_flags::none);
}

std::string toml_path(std::initializer_list<std::string_view> keys) {
  std::string path;
  for (std::string_view key : keys) {
    if (!path.empty()) {
      path += '.';
    }
    path += toml_key(key);
  }
  return path;
}

} // namespace distbuild::manifest
