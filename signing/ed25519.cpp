// Ed25519 through libcrypto's EVP interface (ed25519.hpp). Every OpenSSL object has an owner;
// a PEM with a passphrase is read through a callback that answers only with the passphrase we
// were given, so OpenSSL never falls back to prompting on a terminal.
#include "signing/ed25519.hpp"

#include "signing/error.hpp"
#include "signing/sha256.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <array>
#include <cstring>

namespace distbuild::signing {

namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using BioPtr = std::unique_ptr<BIO, decltype(&BIO_free)>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)>;

constexpr std::size_t k_public_size = 32;
constexpr std::size_t k_signature_size = 64;

// The newest OpenSSL error as text, and the queue emptied so it cannot leak into a later call.
std::string openssl_error() {
  unsigned long code = ERR_get_error();
  std::array<char, 256> text{};
  if (code != 0) {
    ERR_error_string_n(code, text.data(), text.size());
  }
  ERR_clear_error();
  return code == 0 ? std::string("unknown OpenSSL error") : std::string(text.data());
}

// OpenSSL's pem_password_cb: the passphrase we were given, or a refusal (never a prompt).
int passphrase_callback(char* buffer, int size, int /*rwflag*/, void* user) {
  const auto* passphrase = static_cast<const std::string*>(user);
  if (passphrase == nullptr || passphrase->empty() ||
      passphrase->size() > static_cast<std::size_t>(size)) {
    return -1;
  }
  std::memcpy(buffer, passphrase->data(), passphrase->size());
  return static_cast<int>(passphrase->size());
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

} // namespace

struct Ed25519Key::Impl {
  PkeyPtr key{nullptr, &EVP_PKEY_free};
};

Ed25519Key::Ed25519Key(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Ed25519Key::Ed25519Key(Ed25519Key&&) noexcept = default;
Ed25519Key& Ed25519Key::operator=(Ed25519Key&&) noexcept = default;
Ed25519Key::~Ed25519Key() = default;

Ed25519Key Ed25519Key::generate() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr), &EVP_PKEY_CTX_free);
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    throw Error("ed25519", "cannot generate a key: " + openssl_error());
  }
  auto impl = std::make_unique<Impl>();
  impl->key.reset(raw);
  return Ed25519Key(std::move(impl));
}

Ed25519Key Ed25519Key::from_pem(std::string_view pem, const std::string& passphrase,
                                const std::string& source) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) {
    throw Error(source, "cannot read: " + openssl_error());
  }
  std::string copy = passphrase;
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, &passphrase_callback, &copy);
  std::fill(copy.begin(), copy.end(), '\0');
  if (raw == nullptr) {
    ERR_clear_error();
    bool encrypted = pem.find("ENCRYPTED") != std::string_view::npos;
    if (encrypted && passphrase.empty()) {
      throw Error(source, "is encrypted: give its passphrase (--passphrase-file or "
                          "--passphrase-env)");
    }
    throw Error(source, encrypted ? "cannot be decrypted: wrong passphrase"
                                  : "is not a PEM private key");
  }
  auto impl = std::make_unique<Impl>();
  impl->key.reset(raw);
  if (EVP_PKEY_get_id(raw) != EVP_PKEY_ED25519) {
    throw Error(source, "is not an Ed25519 key");
  }
  return Ed25519Key(std::move(impl));
}

std::string Ed25519Key::to_pem(const std::string& passphrase) const {
  BioPtr bio(BIO_new(BIO_s_mem()), &BIO_free);
  int ok = 0;
  if (bio) {
    if (passphrase.empty()) {
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), m_impl->key.get(), nullptr, nullptr, 0,
                                         nullptr, nullptr);
    } else {
      std::string copy = passphrase;
      ok = PEM_write_bio_PKCS8PrivateKey(bio.get(), m_impl->key.get(), EVP_aes_256_cbc(),
                                         copy.data(), static_cast<int>(copy.size()), nullptr,
                                         nullptr);
      std::fill(copy.begin(), copy.end(), '\0');
    }
  }
  if (ok != 1) {
    throw Error("ed25519", "cannot write the private key: " + openssl_error());
  }
  return bio_text(bio.get());
}

std::string Ed25519Key::public_hex() const {
  std::array<unsigned char, k_public_size> raw{};
  std::size_t size = raw.size();
  if (EVP_PKEY_get_raw_public_key(m_impl->key.get(), raw.data(), &size) != 1 ||
      size != k_public_size) {
    throw Error("ed25519", "cannot read the public key: " + openssl_error());
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(raw.data()), size));
}

std::string Ed25519Key::key_id() const { return tuf_key_id(public_hex()); }

std::string Ed25519Key::sign_hex(std::string_view message) const {
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::array<unsigned char, k_signature_size> signature{};
  std::size_t size = signature.size();
  // Ed25519 hashes internally: no digest is named, and the message goes in one call.
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, m_impl->key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), signature.data(), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1) {
    throw Error("ed25519", "cannot sign: " + openssl_error());
  }
  return to_hex(std::string_view(reinterpret_cast<const char*>(signature.data()), size));
}

bool ed25519_verify(const std::string& public_hex, std::string_view message,
                    const std::string& signature_hex) {
  std::string public_raw, signature;
  if (!from_hex(public_hex, public_raw) || public_raw.size() != k_public_size ||
      !from_hex(signature_hex, signature) || signature.size() != k_signature_size) {
    return false;
  }
  PkeyPtr key(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                          reinterpret_cast<const unsigned char*>(public_raw.data()),
                                          public_raw.size()),
              &EVP_PKEY_free);
  MdCtxPtr ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  bool valid = key && ctx &&
               EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) == 1 &&
               EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                                signature.size(),
                                reinterpret_cast<const unsigned char*>(message.data()),
                                message.size()) == 1;
  ERR_clear_error();
  return valid;
}

std::string tuf_key_id(const std::string& public_hex) {
  // The canonical JSON of the public key object (keys sorted, no spaces); hex has nothing to
  // escape, so the bytes can be spelled out here without a JSON library.
  return sha256_hex(R"({"keytype":"ed25519","keyval":{"public":")" + public_hex +
                    R"("},"scheme":"ed25519"})");
}

std::string to_hex(std::string_view bytes) {
  static constexpr char k_digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(bytes.size() * 2);
  for (unsigned char byte : bytes) {
    hex.push_back(k_digits[byte >> 4]);
    hex.push_back(k_digits[byte & 0xf]);
  }
  return hex;
}

bool from_hex(std::string_view hex, std::string& bytes) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  bytes.clear();
  bytes.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int high = hex_digit_value(hex[i]);
    int low = hex_digit_value(hex[i + 1]);
    if (high < 0 || low < 0) {
      return false;
    }
    bytes.push_back(static_cast<char>(high * 16 + low));
  }
  return true;
}

} // namespace distbuild::signing
