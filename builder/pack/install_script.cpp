// The install.sh template (our own, written for distbuild: install_template.sh) and its
// rendering. Values are spliced in as single-quoted shell words, so any product name or message
// is safe.
#include "builder/pack/install_script.hpp"

#include <string_view>

namespace distbuild::builder {

namespace {

// The text lives in install_template.sh (a shell file, so `sh -n` and shellcheck read it as is);
// CMake turns it into this raw string literal whenever it changes.
constexpr std::string_view k_template =
#include "install_template.inc"
    ;

std::string shell_word(const std::string& value) {
  std::string word = "'";
  for (char c : value) {
    if (c == '\'') {
      word += "'\\''";
    } else {
      word += c;
    }
  }
  return word + "'";
}

// For the comment lines only: nothing may break out of them.
std::string comment_text(const std::string& value) {
  std::string text;
  for (char c : value) {
    text += (c == '\n' || c == '\r') ? ' ' : c;
  }
  return text;
}

void replace_all(std::string& text, std::string_view key, const std::string& value) {
  std::size_t pos = 0;
  while ((pos = text.find(key, pos)) != std::string::npos) {
    text.replace(pos, key.size(), value);
    pos += value.size();
  }
}

} // namespace

std::vector<std::string> split_comma_list(const std::string& list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string::npos) {
      comma = list.size();
    }
    if (comma > start) {
      items.push_back(list.substr(start, comma - start));
    }
    start = comma + 1;
  }
  return items;
}

std::string render_install_script(const InstallScriptOptions& options) {
  std::string legacy;
  for (const std::string& dir : options.legacy_manifest_dirs) {
    legacy += (legacy.empty() ? "" : ",") + dir;
  }
  std::string script(k_template);
  replace_all(script, "@PRODUCT_NAME_WORD@", shell_word(options.product_name));
  replace_all(script, "@SUCCESS_MESSAGE_WORD@", shell_word(options.success_message));
  replace_all(script, "@REL_MANIFEST_DIR_WORD@", shell_word(options.rel_manifest_dir));
  replace_all(script, "@LEGACY_MANIFEST_DIRS_WORD@", shell_word(legacy));
  replace_all(script, "@PRODUCT_NAME@", comment_text(options.product_name));
  replace_all(script, "@REL_MANIFEST_DIR_TEXT@", comment_text(options.rel_manifest_dir));
  return script;
}

} // namespace distbuild::builder
