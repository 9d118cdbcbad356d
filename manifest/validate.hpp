// The rules a channel manifest must follow for rustup 1.29 to install from it: the checks
// rustup itself makes when it parses a manifest (spec 2.8), plus the producer rules of the
// pitfalls checklist (spec 6) that the model alone can decide. All problems are collected so a
// user fixes everything in one round.
#pragma once

#include "manifest/channel.hpp"

#include <string>
#include <vector>

namespace distbuild::manifest {

// Empty when the channel is fine; otherwise one sentence per problem, starting with the TOML
// path it is about, e.g.
// `pkg.rust.target.x86_64-unknown-linux-gnu: extension clippy-preview for x86_64-unknown-linux-gnu: there is no [pkg.clippy-preview]`.
std::vector<std::string> validate(const Channel& channel);

} // namespace distbuild::manifest
