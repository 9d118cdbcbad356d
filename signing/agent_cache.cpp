// See agent_cache.hpp.
#include "signing/agent_cache.hpp"

#include "signing/error.hpp"
#include "signing/gnupg_tool.hpp"

#include <sstream>

namespace distbuild::signing {

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
