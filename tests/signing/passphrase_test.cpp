// Where passphrases come from, and that no error message ever carries one.
#include "signing/error.hpp"
#include "signing/passphrase.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace distbuild::signing {
namespace {

using testutil::TempDir;

std::string error_of(const std::optional<std::filesystem::path>& file,
                     const std::optional<std::string>& env) {
  try {
    load_passphrase(file, env);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Passphrase, NoSourceMeansNone) {
  EXPECT_TRUE(load_passphrase(std::nullopt, std::nullopt).empty());
  EXPECT_EQ(Passphrase().value(), "");
}

TEST(Passphrase, FileGivesItsFirstLine) {
  TempDir dir;
  testutil::write_file(dir / "p", "first line secret\nsecond line\n");
  EXPECT_EQ(load_passphrase(dir / "p", std::nullopt).value(), "first line secret");
  testutil::write_file(dir / "crlf", "windows secret\r\n");
  EXPECT_EQ(load_passphrase(dir / "crlf", std::nullopt).value(), "windows secret");
  testutil::write_file(dir / "bare", "no newline");
  EXPECT_EQ(load_passphrase(dir / "bare", std::nullopt).value(), "no newline");
}

TEST(Passphrase, FileErrorsNameTheFileOnly) {
  TempDir dir;
  EXPECT_EQ(error_of(dir / "missing", std::nullopt),
            (dir / "missing").string() +
                ": cannot read passphrase file: No such file or directory");
  testutil::write_file(dir / "empty", "\nhidden second line\n");
  const std::string message = error_of(dir / "empty", std::nullopt);
  EXPECT_EQ(message, (dir / "empty").string() + ": passphrase file is empty");
  EXPECT_EQ(message.find("hidden"), std::string::npos);
}

TEST(Passphrase, EnvironmentVariable) {
  ::setenv("DISTBUILD_TEST_PP", "from the environment", 1);
  EXPECT_EQ(load_passphrase(std::nullopt, std::string("DISTBUILD_TEST_PP")).value(),
            "from the environment");
  ::setenv("DISTBUILD_TEST_PP", "", 1);
  EXPECT_EQ(error_of(std::nullopt, std::string("DISTBUILD_TEST_PP")),
            "DISTBUILD_TEST_PP: passphrase environment variable is empty");
  ::unsetenv("DISTBUILD_TEST_PP");
  EXPECT_EQ(error_of(std::nullopt, std::string("DISTBUILD_TEST_PP")),
            "DISTBUILD_TEST_PP: passphrase environment variable is not set");
}

TEST(Passphrase, FileAndVariableTogetherAreRefused) {
  TempDir dir;
  testutil::write_file(dir / "p", "x\n");
  EXPECT_EQ(error_of(dir / "p", std::string("HOME")),
            "passphrase: give a passphrase file or an environment variable, not both");
}

TEST(Passphrase, MoveKeepsTheValue) {
  Passphrase a("moved secret");
  Passphrase b(std::move(a));
  EXPECT_EQ(b.value(), "moved secret");
  EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move): moved-from state is specified
  Passphrase c;
  c = std::move(b);
  EXPECT_EQ(c.value(), "moved secret");
}

} // namespace
} // namespace distbuild::signing
