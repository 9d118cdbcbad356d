// Where an `overlay --no-mirror` manifest sends rustup for upstream's files: never to a URL that
// rustup would rewrite to RUSTUP_DIST_SERVER (our tree, which does not hold them).
#include "builder/upstream/overlay.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

TEST(UpstreamDownloadUrl, StaticRustLangOrgIsWrittenSoRustupDoesNotRewriteIt) {
  const std::string url = upstream_download_url(
      "https://static.rust-lang.org/dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  EXPECT_EQ(url,
            "https://STATIC.RUST-LANG.ORG/dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.xz");
  // rustup's rewrite is a case-sensitive substring replace of this prefix.
  EXPECT_EQ(url.find("https://static.rust-lang.org"), std::string::npos);
}

TEST(UpstreamDownloadUrl, OtherServersStayAndPathsBecomeFileUrls) {
  EXPECT_EQ(upstream_download_url("http://mirror.example:8080/rust/dist/a.tar.xz"),
            "http://mirror.example:8080/rust/dist/a.tar.xz");
  EXPECT_EQ(upstream_download_url("/srv/up/dist/./2026-04-16/a.tar.xz"),
            "file:///srv/up/dist/2026-04-16/a.tar.xz");
}

} // namespace
} // namespace distbuild::builder
