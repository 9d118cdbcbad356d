// Commands never replace what is not a regular file at an output path (output_path.hpp): run as
// root, `script --output-script /dev/null` once turned the machine's /dev/null into a regular
// file. A fifo and a directory stand in for it here (the real /dev/null is never touched).
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

namespace distbuild::testutil {
namespace {

TEST(OutputPathCli, ScriptRefusesAFifoAndADirectory) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "fifo").c_str(), 0644), 0);
  auto r = run_distbuild({"script", "--output-script", (dir / "fifo").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "fifo").string() + ": is a fifo, not a regular file"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(fs::status(dir / "fifo").type(), fs::file_type::fifo);

  fs::create_directories(dir / "adir");
  r = run_distbuild({"script", "--output-script", (dir / "adir").string()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find((dir / "adir").string() + ": is a directory, not a regular file"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(fs::is_directory(dir / "adir"));
  // Nothing half-written was left beside them.
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    (void)entry;
    ++entries;
  }
  EXPECT_EQ(entries, 2u);

  // A regular file is still written, as before.
  r = run_distbuild({"script", "--output-script", (dir / "install.sh").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir / "install.sh").find("#!/bin/sh"), std::string::npos);
}

TEST(OutputPathCli, ManPageRefusesAFifo) {
  TempDir dir;
  ASSERT_EQ(::mkfifo((dir / "page").c_str(), 0644), 0);
  auto r = run_distbuild({"--man", (dir / "page").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("is a fifo"), std::string::npos) << r.err;
  EXPECT_EQ(fs::status(dir / "page").type(), fs::file_type::fifo);
}

} // namespace
} // namespace distbuild::testutil
