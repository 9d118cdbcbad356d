// Shared by `pack` and the rust-installer compatible commands: the reproducible mtime
// (flag, else SOURCE_DATE_EPOCH, else rust-installer's 1153704088) and the report of what was
// written (human lines or one JSON document).
#pragma once

#include "builder/cli/commands.hpp"
#include "builder/pack/pack.hpp"

#include <cstdint>
#include <string>

namespace distbuild::cli {

// Throws builder::Error naming the flag or SOURCE_DATE_EPOCH when the value is not a number.
std::int64_t resolve_mtime(const std::string& flag_value, const std::string& flag_name);
unsigned parse_threads(const std::string& value, const std::string& flag_name);

// `<path>  <size>  <sha256>` per file, or {"package":..,"tar_bytes":..,"files":[..]} with --json.
void print_pack_result(const builder::PackResult& result, const std::string& package,
                       const Context& ctx);

} // namespace distbuild::cli
