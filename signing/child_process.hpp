// Running a helper program quietly, the one way the product does it: gpg's own helpers
// (gpgconf, gpg-connect-agent: agent_cache.hpp) and a packed rustc asked for its version
// (builder/release/input_version.cpp). posix_spawn without a shell, the program named by its
// path (never looked up in PATH), stdin and stderr on /dev/null, stdout captured whole. Such
// helpers print a few lines and exit; nothing here bounds a program that does not.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {

struct ChildOutput {
  bool ran = false;  // false: the program could not be started
  int exit_code = -1;  // -1 when it did not exit normally
  std::string out;
};

// `env` replaces the environment ("NAME=value" entries); nullopt inherits this process's.
// Never throws: a program that cannot run is reported through `ran`.
ChildOutput run_quietly(const std::filesystem::path& program, const std::vector<std::string>& args,
                        const std::optional<std::vector<std::string>>& env = std::nullopt) noexcept;

} // namespace distbuild::signing
