// Which keys a tree is signed with, and the rule every publish into it follows, so that no file
// is ever left with a signature the tree's own release-key.asc cannot check:
//   - release-key.fingerprint names the tree's signing keys, one per line (one key; two during a
//     key rotation's transition, when every file carries a signature by each);
//   - publishing into a signed tree needs exactly those keys: with none, new files would be
//     unsigned and stale .asc files would sit next to rewritten ones; with others, release-key.asc
//     would be replaced and every older signature would stop verifying;
//   - publishing signed files into a tree that has unsigned content would leave it half-signed;
//   - unless the user asks for a rotation (--rotate-key): then every file of the tree is re-signed
//     with the given keys, which become the tree's keys (release/publisher.hpp does it, with
//     release-key.asc holding the old and the new keys while the files are re-signed).
// The README's "Keys" section has the procedure.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

// The fingerprints in <root>/release-key.fingerprint (none when the tree is not signed).
std::vector<std::string> tree_signing_keys(const std::filesystem::path& root);

// Whether the tree holds files that would carry a signature (anything in dist/ or rustup/).
bool has_signable_content(const std::filesystem::path& root);

// Checks a publish with `signer` (null: unsigned) into `root`, before anything is written.
// Returns true when the publish is a key change that re-signs the whole tree (rotation asked and
// the keys differ, or the first signature of a tree with unsigned content). Throws
// builder::Error naming the tree, its keys and the way out when the rule above is broken.
bool check_key_continuity(const std::filesystem::path& root, const signing::Signer* signer,
                          bool rotate);

} // namespace distbuild::builder
