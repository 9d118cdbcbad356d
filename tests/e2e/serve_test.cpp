// `distbuild serve` as users meet it: the real binary on loopback (--port 0, URL read from its
// first line), judged by curl and by the real rustup installing from it. Also what it must never
// do: hand out a byte from outside the tree, a dot-file or key material, whatever the request
// path looks like.
#include "builder/web/index_page.hpp"
#include "tests/e2e/dist_test_support.hpp"
#include "tests/e2e/serve_test_support.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace distbuild::testutil {
namespace {

const std::string k_host = "x86_64-unknown-linux-gnu";
const std::string k_secret = "TOP-SECRET-CONTENT-0123456789";

// A small served tree: fake components, gz + zst, made by the real `distbuild dist`.
struct ServedTree {
  TempDir dir;
  fs::path tree() const { return dir / "tree"; }
};

std::unique_ptr<ServedTree> make_tree() {
  auto t = std::make_unique<ServedTree>();
  make_fake_stage(t->dir / "stage", k_host, "1.95.0 (abcdef123 2026-04-14)");
  auto r = run_distbuild({"dist", "--stage", (t->dir / "stage").string(), "--out",
                          t->tree().string(), "--version", "1.95.0", "--date", "2026-04-16",
                          "--profile", "fast", "--formats", "gz,zst"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return t;
}

struct HttpAnswer {
  int status = 0;
  std::size_t body_bytes = 0;  // as received on the wire (curl's size_download)
  std::string body;
  std::string headers;
};

// GET (or curl's other modes via extra args) with the path sent exactly as written.
HttpAnswer fetch(const std::string& url, std::vector<std::string> extra = {}) {
  TempDir dir;
  std::vector<std::string> args{"-o", (dir / "body").string(), "-D", (dir / "headers").string(),
                                "-w", "%{http_code} %{size_download}"};
  args.insert(args.end(), extra.begin(), extra.end());
  args.push_back(url);
  auto r = curl(args);
  HttpAnswer answer;
  answer.status = r.out.empty() ? 0 : std::stoi(r.out);
  answer.body_bytes = r.out.empty() ? 0 : std::stoul(r.out.substr(r.out.find(' ') + 1));
  std::error_code ec;
  if (fs::exists(dir / "body", ec)) {
    answer.body = read_file(dir / "body");
  }
  if (fs::exists(dir / "headers", ec)) {
    answer.headers = read_file(dir / "headers");
  }
  return answer;
}

std::string header(const HttpAnswer& answer, const std::string& name) {
  std::string lower_headers = answer.headers;
  std::string lower_name = name + ":";
  for (auto* text : {&lower_headers, &lower_name}) {
    for (auto& c : *text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  auto at = lower_headers.find("\n" + lower_name);
  if (at == std::string::npos) {
    return "";
  }
  auto start = at + 1 + lower_name.size();
  auto end = answer.headers.find("\r\n", start);
  std::string value = answer.headers.substr(start, end - start);
  while (!value.empty() && value.front() == ' ') value.erase(0, 1);
  return value;
}

TEST(ServeE2e, PrintsTheLinesToPasteAndStopsCleanlyOnSigterm) {
  auto t = make_tree();
  write_file(t->tree() / "release-key.fingerprint", "0123456789ABCDEF0123456789ABCDEF01234567\n");
  write_file(t->tree() / "release-key.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n");
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line() << server.access_log();
  EXPECT_EQ(server.first_line(), "serving " + fs::canonical(t->tree()).string() + " on " +
                                     server.url());
  EXPECT_TRUE(server.url().starts_with("http://127.0.0.1:")) << server.url();
  std::string rest = server.more_stdout();
  EXPECT_NE(rest.find("  export RUSTUP_DIST_SERVER=" + server.url() + "\n"), std::string::npos)
      << rest;
  // No rustup/ tree here: no RUSTUP_UPDATE_ROOT (serve_lines_test.cpp has the rest).
  EXPECT_EQ(rest.find("RUSTUP_UPDATE_ROOT"), std::string::npos) << rest;
  EXPECT_NE(rest.find("  rustup toolchain install stable --profile minimal --no-self-update\n"),
            std::string::npos)
      << rest;
  EXPECT_NE(rest.find("  curl -O " + server.url() +
                      "/release-key.asc && gpg --show-keys release-key.asc\n"),
            std::string::npos);
  EXPECT_NE(rest.find("0123456789ABCDEF0123456789ABCDEF01234567"), std::string::npos);
  EXPECT_EQ(fetch(server.url() + "/dist/channel-rust-stable.toml").status, 200);
  EXPECT_EQ(server.stop(), 0);
  EXPECT_NE(server.access_log().find("GET /dist/channel-rust-stable.toml 200"), std::string::npos)
      << server.access_log();
}

TEST(ServeE2e, JsonStartLineDescribesTheServer) {
  auto t = make_tree();
  ServeProcess server(t->tree(), {"--json"});
  ASSERT_TRUE(server.ok()) << server.first_line();
  auto doc = nlohmann::json::parse(server.first_line());
  EXPECT_EQ(doc["tree"], fs::canonical(t->tree()).string());
  EXPECT_EQ(doc["url"], "http://127.0.0.1:" + std::to_string(doc["port"].get<int>()));
  EXPECT_EQ(doc["dist_server"], doc["url"]);
  EXPECT_EQ(doc["update_root"], "");  // the tree has no rustup/ self-update files
  EXPECT_EQ(doc["fingerprint"], "");
  EXPECT_EQ(fetch(doc["url"].get<std::string>() + "/dist/channel-rust-stable.toml.sha256").body,
            read_file(t->tree() / "dist/channel-rust-stable.toml.sha256"));
}

TEST(ServeE2e, RustupInstallsFromTheServer) {
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  auto t = make_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  auto install = home.rustup(
      {"toolchain", "install", "stable", "--profile", "minimal", "--no-self-update"},
      server.url());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto version = home.rustup({"run", "stable", "rustc", "--version"});
  EXPECT_EQ(version.out, "rustc 1.95.0 (abcdef123 2026-04-14)\n");
  // It really came over HTTP: the manifest's checksum, the manifest, then zst tarballs.
  std::string log = server.access_log();
  EXPECT_NE(log.find("GET /dist/channel-rust-stable.toml.sha256 200"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.zst 200"),
            std::string::npos)
      << log;
}

TEST(ServeE2e, RangeRequestsReturnExactlyThoseBytes) {
  auto t = make_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string rel = "dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.gz";
  const std::string bytes = read_file(t->tree() / rel);
  ASSERT_GT(bytes.size(), 100u);

  auto ranged = curl({"-r", "10-99", server.url() + "/" + rel});
  ASSERT_EQ(ranged.exit_code, 0);
  EXPECT_EQ(ranged.out, bytes.substr(10, 90));

  auto answer = fetch(server.url() + "/" + rel, {"-r", "10-99"});
  EXPECT_EQ(answer.status, 206);
  EXPECT_EQ(header(answer, "Content-Range"),
            "bytes 10-99/" + std::to_string(bytes.size()));
  EXPECT_EQ(header(answer, "Content-Length"), "90");

  // An open-ended range resumes a partial download to the end.
  auto tail = curl({"-r", "50-", server.url() + "/" + rel});
  EXPECT_EQ(tail.out, bytes.substr(50));
}

// RFC 9110 section 14 (byte_range.hpp): a range that starts past the end used to get a 206
// with a Content-Length that had wrapped below zero, a closed one past the end an empty 206.
TEST(ServeE2e, UnsatisfiableRangesAre416WithTheSize) {
  auto t = make_tree();
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string rel = "dist/2026-04-16/rustc-1.95.0-x86_64-unknown-linux-gnu.tar.gz";
  const std::string bytes = read_file(t->tree() / rel);
  const std::string size = std::to_string(bytes.size());
  for (const std::string& range :
       {size + "-", std::to_string(bytes.size() + 10) + "-",
        std::to_string(bytes.size() + 10) + "-" + std::to_string(bytes.size() + 20)}) {
    auto answer = fetch(server.url() + "/" + rel, {"-H", "Range: bytes=" + range});
    EXPECT_EQ(answer.status, 416) << range;
    EXPECT_EQ(header(answer, "Content-Range"), "bytes */" + size) << range;
    EXPECT_LT(std::stoull(header(answer, "Content-Length")), 100u) << range;
  }
  // A suffix range is the end of the file; one reaching past the end is clipped.
  auto suffix = fetch(server.url() + "/" + rel, {"-H", "Range: bytes=-10"});
  EXPECT_EQ(suffix.status, 206);
  EXPECT_EQ(suffix.body, bytes.substr(bytes.size() - 10));
  EXPECT_EQ(header(suffix, "Content-Range"),
            "bytes " + std::to_string(bytes.size() - 10) + "-" +
                std::to_string(bytes.size() - 1) + "/" + size);
  auto clipped = fetch(server.url() + "/" + rel, {"-H", "Range: bytes=10-99999999"});
  EXPECT_EQ(clipped.status, 206);
  EXPECT_EQ(clipped.body, bytes.substr(10));
  // A unit nobody knows is ignored (RFC 9110 MUST), and so are several ranges: the whole file.
  for (const char* range : {"items=0-5", "bytes=0-1,5-9", "bytes=5-3"}) {
    auto whole = fetch(server.url() + "/" + rel, {"-H", std::string("Range: ") + range});
    EXPECT_EQ(whole.status, 200) << range;
    EXPECT_EQ(whole.body, bytes) << range;
    EXPECT_EQ(header(whole, "Content-Range"), "") << range;
  }
  // A HEAD with an unsatisfiable range says the same, without a body.
  auto head = fetch(server.url() + "/" + rel, {"-I", "-H", "Range: bytes=" + size + "-"});
  EXPECT_EQ(head.status, 416);
  EXPECT_EQ(header(head, "Content-Range"), "bytes */" + size);
}

TEST(ServeE2e, HeadAndContentTypes) {
  auto t = make_tree();
  distbuild::builder::write_index_page(t->tree());
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string dated = "dist/2026-04-16/";
  struct Case {
    std::string path;
    std::string type;
  };
  for (const Case& c :
       {Case{"dist/channel-rust-stable.toml", "text/plain; charset=utf-8"},
        Case{"dist/channel-rust-stable.toml.sha256", "text/plain; charset=utf-8"},
        Case{"dist/channel-rust-stable-date.txt", "text/plain; charset=utf-8"},
        Case{dated + "cargo-1.95.0-x86_64-unknown-linux-gnu.tar.gz", "application/gzip"},
        Case{dated + "cargo-1.95.0-x86_64-unknown-linux-gnu.tar.zst", "application/zstd"},
        Case{"index.html", "text/html; charset=utf-8"}}) {
    auto head = fetch(server.url() + "/" + c.path, {"-I"});
    EXPECT_EQ(head.status, 200) << c.path;
    EXPECT_EQ(header(head, "Content-Type"), c.type) << c.path;
    EXPECT_EQ(header(head, "Content-Length"), std::to_string(fs::file_size(t->tree() / c.path)))
        << c.path;
    EXPECT_EQ(head.body_bytes, 0u) << c.path;  // HEAD: headers only
  }
  // "/" is the index page; a directory without one is not listed.
  auto root = fetch(server.url() + "/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(root.body, read_file(t->tree() / "index.html"));
  EXPECT_EQ(fetch(server.url() + "/dist/").status, 404);
  EXPECT_EQ(fetch(server.url() + "/dist/nothing-here.tar.xz").status, 404);
}

TEST(ServeE2e, TraversalNeverLeavesTheTree) {
  auto t = make_tree();
  // A secret next to the tree, and a symlink inside the tree that points at it.
  write_file(t->dir / "secret.txt", k_secret);
  write_file(t->dir / "dist/secret.txt", k_secret);
  fs::create_symlink(t->dir / "secret.txt", t->tree() / "dist/escape.txt");
  fs::create_directory_symlink(t->dir.path(), t->tree() / "dist/up");
  ServeProcess server(t->tree());
  ASSERT_TRUE(server.ok()) << server.first_line();
  const std::string abs = (t->dir / "secret.txt").string();
  for (const std::string& path : std::vector<std::string>{
           "/../secret.txt", "/dist/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
        "/dist/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/dist/..%2f..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt", "/.%2e/secret.txt", "/dist/..%5c..%5csecret.txt",
        "/%252e%252e/secret.txt", "/dist/escape.txt", "/dist/up/secret.txt", "//" + abs, abs,
        "/dist/%00/../../secret.txt", "/..;/secret.txt"}) {
    auto answer = fetch(server.url() + path);
    EXPECT_TRUE(answer.status == 404 || answer.status == 400) << path << " -> " << answer.status;
    EXPECT_EQ(answer.body.find(k_secret), std::string::npos) << path;
  }
  // Absolute-form request targets go through the same rules.
  auto absolute = fetch(server.url() + "/../secret.txt",
                        {"--request-target", "http://127.0.0.1/../secret.txt"});
  EXPECT_TRUE(absolute.status == 404 || absolute.status == 400) << absolute.status;
  EXPECT_EQ(absolute.body.find(k_secret), std::string::npos);
  // And the server is still fine afterwards.
  EXPECT_EQ(fetch(server.url() + "/dist/channel-rust-stable.toml").status, 200);
}

TEST(ServeE2e, DotFilesAndKeyMaterialAreNotServed) {
  auto t = make_tree();
  const fs::path tree = t->tree();
  write_file(tree / "release-key.asc", "-----BEGIN PGP PUBLIC KEY BLOCK-----\npublic\n");
  write_file(tree / ".distbuild.lock", k_secret);
  write_file(tree / "dist/.staging-2026-04-17-1/channel-rust-stable.toml", k_secret);
  write_file(tree / ".gnupg/pubring.kbx", k_secret);
  write_file(tree / "keys/private-keys-v1.d/ABCD.key", k_secret);
  write_file(tree / "keys/pubring.kbx", k_secret);
  write_file(tree / "keys/notes.txt", k_secret);  // inside a GnuPG home: refused too
  write_file(tree / "signing.key", k_secret);
  write_file(tree / "old/secring.gpg", k_secret);
  write_file(tree / "release-secret-key.asc", k_secret);
  ServeProcess server(tree);
  ASSERT_TRUE(server.ok()) << server.first_line();
  for (const std::string path :
       {"/.distbuild.lock", "/dist/.staging-2026-04-17-1/channel-rust-stable.toml",
        "/.gnupg/pubring.kbx", "/keys/private-keys-v1.d/ABCD.key", "/keys/pubring.kbx",
        "/keys/notes.txt", "/signing.key", "/old/secring.gpg", "/release-secret-key.asc",
        "/%2edistbuild.lock", "/.gnupg/", "/keys/"}) {
    auto answer = fetch(server.url() + path);
    EXPECT_EQ(answer.status, 404) << path;
    EXPECT_EQ(answer.body.find(k_secret), std::string::npos) << path;
  }
  auto key = fetch(server.url() + "/release-key.asc");
  EXPECT_EQ(key.status, 200);
  EXPECT_EQ(key.body, read_file(tree / "release-key.asc"));
}

TEST(ServeE2e, RefusesToServeAGnupgHome) {
  TempDir dir;
  write_file(dir / "home/pubring.kbx", k_secret);
  write_file(dir / "home/private-keys-v1.d/ABCD.key", k_secret);
  auto r = run_distbuild({"serve", (dir / "home").string(), "--port", "0"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "distbuild: error: " + (dir / "home").string() +
                       ": looks like a GnuPG home (it holds key files); refusing to serve it\n");
  EXPECT_EQ(r.out, "");
}

} // namespace
} // namespace distbuild::testutil
