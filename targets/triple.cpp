// Splits a target triple into its parts; see triple.hpp for the accepted forms.
#include "targets/triple.hpp"

#include <vector>

namespace distbuild::targets {

namespace {

bool is_triple_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// In three-part triples these words sit where a vendor would, but they name the OS: rustc
// writes `aarch64-linux-android`, `thumbv6m-none-eabi`, `wasm32-wasip1-threads`.
bool is_os_word(std::string_view word) {
  return word == "linux" || word == "none" || word.starts_with("wasi");
}

} // namespace

std::optional<Triple> parse_triple(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : text) {
    if (c == '-') {
      parts.push_back(current);
      current.clear();
    } else if (is_triple_char(c)) {
      current.push_back(c);
    } else {
      return std::nullopt;
    }
  }
  parts.push_back(current);
  if (parts.size() < 2 || parts.size() > 4) {
    return std::nullopt;
  }
  for (const auto& part : parts) {
    if (part.empty()) {
      return std::nullopt;
    }
  }

  Triple triple;
  triple.text = std::string(text);
  triple.arch = parts[0];
  if (parts.size() == 4) {
    triple.vendor = parts[1];
    triple.os = parts[2];
    triple.env = parts[3];
  } else if (parts.size() == 3 && is_os_word(parts[1])) {
    triple.os = parts[1];
    triple.env = parts[2];
  } else if (parts.size() == 3) {
    triple.vendor = parts[1];
    triple.os = parts[2];
  } else {
    triple.os = parts[1];
  }
  return triple;
}

} // namespace distbuild::targets
