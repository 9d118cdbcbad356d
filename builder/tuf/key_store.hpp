// Where the private keys of a tree's TUF roles live: a directory outside the tree (never served,
// never copied by a mirror), one PKCS#8 PEM file per key named <role>-<keyid>.pem, the directory
// 0700 and each file 0600. The default is distbuild's data dir beside its GnuPG home
// ($XDG_DATA_HOME/distbuild/tuf-keys, else ~/.local/share/distbuild/tuf-keys).
//
// A key is found by its key id, which is what a root lists, so one directory can hold the keys
// of many trees and of every rotation; keys a root no longer lists are simply never used again.
// Root keys may sit in a directory of their own (offline, see README "TUF") and may be encrypted
// with a passphrase; the online keys (targets, snapshot, timestamp) are not, because every
// publishing command and the timestamp cron job must use them unattended.
#pragma once

#include "builder/tuf/metadata.hpp"
#include "signing/ed25519.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder::tuf {

std::filesystem::path default_keys_dir();

struct StoredKey {
  signing::Ed25519Key key;
  std::filesystem::path file;
};

// Makes a key for `role` and writes it into `dir` (created 0700), encrypted when `passphrase`
// is not empty. Throws builder::Error naming the file.
StoredKey create_key(const std::filesystem::path& dir, Role role, const std::string& passphrase);

// The private key with this key id from the first of `dirs` that holds it; nullopt when none
// does. Throws builder::Error naming the file when it is unreadable or the passphrase is wrong.
std::optional<StoredKey> find_key(const std::vector<std::filesystem::path>& dirs,
                                  const std::string& keyid, const std::string& passphrase);

} // namespace distbuild::builder::tuf
