// `distbuild cache`: look at and prune the pack content cache (builder/pack_cache.hpp).
#pragma once

#include "builder/cli/commands.hpp"

namespace distbuild::cli {

void register_cache(CLI::App& app, Context& ctx);

} // namespace distbuild::cli
