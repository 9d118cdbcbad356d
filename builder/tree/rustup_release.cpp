// Reading and writing release-stable.toml (rustup_release.hpp).
#include "builder/tree/rustup_release.hpp"

#include "builder/tree/text.hpp"
#include "manifest/semver.hpp"

#include <regex>

namespace distbuild::builder {

std::string render_rustup_release(const std::string& version) {
  return "schema-version = \"1\"\nversion = \"" + version + "\"\n";
}

std::optional<std::string> parse_rustup_release(const std::string& text) {
  static const std::regex k_line(R"re(^\s*([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(#.*)?$)re");
  std::optional<std::string> schema, version;
  for (const std::string& line : split_lines(text)) {
    std::smatch match;
    if (!std::regex_match(line, match, k_line)) {
      continue;
    }
    std::string value = match[2].matched ? match[2].str() : match[3].str();
    if (match[1] == "schema-version") {
      schema = value;
    } else if (match[1] == "version") {
      version = value;
    }
  }
  if (schema != "1" || !version || !manifest::is_semver(*version)) {
    return std::nullopt;
  }
  return version;
}

} // namespace distbuild::builder
