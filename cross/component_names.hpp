// Reading rustup's long component names ("rust-std-armv7-unknown-linux-gnueabihf",
// "clippy-preview-x86_64-unknown-linux-gnu", "rust-src") back into (package, target). The name
// is `<package>-<triple>`, or `<package>` alone for target "*", and both halves contain dashes,
// so the split point is chosen by what each half is known to be.
#pragma once

#include <string>
#include <string_view>
#include <utility>

namespace distbuild::cross {

struct PackageTarget {
  std::string package;
  std::string target; // "*" when the name carries no triple
};

PackageTarget parse_component_name(std::string_view name);

// Manifest packages upstream ships (dist-format.md 1.4), used to pick the split point.
bool is_known_package(std::string_view package);

} // namespace distbuild::cross
