#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {

TEST(TestUtil, RunProcessCapturesOutputAndExitCode) {
  auto r = run_process({"sh", "-c", "echo out; echo err >&2; exit 3"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "out\n");
  EXPECT_EQ(r.err, "err\n");
}

TEST(TestUtil, DistbuildBinaryRunsAndPrintsVersion) {
  auto r = run_distbuild({"--version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("distbuild "), std::string::npos);
}

} // namespace distbuild::testutil
