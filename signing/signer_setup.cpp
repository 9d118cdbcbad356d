// See signer_setup.hpp.
#include "signing/signer_setup.hpp"

#include "signing/keygen.hpp"
#include "signing/multi_signer.hpp"

namespace distbuild::signing {

namespace {

constexpr const char* k_default_user_id = "distbuild signing key";

} // namespace

OpenedSigner open_signer(const SignerRequest& request) {
  OpenedSigner opened;
  opened.home = resolve_gnupg_home(request.key.gnupg_home);
  if (request.key.key.empty() && !request.default_key) {
    return opened;
  }
  KeyOptions options = request.key;
  options.gnupg_home = opened.home.path;
  if (options.key.empty() && opened.home.source == HomeSource::distbuild_default) {
    // distbuild's own key, in its own home: made once. Any later failure (a passphrase, say) is
    // reported, never papered over with a new key.
    const KeygenResult ensured =
        ensure_signing_key(opened.home.path, k_default_user_id, "", false);
    opened.key_created = ensured.created;
    options.key = ensured.key.fingerprint;
  }
  if (request.more_keys.empty()) {
    opened.signer = make_gpgme_signer(options);
    return opened;
  }
  std::vector<std::unique_ptr<Signer>> signers;
  signers.push_back(make_gpgme_signer(options));
  for (const std::string& key : request.more_keys) {
    KeyOptions more = options;
    more.key = key;
    signers.push_back(make_gpgme_signer(more));
  }
  opened.signer = std::make_unique<MultiSigner>(std::move(signers));
  return opened;
}

} // namespace distbuild::signing
