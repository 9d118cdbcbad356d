// Target triples as rustc spells them: `arch-vendor-os[-env]`, lowercase ASCII letters, digits,
// `_` and `.` (thumbv8m.main-none-eabi). Upstream also ships shorter forms, and parse_triple()
// fills the four fields the way rustc's own target names read:
//   4 parts  aarch64-unknown-linux-gnu      arch-vendor-os-env
//   3 parts  x86_64-apple-darwin            arch-vendor-os
//            aarch64-linux-android          arch-os-env   (middle is linux, none or wasi*)
//   2 parts  wasm32-wasip1, wasm32v1-none   arch-os
// Custom targets (tier 3, JSON target specs named like a triple) parse the same way; nothing here
// knows which triples exist: that is target_table's job.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace distbuild::targets {

struct Triple {
  std::string arch;
  std::string vendor; // empty when the form has none (aarch64-linux-android, wasm32-wasip1)
  std::string os;
  std::string env;    // empty when absent
  std::string text;   // the triple as given
};

// nullopt for anything rustc would not accept as a target name: empty parts, uppercase, spaces,
// slashes, more than four parts, or a single word.
std::optional<Triple> parse_triple(std::string_view text);

} // namespace distbuild::targets
