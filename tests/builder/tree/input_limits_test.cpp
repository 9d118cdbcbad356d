// read_file_limited() (input_limits.hpp): the whole file up to the limit, a refusal naming the
// file, what it is and the limit beyond it.
#include "builder/tree/input_limits.hpp"

#include "builder/tree/error.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

using testutil::TempDir;

TEST(InputLimits, ReadsUpToTheLimitAndRefusesBeyond) {
  TempDir dir;
  testutil::write_file(dir / "exact", std::string(4096, 'x'));
  testutil::write_file(dir / "over", std::string(4097, 'x'));
  EXPECT_EQ(read_file_limited(dir / "exact", 4096, "a .sha256 file").size(), 4096u);
  try {
    read_file_limited(dir / "over", 4096, "a .sha256 file");
    FAIL() << "read past the limit";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "over").string() +
                                         ": is larger than 4 KiB, the limit for a .sha256 file; "
                                         "refusing to read it");
  }
  EXPECT_EQ(limit_text(16 * k_mib), "16 MiB");
  EXPECT_EQ(limit_text(1000), "1000 bytes");
}

TEST(InputLimits, ANonRegularFileIsNotRead) {
  TempDir dir;
  EXPECT_THROW(read_file_limited(dir.path(), 4096, "a directory"), Error);
  EXPECT_THROW(read_file_limited("/dev/zero", 4096, "an endless device"), Error);
}

} // namespace
} // namespace distbuild::builder
