// digest_bytes / digest_file: length, SHA-256 and SHA-512 from one read, against the FIPS 180-2
// values for "abc".
#include "signing/digests.hpp"
#include "signing/error.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::signing {
namespace {

const std::string k_abc_sha256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const std::string k_abc_sha512 =
    "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feeb"
    "bd454d4423643ce80e2a9ac94fa54ca49f";

TEST(Digests, BytesAndFileGiveTheStandardValues) {
  Digests bytes = digest_bytes("abc");
  EXPECT_EQ(bytes.length, 3u);
  EXPECT_EQ(bytes.sha256, k_abc_sha256);
  EXPECT_EQ(bytes.sha512, k_abc_sha512);
  testutil::TempDir dir;
  testutil::write_file(dir / "abc", "abc");
  Digests file = digest_file(dir / "abc");
  EXPECT_EQ(file.length, 3u);
  EXPECT_EQ(file.sha256, k_abc_sha256);
  EXPECT_EQ(file.sha512, k_abc_sha512);
}

TEST(Digests, LargeFileIsReadWhole) {
  testutil::TempDir dir;
  std::string big(3 * (1 << 20) + 17, 'x');
  testutil::write_file(dir / "big", big);
  Digests file = digest_file(dir / "big");
  EXPECT_EQ(file.length, big.size());
  EXPECT_EQ(file.sha256, digest_bytes(big).sha256);
  EXPECT_EQ(file.sha512, digest_bytes(big).sha512);
}

TEST(Digests, MissingFileNamesThePath) {
  testutil::TempDir dir;
  EXPECT_THROW(digest_file(dir / "missing"), Error);
}

} // namespace
} // namespace distbuild::signing
