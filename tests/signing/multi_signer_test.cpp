// Several keys signing at once (a key rotation's transition): armor both ways, one block holding
// one signature per key, judged by the real gpg (each key alone finds its own good signature) and
// by the Verifier (which reports every signature with its key and digest).
#include "signing/multi_signer.hpp"
#include "signing/error.hpp"
#include "tests/signing/fake_signer.hpp"
#include "signing/keygen.hpp"
#include "signing/multi_signer.hpp"
#include "signing/verifier.hpp"
#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::signing {
namespace {

using test::GpgHome;
using testutil::TempDir;
namespace fs = std::filesystem;

TEST(Armor, DearmorInvertsArmorAndChecksTheChecksum) {
  for (const std::string payload : {std::string(), std::string("a"), std::string("ab"),
                                    std::string("abc"), std::string(1000, '\xfe')}) {
    const std::string armored = armor("PGP SIGNATURE", payload);
    EXPECT_EQ(dearmor("PGP SIGNATURE", armored), payload) << armored;
  }
  // gpg's own headers and CRLF line ends are fine.
  std::string with_header = armor("PGP SIGNATURE", "payload bytes");
  with_header.insert(with_header.find('\n') + 1, "Comment: made by hand\n");
  EXPECT_EQ(dearmor("PGP SIGNATURE", with_header), "payload bytes");
  std::string crlf;
  for (char c : armor("PGP SIGNATURE", "crlf")) {
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  }
  EXPECT_EQ(dearmor("PGP SIGNATURE", crlf), "crlf");

  std::string broken = armor("PGP SIGNATURE", "payload bytes");
  broken[broken.find("\n\n") + 3] ^= 0x01;  // a base64 digit changed: the CRC24 disagrees
  EXPECT_THROW(dearmor("PGP SIGNATURE", broken), Error);
  EXPECT_THROW(dearmor("PGP SIGNATURE", armor("PGP MESSAGE", "x")), Error);
}

TEST(MultiSigner, OneBlockWithEverySignature) {
  std::vector<std::unique_ptr<Signer>> signers;
  signers.push_back(std::make_unique<FakeSigner>("AAAA000000000000000000000000000000000001"));
  signers.push_back(std::make_unique<FakeSigner>("BBBB000000000000000000000000000000000002"));
  MultiSigner both(std::move(signers));
  EXPECT_EQ(both.fingerprint(), "AAAA000000000000000000000000000000000001");
  EXPECT_EQ(both.fingerprints().size(), 2u);
  FakeSigner a("AAAA000000000000000000000000000000000001");
  FakeSigner b("BBBB000000000000000000000000000000000002");
  EXPECT_EQ(dearmor("PGP SIGNATURE", both.sign_bytes("x")),
            dearmor("PGP SIGNATURE", a.sign_bytes("x")) +
                dearmor("PGP SIGNATURE", b.sign_bytes("x")));

  std::vector<std::unique_ptr<Signer>> twice;
  twice.push_back(std::make_unique<FakeSigner>());
  twice.push_back(std::make_unique<FakeSigner>());
  EXPECT_THROW(MultiSigner(std::move(twice)), Error);
  EXPECT_THROW(MultiSigner({}), Error);
}

TEST(MultiSigner, EachKeyAloneFindsItsGoodSignature) {
  DISTBUILD_REQUIRE(test::have_gnupg_tools(), "gpg, gpgv, gpgconf");
  GpgHome home;
  TempDir dir;
  const std::string k1 = generate_signing_key(home.path(), "old <old@example.org>").fingerprint;
  const std::string k2 = home.quick_gen_key("new <new@example.org>", "rsa2048");
  std::vector<std::unique_ptr<Signer>> signers;
  signers.push_back(make_gpgme_signer(KeyOptions{k2, home.path(), {}, {}}));
  signers.push_back(make_gpgme_signer(KeyOptions{k1, home.path(), {}, {}}));
  MultiSigner both(std::move(signers));
  EXPECT_EQ(both.digest_name(), "SHA512");
  testutil::write_file(dir / "f", "release bytes\n");
  testutil::write_file(dir / "f.asc", both.sign_file(dir / "f"));
  testutil::write_file(dir / "keys.asc", both.export_public_key());

  // gpg with both keys (the published block imported whole): exit 0, two good signatures.
  GpgHome all;
  ASSERT_EQ(all.gpg({"--import", (dir / "keys.asc").string()}).exit_code, 0);
  const std::vector<std::string> verify{"--status-fd", "1", "--verify", (dir / "f.asc").string(),
                                        (dir / "f").string()};
  auto r = all.gpg(verify);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("[GNUPG:] VALIDSIG " + k1), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[GNUPG:] VALIDSIG " + k2), std::string::npos) << r.out;

  // The verifier: every signature, its key and digest.
  Verifier verifier(both.export_public_key());
  const SignatureCheck check = verifier.verify_file(dir / "f", testutil::read_file(dir / "f.asc"));
  EXPECT_TRUE(check.valid) << check.problem;
  ASSERT_EQ(check.signatures.size(), 2u);
  EXPECT_EQ(check.signatures[0].fingerprint, k2);
  EXPECT_EQ(check.signatures[1].fingerprint, k1);
  EXPECT_EQ(check.signatures[0].digest, "SHA512");

  // Only the old key: its signature is good, the other one unknown.
  GpgHome old_only;
  ASSERT_EQ(old_only.gpg({"--import", (dir / "keys.asc").string()}).exit_code, 0);
  ASSERT_EQ(old_only.gpg({"--yes", "--delete-keys", k2}).exit_code, 0);
  r = old_only.gpg(verify);
  EXPECT_NE(r.out.find("[GNUPG:] VALIDSIG " + k1), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[GNUPG:] NO_PUBKEY"), std::string::npos) << r.out;
}

} // namespace
} // namespace distbuild::signing
