// Finding a toolchain rustup installed on this machine, for the built-in default job
// (`distbuild quickstart`): the first <home>/.rustup/toolchains/<channel>-* directory.
#pragma once

#include <filesystem>
#include <string>

namespace distbuild::builder {

// Throws builder::Error naming the toolchains directory when there is none for the channel.
std::filesystem::path find_installed_toolchain(const std::filesystem::path& home,
                                               const std::string& channel);

} // namespace distbuild::builder
