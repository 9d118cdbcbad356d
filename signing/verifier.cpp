// See verifier.hpp. Trust is not GnuPG's web of trust here: the imported keys are the trusted
// set by construction, so a signature counts as valid when gpg reports it good (status 0),
// whatever owner trust the fresh home assigns.
#include "signing/verifier.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"
#include "signing/input_file.hpp"
#include "signing/temporary_home.hpp"

#include <utility>

namespace distbuild::signing {

struct Verifier::Impl {
  // Declared first, destroyed last: the context goes before its home and agent.
  TemporaryGnupgHome home{"distbuild-verify-"};
  GpgmeContext ctx;

  std::string primary_fingerprint(const std::string& signing_fpr) {
    if (signing_fpr.empty()) {
      return {};
    }
    // A signing subkey's fingerprint maps to its primary key, the one users know.
    std::vector<GpgmeKey> keys = list_public_keys(ctx.get(), signing_fpr);
    return keys.size() == 1 ? std::string(keys.front()->fpr) : signing_fpr;
  }

  SignatureCheck verify(gpgme_data_t signed_text, const std::string& armored_signature);
};

Verifier::Verifier(const std::string& armored_public_keys) : m_impl(std::make_unique<Impl>()) {
  m_impl->ctx = new_context(m_impl->home.path());
  GpgmeData keys = data_from_bytes(armored_public_keys);
  gpgme_error_t err = gpgme_op_import(m_impl->ctx.get(), keys.get());
  gpgme_import_result_t result = gpgme_op_import_result(m_impl->ctx.get());
  if (err != 0 || result == nullptr || result->imported + result->unchanged == 0 ||
      fingerprints().empty()) {
    throw Error("public key", "no OpenPGP public key found in the given text");
  }
}

Verifier::~Verifier() = default;

const std::filesystem::path& Verifier::gnupg_home() const {
  return m_impl->home.path();
}

std::vector<std::string> Verifier::fingerprints() const {
  std::vector<std::string> out;
  for (const GpgmeKey& key : list_public_keys(m_impl->ctx.get(), "")) {
    out.emplace_back(key->fpr);
  }
  return out;
}

SignatureCheck Verifier::verify_file(const std::filesystem::path& file,
                                     const std::string& armored_signature) {
  InputFile input(file);
  GpgmeData signed_text = data_from_fd(input.fd());
  return m_impl->verify(signed_text.get(), armored_signature);
}

SignatureCheck Verifier::verify_bytes(std::string_view bytes,
                                      const std::string& armored_signature) {
  GpgmeData signed_text = data_from_bytes(bytes);
  return m_impl->verify(signed_text.get(), armored_signature);
}

SignatureCheck Verifier::Impl::verify(gpgme_data_t signed_text,
                                      const std::string& armored_signature) {
  SignatureCheck check;
  GpgmeData signature = data_from_bytes(armored_signature);
  gpgme_error_t err = gpgme_op_verify(ctx.get(), signature.get(), signed_text, nullptr);
  gpgme_verify_result_t result = gpgme_op_verify_result(ctx.get());
  if (gpgme_err_code(err) == GPG_ERR_NO_DATA || result == nullptr ||
      result->signatures == nullptr) {
    check.problem = "no signature";
    return check;
  }
  if (err != 0) {
    check.problem = gpgme_error_text("cannot check signature", err);
    return check;
  }
  // Copied out first: the key lookups below start a new operation on this context, which
  // frees the verify result.
  std::vector<std::pair<std::string, gpgme_error_t>> signatures;
  for (gpgme_signature_t sig = result->signatures; sig != nullptr; sig = sig->next) {
    signatures.emplace_back(sig->fpr != nullptr ? sig->fpr : "", sig->status);
  }
  // Every signature in the block must hold; the first failure is the one reported.
  for (const auto& [signing_fpr, status] : signatures) {
    const std::string fpr = primary_fingerprint(signing_fpr);
    check.signer_fingerprint = fpr;
    switch (gpgme_err_code(status)) {
    case GPG_ERR_NO_ERROR:
      continue;
    case GPG_ERR_BAD_SIGNATURE:
      check.problem = "bad signature";
      break;
    case GPG_ERR_NO_PUBKEY:
      check.problem = "signed by unknown key " + fpr;
      break;
    case GPG_ERR_KEY_EXPIRED:
      check.problem = "signed by expired key " + fpr;
      break;
    case GPG_ERR_CERT_REVOKED:
      check.problem = "signed by revoked key " + fpr;
      break;
    case GPG_ERR_SIG_EXPIRED:
      check.problem = "signature expired";
      break;
    default:
      check.problem = gpgme_error_text("cannot check signature", status);
      break;
    }
    return check;
  }
  check.valid = true;
  return check;
}

} // namespace distbuild::signing
