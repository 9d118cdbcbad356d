// A passphrase must not outlive the signing that needed it, in any process. Two places would
// keep it after distbuild is done:
//   - the environment: gpg, and the gpg-agent gpg starts (which keeps running), inherit
//     distbuild's environment, so a --passphrase-env variable would sit in the agent's
//     /proc/<pid>/environ for its whole life. load_passphrase() (passphrase.hpp) therefore
//     overwrites and removes the variable as soon as it has read it, before any gpg runs;
//   - the agent's passphrase cache: gpg-agent caches a passphrase given through the loopback
//     pinentry (default-cache-ttl, 10 minutes), after which anyone who can reach the agent's
//     socket signs without it. forget_cached_passphrases() clears those entries (gpg-agent's
//     CLEAR_PASSPHRASE, by keygrip) when the signer is finished with them. Key generation
//     needs no clearing: right after it, a signer without the passphrase is refused.
// A run killed before that leaves the cache entry until the agent's TTL expires.
#pragma once

#include <gpgme.h>

#include <filesystem>
#include <optional>

namespace distbuild::signing {

// Clears the agent's cached passphrases of every subkey of `key` for `gnupg_home` (nullopt: the
// default home, as gpg chooses it). Runs gpg-connect-agent --no-autostart, so an agent that is
// not running is not started. Never throws: it is cleanup on the way out.
void forget_cached_passphrases(const std::optional<std::filesystem::path>& gnupg_home,
                               gpgme_key_t key) noexcept;

} // namespace distbuild::signing
