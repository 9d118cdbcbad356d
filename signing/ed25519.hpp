// Ed25519 keys and signatures over bytes, through OpenSSL's libcrypto (EVP_PKEY_ED25519), in the
// forms The Update Framework writes them (builder/tuf/ builds the metadata; this file never sees
// it, only bytes):
//   public key   64 lowercase hex characters (the raw 32 bytes), TUF's keyval.public
//   signature    128 lowercase hex characters (the raw 64 bytes), TUF's signatures[].sig
//   key id       SHA-256 of the key's canonical JSON
//                {"keytype":"ed25519","keyval":{"public":"<hex>"},"scheme":"ed25519"}
//   private key  PKCS#8 PEM; with a passphrase, encrypted (PBES2: PBKDF2-HMAC-SHA256 and
//                AES-256-CBC), so a key file at rest is useless without it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace distbuild::signing {

class Ed25519Key {
public:
  // A fresh key from the system's random generator.
  static Ed25519Key generate();
  // Reads a PKCS#8 PEM private key; an encrypted one needs `passphrase`. Throws signing::Error
  // naming `source` (a file name) when the text is no Ed25519 key or the passphrase is wrong or
  // missing; never prompts.
  static Ed25519Key from_pem(std::string_view pem, const std::string& passphrase,
                             const std::string& source);

  Ed25519Key(Ed25519Key&&) noexcept;
  Ed25519Key& operator=(Ed25519Key&&) noexcept;
  ~Ed25519Key();

  // PKCS#8 PEM; encrypted when `passphrase` is not empty.
  std::string to_pem(const std::string& passphrase) const;
  std::string public_hex() const;
  std::string key_id() const;
  // Hex of the 64-byte signature of `message`.
  std::string sign_hex(std::string_view message) const;

private:
  struct Impl;
  explicit Ed25519Key(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> m_impl;
};

// True when `signature_hex` is a valid Ed25519 signature of `message` by `public_hex`; false for
// a bad signature and for malformed hex of either (a verifier never throws on what it is shown).
bool ed25519_verify(const std::string& public_hex, std::string_view message,
                    const std::string& signature_hex);

// TUF's key id of an ed25519 public key (see the top of this file).
std::string tuf_key_id(const std::string& public_hex);

std::string to_hex(std::string_view bytes);
// Decodes hex (either case); false when `hex` is not an even number of hex digits.
bool from_hex(std::string_view hex, std::string& bytes);

} // namespace distbuild::signing
