// gpg-agent keeps a passphrase in its cache once a key has been unlocked (ten minutes by
// default, renewed on use), and while it is cached the agent never asks again: a wrong
// --passphrase-file would sign as long as someone's right passphrase is still remembered, and a
// CI secret that broke would go unnoticed until another machine. So when a passphrase is given,
// the signer first makes the agent forget the key's cached passphrases (its keygrips, in the
// agent's "normal" cache), lets the agent ask through loopback pinentry, and forgets again when
// it is done, so what it was given does not outlive the run either.
//
// This talks to the agent with gpg-connect-agent (GnuPG's own client, package gpgconf) and
// --no-autostart: when no agent runs there is nothing cached and none is started.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::signing {

// CLEAR_PASSPHRASE --mode=normal <keygrip> for each keygrip. Throws signing::Error naming the
// home when the agent cannot be asked or refuses.
void forget_cached_passphrases(const std::filesystem::path& gnupg_home,
                               const std::vector<std::string>& keygrips);

} // namespace distbuild::signing
