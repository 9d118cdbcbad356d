// Running GnuPG's small helper programs (gpgconf, gpg-connect-agent) that GPGME has no call for:
// the binaries next to the gpg GPGME uses, never whichever is first in PATH, without a shell,
// stdin and stderr on /dev/null and stdout captured.
#pragma once

#include <string>
#include <vector>

namespace distbuild::signing {

struct ToolResult {
  bool ran = false;  // false: the program could not be started
  int exit_code = -1;
  std::string out;
};

// `name` is a program of GnuPG's bindir ("gpgconf", "gpg-connect-agent"). Never throws.
ToolResult run_gnupg_tool(const std::string& name, const std::vector<std::string>& args) noexcept;

} // namespace distbuild::signing
