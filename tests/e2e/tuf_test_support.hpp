// Shared by the TUF end-to-end tests: a small signed tree with TUF metadata made by the real
// binary, and tuf-js (tests/tuf/tuf_client.js, installed by scripts/install-deps.sh) as the
// client that judges it, with its own metadata dir trusting only the tree's tuf/1.root.json.
#pragma once

#include "tests/e2e/dist_test_support.hpp"
#include "tests/signing/gpg_test_support.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace distbuild::testutil {

inline const std::string k_tuf_host = "x86_64-unknown-linux-gnu";

// node and tests/tuf/node_modules/tuf-js are there.
bool have_tuf_js();

struct TufTree {
  TempDir dir;
  signing::test::GpgHome gpg;
  std::string fingerprint;
  fs::path tree() const { return dir / "tree"; }
  fs::path keys() const { return dir / "keys"; }
  // A copy of tuf/1.root.json kept outside the tree: what a client was given once.
  fs::path trusted_root() const { return dir / "trusted-1.root.json"; }

  // `distbuild dist` of a fake release (gz only, fast), signed with the tree's GnuPG key.
  ProcessResult release(const std::string& version, const std::string& date);
  // `distbuild <args>` with --tuf-keys <keys> appended.
  ProcessResult tuf(std::vector<std::string> args);
  // `distbuild --json verify <tree> --tuf-root <trusted_root> <extra>`.
  nlohmann::json verify(const std::vector<std::string>& extra = {});
};

// A signed tree of release 1.95.0 (2026-04-16) with `tuf init` run on it.
std::unique_ptr<TufTree> make_tuf_tree();

// True when some problem names `path` and contains `text`.
bool reports(const nlohmann::json& verify_doc, const std::string& path, const std::string& text);

// tuf-js with a metadata dir of its own, trusting only the root it was made with.
class TufJsClient {
public:
  explicit TufJsClient(const fs::path& trusted_root);
  // Refreshes from <server>/tuf and downloads each target from <server>; the JSON line of
  // tests/tuf/tuf_client.js ({"ok": …, "error": …, "targets": {path: {sha256, file}}}).
  nlohmann::json run(const std::string& server, const std::vector<std::string>& targets = {});
  const fs::path& metadata_dir() const { return m_metadata; }

private:
  TempDir m_dir;
  fs::path m_metadata, m_targets;
};

} // namespace distbuild::testutil
