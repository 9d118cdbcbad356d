// release-stable.toml, the one file of the rustup self-update tree that the index page and the
// publisher both read (the tree itself: release/rustup_tree.hpp):
//   schema-version = "1"
//   version = "<semver>"
#pragma once

#include <optional>
#include <string>

namespace distbuild::builder {

inline constexpr const char* k_rustup_release_file = "release-stable.toml";

// release-stable.toml's text: schema-version = "1" and the version.
std::string render_rustup_release(const std::string& version);
// The version a release-stable.toml names; nullopt unless schema-version is "1" and the version
// is semver. A two-key file does not need a TOML library; both quote styles are read (upstream
// writes single quotes).
std::optional<std::string> parse_rustup_release(const std::string& text);

} // namespace distbuild::builder
