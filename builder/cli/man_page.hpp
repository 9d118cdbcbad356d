// distbuild(1), rendered in man(7) roff from the same CLI11 app that parses the command line and
// prints --help (build_app() in commands.hpp): every subcommand and option with its description,
// default and whether it is required, so the page cannot drift from the program. The build runs
// `distbuild --man distbuild.1`; `man -l build/distbuild.1` shows it.
#pragma once

#include <CLI/CLI.hpp>

#include <filesystem>
#include <string>

namespace distbuild::cli {

std::string render_man_page(const CLI::App& app, const std::string& version);

// Writes the page to `path` atomically, or to stdout when path is "-". Throws builder::Error.
void write_man_page(const CLI::App& app, const std::string& version,
                    const std::filesystem::path& path);

} // namespace distbuild::cli
