// Passphrase loading and GPGME's loopback pinentry callback (see passphrase.hpp).
#include "signing/passphrase.hpp"

#include "signing/error.hpp"
#include "signing/gpgme_handles.hpp"

#include <openssl/crypto.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>

namespace distbuild::signing {

namespace {

gpgme_error_t answer_passphrase(void* hook, const char* /*uid_hint*/,
                                const char* /*passphrase_info*/, int prev_was_bad, int fd) {
  auto* state = static_cast<LoopbackState*>(hook);
  state->asked = true;
  if (prev_was_bad) {
    // Answering again with the same text would only loop until gpg-agent gives up.
    state->rejected = true;
    return gpg_error(GPG_ERR_BAD_PASSPHRASE);
  }
  if (state->passphrase == nullptr || state->passphrase->empty()) {
    return gpg_error(GPG_ERR_NO_PASSPHRASE);
  }
  const std::string& text = state->passphrase->value();
  if (gpgme_io_writen(fd, text.data(), text.size()) != 0 || gpgme_io_writen(fd, "\n", 1) != 0) {
    return gpgme_error_from_syserror();
  }
  return 0;
}

} // namespace

Passphrase::Passphrase(std::string value) : m_value(std::make_unique<std::string>()) {
  m_value->swap(value);
  OPENSSL_cleanse(value.data(), value.capacity());
}

Passphrase::~Passphrase() {
  wipe();
}

Passphrase& Passphrase::operator=(Passphrase&& other) noexcept {
  if (this != &other) {
    wipe();
    m_value = std::move(other.m_value);
  }
  return *this;
}

const std::string& Passphrase::value() const {
  static const std::string k_none;
  return m_value ? *m_value : k_none;
}

void Passphrase::wipe() noexcept {
  if (m_value) {
    OPENSSL_cleanse(m_value->data(), m_value->capacity());
    m_value.reset();
  }
}

Passphrase load_passphrase(const std::optional<std::filesystem::path>& file,
                           const std::optional<std::string>& env_name) {
  if (file && env_name) {
    throw Error("passphrase", "give a passphrase file or an environment variable, not both");
  }
  if (file) {
    std::ifstream in(*file, std::ios::binary);
    if (!in) {
      throw Error(file->string(),
                  std::string("cannot read passphrase file: ") + std::strerror(errno));
    }
    // Only the first line counts, as with gpg --passphrase-file; a CRLF file works too.
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    Passphrase passphrase(std::move(line));
    OPENSSL_cleanse(line.data(), line.capacity());
    if (passphrase.empty()) {
      throw Error(file->string(), "passphrase file is empty");
    }
    return passphrase;
  }
  if (env_name) {
    const char* value = std::getenv(env_name->c_str());
    if (value == nullptr) {
      throw Error(*env_name, "passphrase environment variable is not set");
    }
    if (*value == '\0') {
      throw Error(*env_name, "passphrase environment variable is empty");
    }
    Passphrase passphrase(value);
    // Gone before any gpg runs: gpg and the gpg-agent it starts (which outlives this process)
    // inherit the environment (agent_cache.hpp). The bytes are overwritten first, since
    // unsetenv only drops the pointer and /proc/<pid>/environ shows the original block.
    OPENSSL_cleanse(const_cast<char*>(value), std::strlen(value));
    ::unsetenv(env_name->c_str());
    return passphrase;
  }
  return Passphrase();
}

void use_loopback_pinentry(gpgme_ctx_t ctx, LoopbackState& state) {
  gpgme_error_t err = gpgme_set_pinentry_mode(ctx, GPGME_PINENTRY_MODE_LOOPBACK);
  if (err != 0) {
    throw Error("gpgme", gpgme_error_text("cannot use loopback pinentry", err));
  }
  gpgme_set_passphrase_cb(ctx, &answer_passphrase, &state);
}

} // namespace distbuild::signing
