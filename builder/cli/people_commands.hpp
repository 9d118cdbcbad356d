// The commands for people looking at and consuming a tree (issue 7): `serve` and `rustup`.
// Registered by run() next to the others in commands.hpp.
#pragma once

#include "builder/cli/commands.hpp"

namespace distbuild::cli {

void register_serve(CLI::App& app, Context& ctx);   // cmd_serve.cpp
void register_rustup(CLI::App& app, Context& ctx);  // cmd_rustup.cpp

} // namespace distbuild::cli
