// Escaping is delegated to toml++'s formatter so that control characters, quotes and
// backslashes come out exactly as the TOML spec wants; UTF-8 is kept as is.
#include "manifest/toml_text.hpp"

#include <sstream>

#include <toml++/toml.h>

namespace distbuild::manifest {

std::string toml_string(std::string_view text) {
  std::ostringstream out;
  toml::value<std::string> value{std::string(text)};
  out << toml::toml_formatter{value, toml::format_flags::allow_unicode_strings};
  return out.str();
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
  return bare ? std::string(key) : toml_string(key);
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
