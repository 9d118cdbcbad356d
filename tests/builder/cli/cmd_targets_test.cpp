// `distbuild targets`: the table and the Raspberry Pi board listing, as text and JSON.
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::cli {
namespace {

TEST(CmdTargets, ListsTableWithHostColumn) {
  const auto result = testutil::run_distbuild({"targets"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("armv7-unknown-linux-gnueabihf"), std::string::npos);
  EXPECT_NE(result.out.find("thumbv8m.main-none-eabihf"), std::string::npos);
}

TEST(CmdTargets, JsonTable) {
  const auto result = testutil::run_distbuild({"targets", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto doc = nlohmann::json::parse(result.out);
  bool found = false;
  for (const auto& row : doc.at("targets")) {
    if (row.at("triple") == "armv7-unknown-linux-gnueabihf") {
      found = true;
      EXPECT_EQ(row.at("elf_machine"), 40);
      EXPECT_EQ(row.at("float_abi"), "hard-float");
      EXPECT_EQ(row.at("upstream_host"), true);
      EXPECT_EQ(row.at("pointer_width"), 32);
    }
  }
  EXPECT_TRUE(found);
}

TEST(CmdTargets, RaspberryPiBoards) {
  const auto text = testutil::run_distbuild({"targets", "--board", "raspberry-pi"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("arm-unknown-linux-gnueabihf"), std::string::npos);
  const auto json = testutil::run_distbuild({"targets", "--board", "raspberry-pi", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto doc = nlohmann::json::parse(json.out);
  for (const auto& model : doc.at("models")) {
    if (model.at("id") == "pi4") {
      EXPECT_EQ(model.at("os32"), "armv7-unknown-linux-gnueabihf");
      EXPECT_EQ(model.at("os64"), "aarch64-unknown-linux-gnu");
    }
    if (model.at("id") == "zero") {
      EXPECT_EQ(model.at("os32"), "arm-unknown-linux-gnueabihf");
      EXPECT_TRUE(model.at("os64").is_null());
    }
  }
}

TEST(CmdTargets, UnknownBoardIsRejected) {
  const auto result = testutil::run_distbuild({"targets", "--board", "beaglebone"});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("--board"), std::string::npos) << result.err;
}

} // namespace
} // namespace distbuild::cli
