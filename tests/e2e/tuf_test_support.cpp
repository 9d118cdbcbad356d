// The TUF trees and the tuf-js client of the end-to-end tests (tuf_test_support.hpp).
#include "tests/e2e/tuf_test_support.hpp"

#include <gtest/gtest.h>

namespace distbuild::testutil {

namespace {

fs::path tuf_js_dir() { return source_dir() / "tests/tuf"; }

} // namespace

bool have_tuf_js() {
  std::error_code ec;
  return find_tool("node").has_value() &&
         fs::exists(tuf_js_dir() / "node_modules/tuf-js/package.json", ec);
}

ProcessResult TufTree::release(const std::string& version, const std::string& date) {
  fs::path stage = dir / ("stage-" + version);
  make_fake_stage(stage, k_tuf_host, version + " (abcdef123 " + date + ")");
  return run_distbuild({"dist", "--stage", stage.string(), "--out", tree().string(), "--version",
                        version, "--date", date, "--profile", "fast", "--formats", "gz",
                        "--sign-key", fingerprint, "--gnupg-home", gpg.path().string()});
}

ProcessResult TufTree::tuf(std::vector<std::string> args) {
  args.push_back("--tuf-keys");
  args.push_back(keys().string());
  return run_distbuild(args);
}

nlohmann::json TufTree::verify(const std::vector<std::string>& extra) {
  std::vector<std::string> args{"--json", "verify", tree().string(), "--tuf-root",
                                trusted_root().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  auto r = run_distbuild(args);
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "verify printed no JSON: " << r.out << r.err;
    return nlohmann::json{{"ok", false}, {"problems", nlohmann::json::array()}};
  }
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1);
  return doc;
}

std::unique_ptr<TufTree> make_tuf_tree() {
  auto t = std::make_unique<TufTree>();
  t->gpg.prefer_sha512();
  t->fingerprint = t->gpg.quick_gen_key("Release <release@example.org>", "ed25519");
  auto r = t->release("1.95.0", "2026-04-16");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = t->tuf({"tuf", "init", t->tree().string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::error_code ec;
  fs::copy_file(t->tree() / "tuf/1.root.json", t->trusted_root(), ec);
  EXPECT_FALSE(ec) << ec.message();
  return t;
}

bool reports(const nlohmann::json& doc, const std::string& path, const std::string& text) {
  for (const auto& p : doc["problems"]) {
    if (p["path"] == path && p["problem"].get<std::string>().find(text) != std::string::npos) {
      return true;
    }
  }
  return false;
}

TufJsClient::TufJsClient(const fs::path& trusted_root)
    : m_metadata(m_dir / "metadata"), m_targets(m_dir / "targets") {
  fs::create_directories(m_metadata);
  fs::create_directories(m_targets);
  fs::copy_file(trusted_root, m_metadata / "root.json");
}

nlohmann::json TufJsClient::run(const std::string& server,
                                const std::vector<std::string>& targets) {
  std::vector<std::string> argv{*find_tool("node"), (tuf_js_dir() / "tuf_client.js").string(),
                                m_metadata.string(), server + "/tuf", server, m_targets.string()};
  argv.insert(argv.end(), targets.begin(), targets.end());
  // Loopback only: a proxy from the environment must not sit in between.
  auto r = run_process(argv, {{"NO_PROXY", "*"}, {"no_proxy", "*"}});
  auto doc = nlohmann::json::parse(r.out, nullptr, false);
  if (doc.is_discarded()) {
    ADD_FAILURE() << "tuf_client.js printed no JSON (exit " << r.exit_code << "): " << r.out
                  << r.err;
    return nlohmann::json{{"ok", false}, {"error", r.err}};
  }
  EXPECT_EQ(r.exit_code, doc["ok"].get<bool>() ? 0 : 1) << r.err;
  return doc;
}

} // namespace distbuild::testutil
