// FakeSigner: deterministic, content-dependent, and well-formed armor (gpg --dearmor accepts the
// CRC24 and returns the payload).
#include "tests/signing/fake_signer.hpp"
#include "signing/sha256.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::signing {
namespace {

using testutil::TempDir;

TEST(FakeSigner, DeterministicAndContentDependent) {
  FakeSigner signer;
  EXPECT_EQ(signer.fingerprint(), "FA4E0000000000000000000000000000D157B11D");
  EXPECT_EQ(signer.sign_bytes("abc"), FakeSigner().sign_bytes("abc"));
  EXPECT_NE(signer.sign_bytes("abc"), signer.sign_bytes("abd"));
  EXPECT_NE(signer.sign_bytes("abc"),
            FakeSigner("0123456789ABCDEF0123456789ABCDEF01234567").sign_bytes("abc"));

  TempDir dir;
  testutil::write_file(dir / "f", "abc");
  EXPECT_EQ(signer.sign_file(dir / "f"), signer.sign_bytes("abc"));
}

TEST(FakeSigner, ArmorIsExact) {
  // "hello" -> base64 aGVsbG8=, CRC24 (RFC 4880 6.1) 0x47F58A -> R/WK.
  EXPECT_EQ(armor("PGP SIGNATURE", "hello"),
            "-----BEGIN PGP SIGNATURE-----\n\naGVsbG8=\n=R/WK\n-----END PGP SIGNATURE-----\n");
  const std::string sig = FakeSigner().sign_bytes("abc");
  EXPECT_EQ(sig.rfind("-----BEGIN PGP SIGNATURE-----\n\n", 0), 0u);
  EXPECT_EQ(FakeSigner().export_public_key().rfind("-----BEGIN PGP PUBLIC KEY BLOCK-----\n", 0),
            0u);
}

TEST(FakeSigner, GpgDearmorsIt) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  TempDir dir;
  testutil::write_file(dir / "f.asc", FakeSigner().sign_bytes("abc"));
  test::GpgHome scratch;
  testutil::ProcessResult r =
      scratch.gpg({"--output", (dir / "payload").string(), "--dearmor", (dir / "f.asc").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(testutil::read_file(dir / "payload"),
            "distbuild fake signature FA4E0000000000000000000000000000D157B11D sha256 " +
                sha256_hex("abc") + "\n");
}

} // namespace
} // namespace distbuild::signing
