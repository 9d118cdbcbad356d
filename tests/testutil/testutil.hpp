// Helpers shared by every test: a fresh temp dir per test, running the real binary or real
// tools with captured output, and the skip policy (a missing tool skips on a developer's
// machine, but fails under CI=true, where the set-up must have installed it).
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::testutil {

namespace fs = std::filesystem;

class TempDir {
public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }
  fs::path operator/(const fs::path& rel) const { return m_path / rel; }

private:
  fs::path m_path;
};

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs argv[0] (searched in PATH) with extra environment variables; `env_clear` starts from an
// empty environment (plus PATH/HOME given in `env`). Never uses a shell.
ProcessResult run_process(const std::vector<std::string>& argv,
                          const std::map<std::string, std::string>& env = {},
                          const std::optional<fs::path>& cwd = std::nullopt,
                          bool env_clear = false);

// Runs the distbuild binary built alongside the tests, with the pack cache off
// (DISTBUILD_NO_CACHE=1) unless `env` sets DISTBUILD_CACHE_DIR, XDG_CACHE_HOME or
// DISTBUILD_NO_CACHE itself.
ProcessResult run_distbuild(const std::vector<std::string>& args,
                            const std::map<std::string, std::string>& env = {});

std::string distbuild_binary();
fs::path source_dir();

std::string read_file(const fs::path& path);
void write_file(const fs::path& path, const std::string& bytes, bool executable = false);
std::string sha256_file(const fs::path& path);
// stat(2) of `path` (following links), a failed EXPECT when it cannot be read: inode, link
// count and ctime checks.
struct stat stat_of(const fs::path& path);

bool in_ci();
// Full path of a tool, or nullopt. Combined with require_tool() below.
std::optional<std::string> find_tool(const std::string& name);

// The stable/nightly toolchain rustup installed on this machine (never modified by tests).
std::optional<fs::path> installed_toolchain(const std::string& channel_prefix);
// ~/.cargo/bin/rustup if present.
std::optional<fs::path> rustup_binary();

// Copies the files of one installed component (from lib/rustlib/manifest-<name>) into an image
// dir laid out as the install prefix.
void copy_component_image(const fs::path& toolchain, const std::string& manifest_name,
                          const fs::path& image_dir);

} // namespace distbuild::testutil

// Skip (developer machine) or fail (CI=true) when a needed tool is missing.
#define DISTBUILD_REQUIRE(cond, what)                                                        \
  do {                                                                                      \
    if (!(cond)) {                                                                          \
      if (::distbuild::testutil::in_ci()) {                                                 \
        FAIL() << "required under CI but missing: " << (what);                             \
      }                                                                                     \
      GTEST_SKIP() << "missing: " << (what);                                               \
    }                                                                                       \
  } while (0)
