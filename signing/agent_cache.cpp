// See agent_cache.hpp.
#include "signing/agent_cache.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"

#include <sstream>

namespace distbuild::signing {

namespace {

std::string tool_path(const std::string& name) {
  initialise_gpgme();
  if (name == "gpgconf") {
    const char* gpgconf = gpgme_get_dirinfo("gpgconf-name");
    return gpgconf != nullptr ? gpgconf : "";
  }
  const char* bindir = gpgme_get_dirinfo("bindir");
  return bindir != nullptr ? std::string(bindir) + "/" + name : "";
}

} // namespace

ToolResult run_gnupg_tool(const std::string& name, const std::vector<std::string>& args) noexcept {
  try {
    const std::string path = tool_path(name);
    if (path.empty()) {
      return {};
    }
    return run_quietly(path, args);
  } catch (...) {
    return {};  // a helper that cannot run is reported through `ran`
  }
}

void forget_cached_passphrases(const std::filesystem::path& gnupg_home,
                               const std::vector<std::string>& keygrips) {
  if (keygrips.empty()) {
    return;
  }
  std::vector<std::string> args{"--homedir", gnupg_home.string(), "--no-autostart"};
  for (const std::string& keygrip : keygrips) {
    args.push_back("CLEAR_PASSPHRASE --mode=normal " + keygrip);
  }
  args.emplace_back("/bye");
  const ToolResult result = run_gnupg_tool("gpg-connect-agent", args);
  if (!result.ran || result.exit_code != 0) {
    throw Error(gnupg_home.string(),
                "cannot make gpg-agent forget cached passphrases (gpg-connect-agent " +
                    std::string(result.ran ? "failed" : "did not run") + ")");
  }
  // One "OK" per command when an agent runs, nothing when none does.
  std::istringstream lines(result.out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("ERR", 0) == 0) {
      throw Error(gnupg_home.string(), "gpg-agent would not forget a cached passphrase: " + line);
    }
  }
}

} // namespace distbuild::signing
