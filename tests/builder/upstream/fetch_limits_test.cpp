// What a hostile server or a planted name cannot make the Fetcher do (fetch.hpp): hold more of a
// small resource than its limit (the transfer stops as soon as the bytes pass it), or write a
// download through a link or a fifo planted at its .part name.
#include "builder/upstream/fetch.hpp"

#include "builder/tree/error.hpp"
#include "tests/e2e/overlay_test_support.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>

#include <cstdlib>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;

FetchOptions quick() {
  FetchOptions options;
  options.attempts = 2;
  options.backoff = std::chrono::milliseconds(10);
  return options;
}

TEST(FetchLimits, AResourceOverItsLimitIsRefusedOverHttpAndLocally) {
  ::setenv("no_proxy", "127.0.0.1", 1);
  TempDir dir;
  testutil::write_file(dir / "srv/channel-rust-stable.toml", std::string(20 << 20, '#'));
  testutil::write_file(dir / "srv/x.sha256", std::string(5000, 'a'));
  testutil::LoggingServer server(dir / "srv");
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  const std::string url = server.url() + "/channel-rust-stable.toml";
  try {
    fetcher.get(url);  // the default limit: a channel manifest's
    FAIL() << "a 20 MiB manifest was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              url + ": is larger than 16 MiB, the limit for a channel manifest; refusing it");
  }
  EXPECT_LT(fetcher.stats().bytes, 17u << 20);
  EXPECT_EQ(server.requests().size(), 1u);  // not retried: it is not a network hiccup
  EXPECT_THROW(fetcher.get(server.url() + "/x.sha256", 4096, "a .sha256 file"), Error);
  EXPECT_THROW(fetcher.get((dir / "srv/x.sha256").string(), 4096, "a .sha256 file"), Error);
  EXPECT_EQ(fetcher.get((dir / "srv/x.sha256").string(), 5000, "a .sha256 file").size(), 5000u);
}

TEST(FetchLimits, APlantedPartLinkIsNotWrittenThrough) {
  ::setenv("no_proxy", "127.0.0.1", 1);
  TempDir dir;
  testutil::write_file(dir / "srv/file.bin", "payload\n");
  const std::string hash = testutil::sha256_file(dir / "srv/file.bin");
  testutil::write_file(dir / "victim.txt", "victim\n");
  fs::create_directories(dir / "out");
  fs::create_symlink(dir / "victim.txt", dir / "out/.file.bin.part");
  testutil::LoggingServer server(dir / "srv");
  ASSERT_TRUE(server.ok());
  Fetcher fetcher(quick());
  EXPECT_THROW(fetcher.fetch_file(server.url() + "/file.bin", dir / "out/file.bin", hash), Error);
  EXPECT_EQ(testutil::read_file(dir / "victim.txt"), "victim\n");
  // A local copy removes the planted name instead of following it.
  EXPECT_EQ(fetcher.fetch_file((dir / "srv/file.bin").string(), dir / "out/file.bin", hash),
            FetchOutcome::Downloaded);
  EXPECT_EQ(testutil::read_file(dir / "victim.txt"), "victim\n");
  EXPECT_EQ(testutil::read_file(dir / "out/file.bin"), "payload\n");
}

TEST(FetchLimits, ADestinationThatIsAFifoIsRefusedBeforeDownloading) {
  TempDir dir;
  testutil::write_file(dir / "srv/file.bin", "payload\n");
  fs::create_directories(dir / "out");
  ASSERT_EQ(::mkfifo((dir / "out/file.bin").c_str(), 0644), 0);
  Fetcher fetcher(quick());
  EXPECT_THROW(fetcher.fetch_file((dir / "srv/file.bin").string(), dir / "out/file.bin",
                                  testutil::sha256_file(dir / "srv/file.bin")),
               Error);
  EXPECT_EQ(fs::status(dir / "out/file.bin").type(), fs::file_type::fifo);
  EXPECT_EQ(fetcher.stats().requests, 0u);
}

} // namespace
} // namespace distbuild::builder
