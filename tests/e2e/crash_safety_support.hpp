// Shared by the crash-safety tests (issue 18 item 4): an existing signed tree of two releases
// made by the real `dist` from fake stages, a third release to publish into copies of it, and
// the checks every interrupted publish is judged by:
//   - `distbuild verify --key <the tree's key>` passes on the tree as the dead run left it;
//   - optionally, the real rustup (fresh home, --no-self-update) installs the previous release
//     and `stable` from it;
//   - a rerun of the same publish exits 0, the tree verifies, `stable` is the new release, and
//     no staging, work or generation dir and no temp file is left in the tree or beside it.
#pragma once

#include "tests/signing/gpg_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace distbuild::testutil {

// What publishes the third release: `dist` from its stage, or `mirror` from an upstream tree
// (file://) that already has it, signed with the same key.
enum class Publish { Dist, Mirror };

class CrashTrees {
public:
  // Makes the stages, the key and <dir>/base (1.94.0 then 1.95.0, signed); for Mirror also
  // <dir>/upstream (the base plus 1.96.0).
  explicit CrashTrees(Publish publish = Publish::Dist);
  bool ok() const { return m_ok; }
  const std::string& setup_error() const { return m_error; }

  // A copy of the base tree at <dir>/<name>/tree (alone in its parent, which is where the
  // tree's generations go).
  fs::path fresh_tree(const std::string& name) const;
  // The args of the publish under test: 1.96.0 for 2026-05-01 into `tree`, signed (dist from
  // the stage, or mirror of stable from the upstream tree).
  std::vector<std::string> publish_args(const fs::path& tree) const;
  // The publish run under `prefix` (e.g. strace with an injection), the pack cache off.
  ProcessResult publish_under(const std::vector<std::string>& prefix, const fs::path& tree) const;
  // How many of `syscalls` (strace's -e trace= set) the main thread of an undisturbed publish
  // into a fresh copy makes.
  int count_syscalls(const std::string& syscalls) const;

  // "" when the tree verifies with the key, else verify's output.
  std::string verify(const fs::path& tree) const;
  // "" when rustup installs 1.95.0 and stable (one of 1.95.0, 1.96.0) from the tree, else why.
  std::string rustup_installs_previous(const fs::path& tree) const;
  // "" when a rerun completes, verifies, publishes 1.96.0 as stable and leaves nothing behind.
  std::string rerun_finishes(const fs::path& tree) const;
  // Entries in the tree or beside it that a finished run must not leave.
  static std::vector<std::string> leftovers(const fs::path& tree);

  const fs::path& dir() const { return m_dir.path(); }
  const fs::path& key_file() const { return m_key_file; }

private:
  TempDir m_dir;
  Publish m_publish;
  std::unique_ptr<signing::test::GpgHome> m_keys;
  std::string m_fpr;
  fs::path m_key_file;
  bool m_ok = false;
  std::string m_error;
};

// strace's path, or nullopt.
std::optional<std::string> strace_binary();

} // namespace distbuild::testutil
