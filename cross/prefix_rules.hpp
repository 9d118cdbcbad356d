// Which component owns a file of an installed prefix that has no lib/rustlib/manifest-* lists
// (a sysroot copied by hand, an install whose lists were deleted). The rules restate where
// bootstrap's dist steps put each component's files; see prefix_rules.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace distbuild::cross {

struct Owner {
  std::string package;
  std::string target; // a triple, "*" for rust-src, or "" meaning "the host"
};

// `rel` is the file's path relative to the prefix, '/'-separated. nullopt: the file belongs to
// no component (installer and rustup bookkeeping such as lib/rustlib/components).
std::optional<Owner> owner_of_prefix_file(std::string_view rel);

// True for the compiler's own crates (rustc-dev) as opposed to the standard library's, judged by
// file name: librustc_driver-*, librustc_<crate>-* except the few std dependencies named rustc_*.
bool is_compiler_crate_file(std::string_view file_name);

} // namespace distbuild::cross
