// Signing a tree: every published file gets <file>.asc (a detached, armored signature), and the
// public key plus its fingerprint are published at the root so anyone can check the tree:
//   <root>/release-key.asc           the armored public key
//   <root>/release-key.fingerprint   "<40 hex>\n" (one line per key: two during a key rotation)
// signing/ knows only bytes and files; which files of a tree are signed is decided here.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

inline constexpr const char* k_key_file = "release-key.asc";
inline constexpr const char* k_fingerprint_file = "release-key.fingerprint";
// TUF metadata (builder/tuf/): signed by its own keys, so it carries no .asc and no .sha256.
inline constexpr const char* k_tuf_dir = "tuf";

// Writes <file>.asc (atomically).
void sign_one_file(signing::Signer& signer, const std::filesystem::path& file);

// Publishes the public key(s) and fingerprint(s) at the root.
void write_key_files(signing::Signer& signer, const std::filesystem::path& root);
// <root>/release-key.fingerprint: the signer's fingerprints, one per line.
void write_fingerprint_file(const signing::Signer& signer, const std::filesystem::path& root);

// Files of a tree that carry a signature: every regular file except sidecars (.sha256, .asc),
// dot-files (locks, staging), the key files themselves and the TUF metadata in tuf/.
bool is_signed_file(const std::filesystem::path& root, const std::filesystem::path& file);

} // namespace distbuild::builder
