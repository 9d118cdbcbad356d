// GPGME plumbing shared by the signer, the verifier and key generation (see gpgme_handles.hpp).
#include "signing/gpgme_handles.hpp"

#include "signing/error.hpp"

#include <array>
#include <clocale>
#include <cstdio>
#include <mutex>

namespace distbuild::signing {

namespace {

// GPGME's documented minimum for gpgme_set_ctx_flag and createkey with GPGME_CREATE_NOEXPIRE.
constexpr const char* k_min_gpgme_version = "1.9.0";

void check(gpgme_error_t err, const std::string& what) {
  if (err != 0) {
    throw Error("gpgme", gpgme_error_text(what, err));
  }
}

std::vector<GpgmeKey> list_keys(gpgme_ctx_t ctx, const std::string& pattern, bool secret_only) {
  gpgme_set_keylist_mode(ctx, GPGME_KEYLIST_MODE_LOCAL);
  check(
      gpgme_op_keylist_start(ctx, pattern.empty() ? nullptr : pattern.c_str(), secret_only ? 1 : 0),
      "cannot list keys");
  std::vector<GpgmeKey> keys;
  while (true) {
    gpgme_key_t key = nullptr;
    gpgme_error_t err = gpgme_op_keylist_next(ctx, &key);
    if (gpgme_err_code(err) == GPG_ERR_EOF) {
      break;
    }
    if (err != 0) {
      gpgme_op_keylist_end(ctx);
      throw Error("gpgme", gpgme_error_text("cannot list keys", err));
    }
    keys.emplace_back(key);
  }
  gpgme_op_keylist_end(ctx);
  return keys;
}

} // namespace

void initialise_gpgme() {
  static std::once_flag once;
  static std::string failure;
  std::call_once(once, [] {
    if (gpgme_check_version(k_min_gpgme_version) == nullptr) {
      failure = std::string("GPGME ") + k_min_gpgme_version + " or newer is required";
      return;
    }
    gpgme_set_locale(nullptr, LC_CTYPE, std::setlocale(LC_CTYPE, nullptr));
    gpgme_error_t err = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
    if (err != 0) {
      failure = gpgme_error_text("no usable gpg engine (install the gnupg package)", err);
    }
  });
  if (!failure.empty()) {
    throw Error("gpgme", failure);
  }
}

GpgmeContext new_context(const std::optional<std::filesystem::path>& gnupg_home) {
  initialise_gpgme();
  gpgme_ctx_t raw = nullptr;
  check(gpgme_new(&raw), "cannot create a context");
  GpgmeContext ctx(raw);
  check(gpgme_set_protocol(ctx.get(), GPGME_PROTOCOL_OpenPGP), "cannot select OpenPGP");
  gpgme_set_armor(ctx.get(), 1);
  gpgme_set_textmode(ctx.get(), 0);
  if (gnupg_home) {
    // A null file name keeps the engine binary GPGME found; only the home changes.
    check(
        gpgme_ctx_set_engine_info(ctx.get(), GPGME_PROTOCOL_OpenPGP, nullptr, gnupg_home->c_str()),
        "cannot use GnuPG home " + gnupg_home->string());
  }
  return ctx;
}

GpgmeData new_memory_data() {
  gpgme_data_t raw = nullptr;
  check(gpgme_data_new(&raw), "cannot create a data buffer");
  return GpgmeData(raw);
}

GpgmeData data_from_bytes(std::string_view bytes) {
  gpgme_data_t raw = nullptr;
  check(gpgme_data_new_from_mem(&raw, bytes.data(), bytes.size(), 0), "cannot wrap bytes");
  return GpgmeData(raw);
}

GpgmeData data_from_fd(int fd) {
  gpgme_data_t raw = nullptr;
  check(gpgme_data_new_from_fd(&raw, fd), "cannot wrap a file descriptor");
  return GpgmeData(raw);
}

std::string read_all(gpgme_data_t data) {
  if (gpgme_data_seek(data, 0, SEEK_SET) != 0) {
    throw Error("gpgme", "cannot rewind a data buffer");
  }
  std::string out;
  std::array<char, 8192> buffer{};
  while (true) {
    ssize_t n = gpgme_data_read(data, buffer.data(), buffer.size());
    if (n < 0) {
      throw Error("gpgme", "cannot read a data buffer");
    }
    if (n == 0) {
      break;
    }
    out.append(buffer.data(), static_cast<std::size_t>(n));
  }
  return out;
}

std::string gpgme_error_text(const std::string& what, gpgme_error_t err) {
  std::array<char, 256> reason{};
  gpgme_strerror_r(err, reason.data(), reason.size());
  return what + ": " + reason.data();
}

bool is_strong_digest(gpgme_hash_algo_t algo) {
  return algo == GPGME_MD_SHA256 || algo == GPGME_MD_SHA384 || algo == GPGME_MD_SHA512;
}

std::string digest_name(gpgme_hash_algo_t algo) {
  const char* name = gpgme_hash_algo_name(algo);
  return name != nullptr ? std::string(name) : "digest " + std::to_string(static_cast<int>(algo));
}

std::vector<GpgmeKey> list_secret_signing_keys(gpgme_ctx_t ctx, const std::string& pattern) {
  std::vector<GpgmeKey> usable;
  for (GpgmeKey& key : list_keys(ctx, pattern, true)) {
    if (key->can_sign && !key->revoked && !key->expired && !key->disabled && !key->invalid) {
      usable.push_back(std::move(key));
    }
  }
  return usable;
}

std::vector<GpgmeKey> list_public_keys(gpgme_ctx_t ctx, const std::string& pattern) {
  return list_keys(ctx, pattern, false);
}

} // namespace distbuild::signing
