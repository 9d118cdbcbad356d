// TOML spelling of keys, strings and dotted paths, shared by the writer, the parser's error
// messages and validate(), so that a message names a table exactly as it appears in the file
// (`pkg.rust-std.target."thumbv8m.main-none-eabi"`).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace distbuild::manifest {

// A TOML basic string with every needed escape: "a\"b".
std::string toml_string(std::string_view text);
// A bare key when TOML allows one ([A-Za-z0-9_-]+), else a quoted key (ASCII, \u escapes).
std::string toml_key(std::string_view key);
// Keys joined with '.', each spelled by toml_key().
std::string toml_path(std::initializer_list<std::string_view> keys);

} // namespace distbuild::manifest
