// check_toml_input(): the gate of toml_input.hpp. One pass over the bytes that decodes UTF-8 and
// follows just enough of TOML's structure to know where a code point sits: in a comment or in a
// string *value* the toml++ 3.3.0 defect is never reached, everywhere else (bare text, keys,
// quoted keys, table headers, the character after a backslash in a multi-line string and the
// first one after a line-ending backslash) it is, so the code points of trips_tomlpp() are
// refused there. Where this scanner is unsure whether toml++ reads a value, it treats the string
// as a key: a wrong guess refuses an odd but valid text, never lets the defect through.
#include "manifest/toml_input.hpp"

#include "manifest/channel.hpp"

#include <cstdint>
#include <cstdio>
#include <vector>

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

class Scanner {
public:
  Scanner(std::string_view text, const std::string& origin) : m_text(text), m_origin(origin) {}

  void run() {
    while (!at_end()) {
      std::uint32_t cp = next();
      switch (cp) {
        case '\n':
          if (m_stack.back() == Context::Table) {
            m_expect_value = false;
            m_in_header = false;
          }
          break;
        case ' ': case '\t': case '\r':
          break;
        case '#':
          while (!at_end() && peek() != '\n') {
            next();  // anything goes in a comment (still UTF-8)
          }
          break;
        case '=':
          m_expect_value = true;
          break;
        case '[':
          if (m_expect_value || m_stack.back() == Context::Array) {
            m_stack.push_back(Context::Array);
            m_expect_value = true;
          } else {
            m_in_header = true;  // [table] or [[array of tables]]: keys only
          }
          break;
        case ']':
          if (m_stack.back() == Context::Array) {
            m_stack.pop_back();
          } else {
            m_in_header = false;
          }
          m_expect_value = false;
          break;
        case '{':
          m_stack.push_back(Context::InlineTable);
          m_expect_value = false;
          break;
        case '}':
          if (m_stack.back() == Context::InlineTable) {
            m_stack.pop_back();
          }
          m_expect_value = false;
          break;
        case ',':
          m_expect_value = m_stack.back() == Context::Array;
          break;
        case '"': case '\'':
          string(static_cast<char>(cp), m_expect_value && !m_in_header);
          m_expect_value = false;
          break;
        default:
          refuse_if_trips(cp);  // bare keys and values
          m_expect_value = false;
          break;
      }
    }
  }

private:
  enum class Context { Table, Array, InlineTable };

  bool at_end() const { return m_pos >= m_text.size(); }
  // The next code point without consuming it (0 at the end).
  std::uint32_t peek() {
    std::uint32_t cp = 0;
    return at_end() || decode(m_text, m_pos, cp) == 0 ? 0 : cp;
  }
  std::uint32_t next() {
    std::uint32_t cp = 0;
    std::size_t length = decode(m_text, m_pos, cp);
    if (length == 0) {
      throw Error(m_origin + ":" + std::to_string(m_line), "is not valid UTF-8");
    }
    m_pos += length;
    m_line += cp == '\n' ? 1 : 0;
    return cp;
  }
  bool starts(std::string_view token) const { return m_text.substr(m_pos, token.size()) == token; }

  void refuse_if_trips(std::uint32_t cp) const {
    if (trips_tomlpp(cp)) {
      throw Error(m_origin + ":" + std::to_string(m_line),
                  code_point_text(cp) + " is refused: toml++ 3.3 cannot read it safely (a "
                                        "defect in its whitespace table); channel manifests are "
                                        "ASCII");
    }
  }

  // After the opening quote. A value may hold any code point; a key may not (toml++ asks
  // "whitespace?" of every character of a key it records), and in a multi-line basic string the
  // character after a backslash, and the first one after a line-ending backslash, are asked too.
  void string(char quote, bool value) {
    const std::string triple(3, quote);
    bool multi_line = starts(std::string(2, quote));
    if (multi_line) {
      m_pos += 2;
    }
    while (!at_end()) {
      if (multi_line ? starts(triple) : starts(std::string(1, quote))) {
        m_pos += multi_line ? 3 : 1;
        return;
      }
      std::uint32_t cp = next();
      if (cp == '\n' && !multi_line) {
        return;  // unterminated: toml++ reports it
      }
      if (!value) {
        refuse_if_trips(cp);
      }
      if (cp == '\\' && quote == '"' && !at_end()) {
        std::uint32_t escaped = next();
        if (multi_line) {
          refuse_if_trips(escaped);
          if (escaped == ' ' || escaped == '\t' || escaped == '\r' || escaped == '\n') {
            while (!at_end() && (peek() == ' ' || peek() == '\t' || peek() == '\r' ||
                                 peek() == '\n')) {
              next();
            }
            refuse_if_trips(peek());
          }
        } else if (!value) {
          refuse_if_trips(escaped);
        }
      }
    }
  }

  std::string_view m_text;
  const std::string& m_origin;
  std::size_t m_pos = 0;
  std::size_t m_line = 1;
  std::vector<Context> m_stack{Context::Table};
  bool m_expect_value = false;
  bool m_in_header = false;
};

} // namespace

void check_toml_input(std::string_view text, const std::string& origin, std::size_t limit) {
  if (text.size() > limit) {
    std::string limit_text = limit % (1 << 20) == 0 ? std::to_string(limit >> 20) + " MiB"
                                                     : std::to_string(limit) + " bytes";
    throw Error(origin, "is " + std::to_string(text.size()) + " bytes, larger than " +
                            limit_text + ", the limit for a channel manifest");
  }
  Scanner(text, origin).run();
}

} // namespace distbuild::manifest
