// How a command gets its signer, the same way for every command that signs: the key it names
// (--sign-key) in the GnuPG home gnupg_home.hpp chooses, or, when the command signs by default
// (quickstart, `sign` without --sign-key), the only key of that home; in distbuild's own default
// home that key is made on first use (keygen.hpp), never in a home the user named.
#pragma once

#include "signing/gnupg_home.hpp"
#include "signing/signer.hpp"

#include <memory>
#include <string>
#include <vector>

namespace distbuild::signing {

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
