// How a command gets its signer, the same way for every command that makes, finds or uses a key
// (keygen, dist, sign, rustup, overlay, mirror, quickstart).
//
// The GnuPG home, by one rule:
//   1. --gnupg-home, when given;
//   2. else $GNUPGHOME, when set and not empty (the home the user's own gpg uses);
//   3. else distbuild's own home, $XDG_DATA_HOME/distbuild/gnupg or ~/.local/share/distbuild/gnupg,
//      where `distbuild keygen` puts its key. The user's ~/.gnupg is used only when named.
// The chosen path is always concrete, so every message can name it.
//
// The key: the one the command names (--sign-key, repeatable) in that home, or, when the command
// signs by default (quickstart, `sign` without --sign-key), the only key of that home; in
// distbuild's own default home that key is made on first use (keygen.hpp), never in a home the
// user named.
#pragma once

#include "signing/signer.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {


enum class HomeSource { option, environment, distbuild_default };

struct GnupgHome {
  std::filesystem::path path; // absolute
  HomeSource source = HomeSource::distbuild_default;

  // "<path> (from --gnupg-home)", "<path> (from GNUPGHOME)", "<path> (distbuild's default)".
  std::string describe() const;
};

// Throws signing::Error when none of the three can be found (no HOME and no passwd entry).
GnupgHome resolve_gnupg_home(const std::optional<std::filesystem::path>& option);

// $XDG_DATA_HOME/distbuild/gnupg (an absolute XDG_DATA_HOME only), or
// ~/.local/share/distbuild/gnupg.
std::filesystem::path default_distbuild_gnupg_home();


struct SignerRequest {
  KeyOptions key;
  // Further keys of the same home, each signing every file too (a key rotation's transition:
  // multi_signer.hpp). The passphrase source applies to each.
  std::vector<std::string> more_keys;
  bool default_key = false; // no key named: the home's only key (made if the home is distbuild's)
};

struct OpenedSigner {
  std::unique_ptr<Signer> signer; // null: no key named and no default asked for
  GnupgHome home;                 // the home used (or that would have been)
  bool key_created = false;       // distbuild's default key was made just now
};

// Throws signing::Error (see make_gpgme_signer and ensure_signing_key), naming the home.
OpenedSigner open_signer(const SignerRequest& request);

} // namespace distbuild::signing
