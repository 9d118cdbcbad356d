// Key generation through gpgme_op_createkey (the quick-gen-key path of gpg 2.1.13+); see
// keygen.hpp for what is made and where.
#include "signing/keygen.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"
#include "signing/passphrase.hpp"

#include <fstream>

namespace distbuild::signing {

namespace fs = std::filesystem;

namespace {

constexpr const char* k_gpg_conf =
    "# Written by distbuild keygen. GnuPG 2.2 signs with SHA-256 when the key is ed25519;\n"
    "# Rust's release signatures (and distbuild's) use SHA-512.\n"
    "personal-digest-preferences SHA512\n"
    "cert-digest-algo SHA512\n";

void prepare_home(const fs::path& home) {
  std::error_code ec;
  if (fs::exists(home, ec)) {
    if (!fs::is_directory(home, ec)) {
      throw Error(home.string(), "not a directory");
    }
  } else {
    fs::create_directories(home, ec);
    if (ec) {
      throw Error(home.string(), "cannot create GnuPG home: " + ec.message());
    }
    // gpg warns about (and gpg-agent may refuse) a home others can read.
    fs::permissions(home, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) {
      throw Error(home.string(), "cannot make GnuPG home private: " + ec.message());
    }
  }
  // Never edit an existing gpg.conf: the home may be one the user already configured.
  const fs::path conf = home / "gpg.conf";
  if (!fs::exists(conf, ec)) {
    const fs::path temp = home / ".gpg.conf.distbuild-tmp";
    {
      std::ofstream out(temp, std::ios::binary | std::ios::trunc);
      out << k_gpg_conf;
      if (!out.flush()) {
        throw Error(temp.string(), "cannot write");
      }
    }
    fs::rename(temp, conf, ec);
    if (ec) {
      throw Error(conf.string(), "cannot write: " + ec.message());
    }
  }
}

} // namespace

GeneratedKey generate_signing_key(const fs::path& gnupg_home, const std::string& user_id,
                                  const std::string& passphrase) {
  if (user_id.empty()) {
    throw Error(gnupg_home.string(), "a key needs a user ID (name and/or email)");
  }
  const fs::path home = fs::absolute(gnupg_home);
  prepare_home(home);
  GpgmeContext ctx = new_context(home);
  Passphrase secret(passphrase);
  LoopbackState loopback;
  loopback.passphrase = &secret;
  use_loopback_pinentry(ctx.get(), loopback);

  unsigned int flags = GPGME_CREATE_SIGN | GPGME_CREATE_NOEXPIRE | GPGME_CREATE_FORCE;
  if (secret.empty()) {
    flags |= GPGME_CREATE_NOPASSWD;
  }
  gpgme_error_t err =
      gpgme_op_createkey(ctx.get(), user_id.c_str(), "ed25519", 0, 0, nullptr, flags);
  if (err != 0) {
    throw Error(home.string(), gpgme_error_text("cannot create an ed25519 signing key", err));
  }
  gpgme_genkey_result_t result = gpgme_op_genkey_result(ctx.get());
  if (result == nullptr || result->fpr == nullptr) {
    throw Error(home.string(), "gpg created a key but did not report its fingerprint");
  }
  return GeneratedKey{result->fpr, home};
}

std::vector<std::string> existing_signing_keys(const fs::path& gnupg_home) {
  std::error_code ec;
  if (!fs::is_directory(gnupg_home, ec)) {
    return {};
  }
  GpgmeContext ctx = new_context(gnupg_home);
  std::vector<std::string> fingerprints;
  for (const GpgmeKey& key : list_secret_signing_keys(ctx.get(), "")) {
    fingerprints.emplace_back(key->fpr);
  }
  return fingerprints;
}

KeygenResult ensure_signing_key(const fs::path& gnupg_home, const std::string& user_id,
                                const std::string& passphrase, bool force) {
  if (!force) {
    std::vector<std::string> existing = existing_signing_keys(gnupg_home);
    if (!existing.empty()) {
      return KeygenResult{GeneratedKey{existing.front(), fs::absolute(gnupg_home)}, false};
    }
  }
  return KeygenResult{generate_signing_key(gnupg_home, user_id, passphrase), true};
}

} // namespace distbuild::signing
