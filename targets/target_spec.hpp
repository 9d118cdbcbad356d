// Facts about a custom target read from its JSON target spec (rustc's `target.json`, kept at
// lib/rustlib/<triple>/target.json so that `rustc --target <triple>` finds it in the sysroot).
// For a triple the table does not know, the spec is the authority: its "arch",
// "target-pointer-width", "target-endian", "llvm-target" and "llvm-floatabi" say what its
// objects must be, where guessing from the triple's name could be wrong (a custom name need not
// start with an arch at all).
#pragma once

#include "targets/target_table.hpp"

#include <string_view>

namespace distbuild::targets {

// The facts of `triple` from its spec text. The table row wins when the triple is a known one
// (a spec for an upstream triple describes the same target). Throws targets::Error (error.hpp)
// naming the problem when the text is not a JSON object or lacks "arch".
TargetInfo describe_target_from_spec(std::string_view triple, std::string_view spec_json);

} // namespace distbuild::targets
