// The installed toolchain lookup (installed_toolchain.hpp).
#include "builder/release/installed_toolchain.hpp"

#include "builder/tree/error.hpp"

namespace distbuild::builder {

namespace fs = std::filesystem;

fs::path find_installed_toolchain(const fs::path& home, const std::string& channel) {
  const fs::path toolchains = home / ".rustup/toolchains";
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(toolchains, ec)) {
    if (entry.path().filename().string().starts_with(channel + "-")) {
      return entry.path();
    }
  }
  throw Error(toolchains, "no " + channel + "-* toolchain installed by rustup; install one or use "
                          "`distbuild dist --toolchain <dir>`");
}

} // namespace distbuild::builder
