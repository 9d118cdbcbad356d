// Fetcher against real servers on loopback (overlay_test_server.py) and local files: the hash
// decides what lands, a broken transfer resumes with Range, a file already in place is not
// fetched, and every final error names the URL.
#include "builder/upstream/fetch.hpp"

#include "tests/e2e/overlay_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;
using testutil::read_file;
using testutil::write_file;

FetchOptions quick() {
  FetchOptions options;
  options.attempts = 2;
  options.backoff = std::chrono::milliseconds(10);
  return options;
}

std::string payload() {
  std::string bytes;
  for (int i = 0; i < 200000; ++i) {
    bytes.push_back(static_cast<char>('a' + i % 26));
  }
  return bytes;
}

class FetchTest : public ::testing::Test {
protected:
  void SetUp() override {
    ::setenv("no_proxy", "127.0.0.1", 1);
    write_file(m_dir / "srv/file.bin", payload());
    m_hash = testutil::sha256_file(m_dir / "srv/file.bin");
  }
  TempDir m_dir;
  std::string m_hash;
};

TEST_F(FetchTest, DownloadsChecksAndThenSkipsAFilePresent) {
  testutil::LoggingServer server(m_dir / "srv");
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  fs::path dest = m_dir / "out/file.bin";
  EXPECT_EQ(fetcher.fetch_file(server.url() + "/file.bin", dest, m_hash),
            FetchOutcome::Downloaded);
  EXPECT_EQ(read_file(dest), payload());
  EXPECT_EQ(fetcher.fetch_file(server.url() + "/file.bin", dest, m_hash), FetchOutcome::Present);
  EXPECT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(fetcher.stats().files_downloaded, 1u);
  EXPECT_EQ(fetcher.stats().files_present, 1u);
  EXPECT_EQ(fetcher.get(server.url() + "/file.bin"), payload());
  EXPECT_EQ(fetcher.get_optional(server.url() + "/nothing"), std::nullopt);
}

TEST_F(FetchTest, WrongHashNeverLandsAndTheErrorNamesTheUrl) {
  testutil::LoggingServer server(m_dir / "srv");
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  fs::path dest = m_dir / "out/file.bin";
  const std::string url = server.url() + "/file.bin";
  const std::string wanted(64, '0');
  try {
    fetcher.fetch_file(url, dest, wanted);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()), url + ": SHA-256 " + m_hash + " differs from the manifest's " +
                                         wanted + "; the file was not written to the tree");
  }
  EXPECT_FALSE(fs::exists(dest));
  EXPECT_FALSE(fs::exists(m_dir / "out/.file.bin.part"));
}

TEST_F(FetchTest, DroppedTransferResumesWithRange) {
  testutil::LoggingServer server(m_dir / "srv", {"file.bin"});
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  fs::path dest = m_dir / "out/file.bin";
  EXPECT_EQ(fetcher.fetch_file(server.url() + "/file.bin", dest, m_hash),
            FetchOutcome::Downloaded);
  EXPECT_EQ(read_file(dest), payload());
  EXPECT_EQ(fetcher.stats().retries, 1u);
  EXPECT_EQ(fetcher.stats().resumed, 1u);
  auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0], "GET /file.bin -");
  EXPECT_EQ(requests[1], "GET /file.bin bytes=100000-");
}

TEST_F(FetchTest, MissingAndUnreachableGiveClearErrors) {
  testutil::LoggingServer server(m_dir / "srv");
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  const std::string missing = server.url() + "/missing.bin";
  try {
    fetcher.fetch_file(missing, m_dir / "out/missing.bin", m_hash);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    EXPECT_EQ(std::string(e.what()), missing + ": not found (HTTP 404)");
  }
  const std::string closed =
      "http://127.0.0.1:" + std::to_string(testutil::free_loopback_port()) + "/file.bin";
  try {
    fetcher.get(closed);
    FAIL() << "no error";
  } catch (const std::exception& e) {
    std::string text = e.what();
    EXPECT_EQ(text.rfind(closed + ": download failed after 2 attempts: ", 0), 0u) << text;
  }
}

TEST_F(FetchTest, LocalPathsAndFileUrlsAreCheckedToo) {
  Fetcher fetcher(quick());
  fs::path dest = m_dir / "out/file.bin";
  EXPECT_EQ(fetcher.fetch_file("file://" + (m_dir / "srv/file.bin").string(), dest, m_hash),
            FetchOutcome::Downloaded);
  EXPECT_EQ(fetcher.fetch_file((m_dir / "srv/file.bin").string(), dest, m_hash),
            FetchOutcome::Present);
  EXPECT_THROW(fetcher.fetch_file((m_dir / "srv/file.bin").string(), m_dir / "out/other",
                                  std::string(64, '1')),
               std::exception);
  EXPECT_FALSE(fs::exists(m_dir / "out/other"));
  EXPECT_EQ(join_location("http://h/x/", "/dist/a"), "http://h/x/dist/a");
}

} // namespace
} // namespace distbuild::builder
