// The Rust version the inputs of a release are, asked of the inputs themselves, most exact
// first: a `version` file (a staged overlay, a tarball, an installed toolchain's stored
// manifest) says "1.63.0 (4b91a6ea7 2022-08-08)"; the host rustc, when it runs on this machine,
// says it with `rustc -vV` (run as rustup would, with the image's lib/ on the library path); a
// std rlib's metadata begins with the rustc version that wrote it; a stable tarball's name says
// its number. A distro's rustc (Debian's) has no version file at all, and a cross-built one
// cannot run here, hence the later sources.
#pragma once

#include "builder/release/release_inputs.hpp"

#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct InputVersion {
  std::string text;   // "1.63.0 (4b91a6ea7 2022-08-08)", "1.65.0-nightly", "1.63.0"
  std::string where;  // "rustc's version file in <origin>", "`<rustc> -vV`", ...
  // The first word of text: "1.63.0", "1.96.0-beta.3", "1.97.0-nightly".
  std::string number() const { return text.substr(0, text.find(' ')); }
  // The date in "(<hash> <date>)", empty when the text has none.
  std::string commit_date() const;
};

std::optional<InputVersion> find_input_version(const std::vector<ComponentSource>& sources);

// "1.63.0 (…)" from the output of `rustc -vV` or an rlib's bytes ("rustc 1.63.0 (…)").
std::optional<std::string> version_after_rustc(const std::string& text);

} // namespace distbuild::builder
