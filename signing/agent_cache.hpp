// gpg-agent and GnuPG's small helper programs (gpgconf, gpg-connect-agent) that GPGME has no
// call for.
//
// Running a helper: the binaries next to the gpg GPGME uses, never whichever is first in PATH,
// run quietly (child_process.hpp).
//
// The passphrase cache: gpg-agent keeps a passphrase once a key has been unlocked (ten minutes
// by default, renewed on use), and while it is cached the agent never asks again: a wrong
// --passphrase-file would sign as long as someone's right passphrase is still remembered, and a
// CI secret that broke would go unnoticed until another machine. So when a passphrase is given,
// the signer first makes the agent forget the key's cached passphrases (its keygrips, in the
// agent's "normal" cache), lets the agent ask through loopback pinentry, and forgets again when
// it is done, so what it was given does not outlive the run either. This talks to the agent with
// gpg-connect-agent and --no-autostart: when no agent runs there is nothing cached and none is
// started.
//
// The other place a passphrase could outlive the run is the environment: gpg, and the gpg-agent
// it starts (which keeps running), inherit distbuild's environment, so load_passphrase()
// (passphrase.hpp) overwrites and removes a --passphrase-env variable before any gpg runs.
#pragma once

#include "signing/child_process.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::signing {

using ToolResult = ChildOutput;

// `name` is a program of GnuPG's bindir ("gpgconf", "gpg-connect-agent"). Never throws.
ToolResult run_gnupg_tool(const std::string& name, const std::vector<std::string>& args) noexcept;

// CLEAR_PASSPHRASE --mode=normal <keygrip> for each keygrip. Throws signing::Error naming the
// home when the agent cannot be asked or refuses.
void forget_cached_passphrases(const std::filesystem::path& gnupg_home,
                               const std::vector<std::string>& keygrips);

} // namespace distbuild::signing
