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

namespace {

std::string problem_of(gpgme_error_t status, const std::string& fpr) {
  switch (gpgme_err_code(status)) {
  case GPG_ERR_NO_ERROR:
    return "";
  case GPG_ERR_BAD_SIGNATURE:
    return "bad signature";
  case GPG_ERR_NO_PUBKEY:
    return "signed by unknown key " + fpr;
  case GPG_ERR_KEY_EXPIRED:
    return "signed by expired key " + fpr;
  case GPG_ERR_CERT_REVOKED:
    return "signed by revoked key " + fpr;
  case GPG_ERR_SIG_EXPIRED:
    return "signature expired";
  default:
    return gpgme_error_text("cannot check signature", status);
  }
}

} // namespace

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
  struct Raw {
    std::string fpr;
    gpgme_error_t status;
    gpgme_hash_algo_t hash;
  };
  std::vector<Raw> raw;
  for (gpgme_signature_t sig = result->signatures; sig != nullptr; sig = sig->next) {
    raw.push_back({sig->fpr != nullptr ? sig->fpr : "", sig->status, sig->hash_algo});
  }
  for (const Raw& sig : raw) {
    SignatureInfo info;
    info.fingerprint = primary_fingerprint(sig.fpr);
    info.digest = digest_name(sig.hash);
    info.problem = problem_of(sig.status, info.fingerprint);
    if (info.problem.empty() && !is_strong_digest(sig.hash)) {
      info.problem =
          "signed with " + info.digest + ", which is too weak (SHA256 or stronger is required)";
    }
    check.signatures.push_back(std::move(info));
  }
  // Every signature in the block must hold; the first failure is the one reported.
  check.valid = true;
  for (const SignatureInfo& info : check.signatures) {
    check.signer_fingerprint = info.fingerprint;
    if (!info.problem.empty()) {
      check.valid = false;
      check.problem = info.problem;
      break;
    }
  }
  return check;
}

} // namespace distbuild::signing
