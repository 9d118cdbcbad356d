// The GPGME signer: one context bound to the chosen GnuPG home (signer_setup.hpp), one secret key,
// gpg-agent doing the private-key work (so keys on a smartcard or in the agent's cache work
// unchanged).
//
// Digest: GPGME 1.18 has no per-operation digest option and gpg's --digest-algo cannot be
// passed through it, so gpg picks the digest from the key and the home's gpg.conf: SHA-512 for
// an RSA key with gpg's default preferences and for homes made by `distbuild keygen`
// (keygen.cpp writes `personal-digest-preferences SHA512`), SHA-256 for an ed25519 key in a
// home without that line (GnuPG 2.2). A user's own home is never edited: any digest of the
// SHA-2 family from SHA-256 up is accepted, and a weaker one (SHA-1, RIPEMD-160, MD5, SHA-224,
// which a gpg.conf can ask for) is refused before anything is signed. digest_name() says which.
//
// Passphrases: when one is given, gpg-agent's cache is cleared for the key first and again at the
// end (agent_cache.hpp), so the given passphrase is the one that unlocks the key, every time.
#include "signing/agent_cache.hpp"
#include "signing/error.hpp"
#include "signing/signer_setup.hpp"
#include "signing/gpgme_handles.hpp"
#include "signing/input_file.hpp"
#include "signing/passphrase.hpp"
#include "signing/signer.hpp"

namespace distbuild::signing {

namespace {

constexpr std::string_view k_probe = "distbuild signing probe\n";

// A home that does not exist holds no key; said plainly instead of through gpg's keybox errors.
GnupgHome existing_home(GnupgHome home) {
  std::error_code ec;
  if (!std::filesystem::is_directory(home.path, ec)) {
    throw Error(home.path.string(),
                home.source == HomeSource::distbuild_default
                    ? "no such GnuPG home (distbuild's default: `distbuild keygen` makes a key "
                      "there; for a key of your own gpg give --gnupg-home ~/.gnupg or set "
                      "GNUPGHOME)"
                    : "no such GnuPG home");
  }
  return home;
}

std::string join_fingerprints(const std::vector<GpgmeKey>& keys) {
  std::string out;
  for (const GpgmeKey& key : keys) {
    out += (out.empty() ? "" : ", ") + std::string(key->fpr);
  }
  return out;
}

class GpgmeSigner final : public Signer {
public:
  explicit GpgmeSigner(const KeyOptions& options);
  ~GpgmeSigner() override;
  GpgmeSigner(const GpgmeSigner&) = delete;
  GpgmeSigner& operator=(const GpgmeSigner&) = delete;

  std::string fingerprint() const override { return m_fingerprint; }
  std::string digest_name() const override { return m_digest; }
  std::string sign_file(const std::filesystem::path& file) override;
  std::string sign_bytes(std::string_view bytes) override;
  std::string export_public_key() const override;

private:
  GpgmeKey find_key(const std::string& pattern) const;
  std::string sign(gpgme_data_t plain, const std::string& subject);

  std::vector<std::string> keygrips() const;

  GnupgHome m_home;
  Passphrase m_passphrase;
  LoopbackState m_loopback;
  GpgmeContext m_ctx;
  GpgmeKey m_key;
  std::string m_fingerprint;
  std::string m_digest;
};

GpgmeSigner::GpgmeSigner(const KeyOptions& options)
    : m_home(existing_home(resolve_gnupg_home(options.gnupg_home))),
      m_passphrase(load_passphrase(options.passphrase_file, options.passphrase_env)),
      m_ctx(new_context(m_home.path)) {
  m_loopback.passphrase = &m_passphrase;
  use_loopback_pinentry(m_ctx.get(), m_loopback);
  m_key = find_key(options.key);
  m_fingerprint = m_key->fpr;
  gpgme_signers_clear(m_ctx.get());
  gpgme_error_t err = gpgme_signers_add(m_ctx.get(), m_key.get());
  if (err != 0) {
    throw Error(m_fingerprint, gpgme_error_text("cannot use key for signing", err));
  }
  if (!m_passphrase.empty()) {
    forget_cached_passphrases(m_home.path, keygrips());
  }
  sign_bytes(k_probe);
}

GpgmeSigner::~GpgmeSigner() {
  if (m_passphrase.empty() || !m_key) {
    return;
  }
  try {
    forget_cached_passphrases(m_home.path, keygrips());
  } catch (...) {
    // Cleanup only; the signatures already made stand.
  }
}

std::vector<std::string> GpgmeSigner::keygrips() const {
  std::vector<std::string> out;
  for (gpgme_subkey_t sub = m_key->subkeys; sub != nullptr; sub = sub->next) {
    if (sub->keygrip != nullptr && *sub->keygrip != '\0') {
      out.emplace_back(sub->keygrip);
    }
  }
  return out;
}

GpgmeKey GpgmeSigner::find_key(const std::string& pattern) const {
  const std::string home = m_home.path.string();
  std::vector<GpgmeKey> keys = list_secret_signing_keys(m_ctx.get(), pattern);
  if (keys.size() == 1) {
    return std::move(keys.front());
  }
  if (keys.size() > 1) {
    throw Error(pattern.empty() ? home : pattern,
                std::to_string(keys.size()) + " secret signing keys match (" +
                    join_fingerprints(keys) + "); choose one by fingerprint");
  }
  if (pattern.empty()) {
    throw Error(home, "no secret signing key in this GnuPG home (`distbuild keygen` makes one)");
  }
  if (!list_public_keys(m_ctx.get(), pattern).empty()) {
    throw Error(pattern, "no usable secret signing key in " + home +
                             " (only the public key, or the key is revoked or expired)");
  }
  if (m_home.source == HomeSource::distbuild_default) {
    throw Error(pattern, "no such key in " + home +
                             " (distbuild's default GnuPG home; for a key of your own gpg give "
                             "--gnupg-home ~/.gnupg or set GNUPGHOME)");
  }
  throw Error(pattern, "no such key in " + home);
}

std::string GpgmeSigner::sign_file(const std::filesystem::path& file) {
  InputFile input(file);
  GpgmeData plain = data_from_fd(input.fd());
  return sign(plain.get(), file.string());
}

std::string GpgmeSigner::sign_bytes(std::string_view bytes) {
  GpgmeData plain = data_from_bytes(bytes);
  return sign(plain.get(), "");
}

std::string GpgmeSigner::sign(gpgme_data_t plain, const std::string& subject) {
  GpgmeData signature = new_memory_data();
  m_loopback.asked = false;
  m_loopback.rejected = false;
  gpgme_error_t err = gpgme_op_sign(m_ctx.get(), plain, signature.get(), GPGME_SIG_MODE_DETACH);
  if (err != 0) {
    if (m_loopback.rejected || gpgme_err_code(err) == GPG_ERR_BAD_PASSPHRASE) {
      throw Error(m_fingerprint, "bad passphrase for the secret key");
    }
    if (m_loopback.asked && m_passphrase.empty()) {
      throw Error(m_fingerprint, "the secret key is protected by a passphrase; give a "
                                 "passphrase file or environment variable");
    }
    throw Error(subject.empty() ? m_fingerprint : subject,
                gpgme_error_text("signing with key " + m_fingerprint + " failed", err));
  }
  gpgme_sign_result_t result = gpgme_op_sign_result(m_ctx.get());
  if (result == nullptr || result->signatures == nullptr) {
    gpgme_error_t reason = (result != nullptr && result->invalid_signers != nullptr)
                               ? result->invalid_signers->reason
                               : gpg_error(GPG_ERR_GENERAL);
    throw Error(m_fingerprint, gpgme_error_text("gpg made no signature", reason));
  }
  if (result->signatures->next != nullptr || result->signatures->type != GPGME_SIG_MODE_DETACH) {
    throw Error(m_fingerprint, "gpg made an unexpected signature (not one detached signature)");
  }
  const gpgme_hash_algo_t algo = result->signatures->hash_algo;
  if (!is_strong_digest(algo)) {
    throw Error(m_fingerprint,
                "gpg signed with " + signing::digest_name(algo) +
                    ", which is too weak (SHA256, SHA384 or SHA512 are accepted); remove the "
                    "digest-algo or personal-digest-preferences line that asks for it from "
                    "gpg.conf of " + m_home.path.string());
  }
  m_digest = signing::digest_name(algo);
  return read_all(signature.get());
}

std::string GpgmeSigner::export_public_key() const {
  GpgmeData out = new_memory_data();
  gpgme_error_t err = gpgme_op_export(m_ctx.get(), m_fingerprint.c_str(), 0, out.get());
  if (err != 0) {
    throw Error(m_fingerprint, gpgme_error_text("cannot export the public key", err));
  }
  std::string armored = read_all(out.get());
  if (armored.empty()) {
    throw Error(m_fingerprint, "cannot export the public key: gpg returned nothing");
  }
  return armored;
}

} // namespace

std::unique_ptr<Signer> make_gpgme_signer(const KeyOptions& options) {
  return std::make_unique<GpgmeSigner>(options);
}

} // namespace distbuild::signing
