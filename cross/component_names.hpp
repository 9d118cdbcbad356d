// Reading rustup's long component names ("rust-std-armv7-unknown-linux-gnueabihf",
// "clippy-preview-x86_64-unknown-linux-gnu", "rust-src") back into (package, target). The name
// is `<package>-<triple>`, or `<package>` alone for target "*", and both halves contain dashes,
// so the split point is chosen by what each half is known to be: package names come from
// targets/components.hpp and triples from targets/, the one place each is known.
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

} // namespace distbuild::cross
