// Under --json every run prints one JSON document on stdout, a failed one included: scripts
// parse stdout whatever happened, and the message also goes to stderr as always.
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

TEST(JsonErrors, AFailedCommandPrintsAJsonDocument) {
  TempDir dir;
  const fs::path missing = dir / "no-such-stage";
  ProcessResult r = run_distbuild({"--json", "dist", "--stage", missing.string(), "--out",
                                   (dir / "tree").string(), "--version", "1.95.0"});
  ASSERT_NE(r.exit_code, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_EQ(doc["exit_code"], r.exit_code);
  const std::string error = doc["error"];
  EXPECT_NE(error.find(missing.string()), std::string::npos) << error;
  EXPECT_NE(r.err.find(error), std::string::npos) << r.err;
}

TEST(JsonErrors, AUsageErrorToo) {
  ProcessResult r = run_distbuild({"--json", "verify"});  // the tree is required
  ASSERT_NE(r.exit_code, 0);
  const auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["ok"], false);
  EXPECT_NE(doc["error"].get<std::string>().find("tree"), std::string::npos) << r.out;
}

TEST(JsonErrors, WithoutJsonStdoutStaysEmpty) {
  TempDir dir;
  ProcessResult r = run_distbuild({"sign", (dir / "nothing").string(), "--sign-key", "X",
                                   "--gnupg-home", (dir / "gnupg").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find((dir / "gnupg").string() + ": no such GnuPG home"), std::string::npos)
      << r.err;
}

} // namespace
} // namespace distbuild::testutil
