// RAII owners for the three GPGME handles signing/ uses (context, data buffer, key) and the
// one-time library initialisation GPGME demands before its first call. Destructors only free;
// every operation that can fail is checked where it is called, with the GPGME reason attached.
//
// GPGME contexts are not thread-safe: a GpgmeContext, and anything built on one (a Signer, a
// Verifier), is used from one thread at a time. Separate contexts may run in parallel.
#pragma once

#include <gpgme.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace distbuild::signing {

struct GpgmeContextDeleter {
  void operator()(gpgme_ctx_t ctx) const noexcept { gpgme_release(ctx); }
};
struct GpgmeDataDeleter {
  void operator()(gpgme_data_t data) const noexcept { gpgme_data_release(data); }
};
struct GpgmeKeyDeleter {
  void operator()(gpgme_key_t key) const noexcept { gpgme_key_unref(key); }
};

using GpgmeContext = std::unique_ptr<std::remove_pointer_t<gpgme_ctx_t>, GpgmeContextDeleter>;
using GpgmeData = std::unique_ptr<std::remove_pointer_t<gpgme_data_t>, GpgmeDataDeleter>;
using GpgmeKey = std::unique_ptr<std::remove_pointer_t<gpgme_key_t>, GpgmeKeyDeleter>;

// gpgme_check_version (which also sets SIGPIPE to ignored, so a dying gpg cannot kill us) and
// the engine check, once per process. Throws signing::Error when gpg is missing or too old.
void initialise_gpgme();

// An OpenPGP context with ASCII armor on, bound to `gnupg_home` (nullopt: GNUPGHOME or the
// default home, exactly as gpg itself would choose).
GpgmeContext new_context(const std::optional<std::filesystem::path>& gnupg_home);

GpgmeData new_memory_data();
// Refers to `bytes` without copying; they must outlive the data object.
GpgmeData data_from_bytes(std::string_view bytes);
// Reads the descriptor on demand, so gpg streams a large file instead of it being loaded.
GpgmeData data_from_fd(int fd);
// The whole content of a (memory) data object.
std::string read_all(gpgme_data_t data);

// "<what>: <GPGME's reason>" (thread-safe strerror).
std::string gpgme_error_text(const std::string& what, gpgme_error_t err);

// Digests distbuild accepts in a signature: the SHA-2 family from SHA-256 up (SHA256, SHA384,
// SHA512). SHA-1, RIPEMD-160, MD5 and SHA-224 are refused when signing and when verifying.
bool is_strong_digest(gpgme_hash_algo_t algo);
// GnuPG's name of a digest ("SHA512"), or "digest <number>" for one GPGME does not name.
std::string digest_name(gpgme_hash_algo_t algo);

// Secret keys of `ctx`'s home that can make signatures (not revoked, expired, disabled or
// invalid), matching `pattern` (fingerprint, key id, email or name; empty = all).
std::vector<GpgmeKey> list_secret_signing_keys(gpgme_ctx_t ctx, const std::string& pattern);
// Public keys matching `pattern` (empty = all).
std::vector<GpgmeKey> list_public_keys(gpgme_ctx_t ctx, const std::string& pattern);

} // namespace distbuild::signing
