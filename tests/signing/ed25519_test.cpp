// Ed25519 keys through libcrypto, held to RFC 8032's first test vector (public key and
// signature byte for byte), TUF's key id, and PEM files with and without a passphrase.
#include "signing/ed25519.hpp"
#include "signing/error.hpp"

#include <gtest/gtest.h>

namespace distbuild::signing {
namespace {

// RFC 8032 section 7.1, TEST 1: the secret key 9d61b19d…7f60 as PKCS#8 PEM (made with
// `openssl pkey` from the raw key), its public key, and the signature of the empty message.
const std::string k_rfc_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
    "-----END PRIVATE KEY-----\n";
const std::string k_rfc_public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
const std::string k_rfc_signature =
    "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065"
    "224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

TEST(Ed25519, Rfc8032VectorSignsAndVerifiesByteForByte) {
  Ed25519Key key = Ed25519Key::from_pem(k_rfc_pem, "", "rfc.pem");
  EXPECT_EQ(key.public_hex(), k_rfc_public);
  EXPECT_EQ(key.sign_hex(""), k_rfc_signature);
  EXPECT_TRUE(ed25519_verify(k_rfc_public, "", k_rfc_signature));
}

TEST(Ed25519, VerifyRefusesAnyChangeAndMalformedHex) {
  std::string flipped = k_rfc_signature;
  flipped[0] = flipped[0] == 'e' ? 'f' : 'e';
  EXPECT_FALSE(ed25519_verify(k_rfc_public, "", flipped));
  EXPECT_FALSE(ed25519_verify(k_rfc_public, "x", k_rfc_signature));
  EXPECT_FALSE(ed25519_verify(k_rfc_public, "", k_rfc_signature.substr(2)));
  EXPECT_FALSE(ed25519_verify("zz" + k_rfc_public.substr(2), "", k_rfc_signature));
  EXPECT_FALSE(ed25519_verify(k_rfc_public + "00", "", k_rfc_signature));
}

TEST(Ed25519, KeyIdIsSha256OfTheCanonicalPublicKeyObject) {
  // sha256(b'{"keytype":"ed25519","keyval":{"public":"d75a…511a"},"scheme":"ed25519"}'),
  // computed with Python's hashlib.
  EXPECT_EQ(tuf_key_id(k_rfc_public),
            "74c181c7ad8a0855d4b55e44d2ba87aabdddb196832571f15f92fece332e4916");
  EXPECT_EQ(Ed25519Key::from_pem(k_rfc_pem, "", "rfc.pem").key_id(), tuf_key_id(k_rfc_public));
}

TEST(Ed25519, GeneratedKeysDifferAndSignWhatTheyVerify) {
  Ed25519Key one = Ed25519Key::generate();
  Ed25519Key two = Ed25519Key::generate();
  EXPECT_NE(one.public_hex(), two.public_hex());
  std::string signature = one.sign_hex("message");
  EXPECT_EQ(signature.size(), 128u);
  EXPECT_TRUE(ed25519_verify(one.public_hex(), "message", signature));
  EXPECT_FALSE(ed25519_verify(two.public_hex(), "message", signature));
}

TEST(Ed25519, PemRoundTripsPlainAndEncrypted) {
  Ed25519Key key = Ed25519Key::generate();
  std::string plain = key.to_pem("");
  EXPECT_NE(plain.find("-----BEGIN PRIVATE KEY-----"), std::string::npos);
  EXPECT_EQ(Ed25519Key::from_pem(plain, "", "plain.pem").public_hex(), key.public_hex());

  std::string encrypted = key.to_pem("correct horse");
  EXPECT_NE(encrypted.find("-----BEGIN ENCRYPTED PRIVATE KEY-----"), std::string::npos);
  EXPECT_EQ(encrypted.find(plain.substr(28, 40)), std::string::npos);
  EXPECT_EQ(Ed25519Key::from_pem(encrypted, "correct horse", "root.pem").public_hex(),
            key.public_hex());
}

TEST(Ed25519, PemErrorsNameTheFileAndNeverPrompt) {
  std::string encrypted = Ed25519Key::generate().to_pem("correct horse");
  auto message = [](const std::string& pem, const std::string& passphrase) {
    try {
      Ed25519Key::from_pem(pem, passphrase, "keys/root-ab.pem");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(encrypted, ""),
            "keys/root-ab.pem: is encrypted: give its passphrase (--passphrase-file or "
            "--passphrase-env)");
  EXPECT_EQ(message(encrypted, "wrong"), "keys/root-ab.pem: cannot be decrypted: wrong passphrase");
  EXPECT_EQ(message("not a key", ""), "keys/root-ab.pem: is not a PEM private key");
}

TEST(Hex, RoundTripsAndRefusesOddOrForeignDigits) {
  std::string bytes;
  ASSERT_TRUE(from_hex("00ff7Fa0", bytes));
  EXPECT_EQ(bytes, std::string("\x00\xff\x7f\xa0", 4));
  EXPECT_EQ(to_hex(bytes), "00ff7fa0");
  EXPECT_FALSE(from_hex("abc", bytes));
  EXPECT_FALSE(from_hex("zz", bytes));
}

} // namespace
} // namespace distbuild::signing
