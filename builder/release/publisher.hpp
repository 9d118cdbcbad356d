// The one publishing recipe every command that writes a tree follows (dist, overlay, mirror and
// the rustup self-update tree), so a fix to how a tree is written is made once:
//
//   Publisher tree(out, signer, ...)       open: check the root, create it, lock it, a work dir
//   tree.stage(date)                       a staging dir dist/.staging-<date>-<pid> (dist only)
//   tree.sign(file) / write_signed(...)    .sha256 and .asc beside every file written
//   tree.move_dated(staging, ...)          dist/<date>/ in one rename (or merged, manifests last)
//   tree.update_top_level(...)             dist/ copies that move forward only, manifests last
//   tree.write_key_files()                 release-key.asc and release-key.fingerprint
//   tree.append_manifests_txt(...)         <root>/manifests.txt
//   tree.refresh_index_page()              <root>/index.html, signed like the rest
//   tree.refresh_tuf()                     last, still locked: tuf/ follows the tree (if it has one)
//
// The primitives it is made of (the lock, the root check, moving a file with its sidecars) are in
// tree/publish.hpp; what a tree looks like is in tree/dist_tree.hpp.
#pragma once

#include "builder/tree/publish.hpp"
#include "builder/tree/scoped_dir.hpp"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}
namespace distbuild::manifest {
struct Channel;
}

namespace distbuild::builder {

struct PublisherOptions {
  std::filesystem::path out;                     // the tree's root (made absolute)
  signing::Signer* signer = nullptr;             // when set, every file written gets a .asc
  std::string work_prefix = ".distbuild-work-";  // the work dir: <root>/<prefix><pid>
  TreeKind kind = TreeKind::Dist;                // which roots are accepted
  std::function<void(const std::string&)> log;   // one line per step; may be empty
};

class Publisher {
public:
  // Opens the tree: checks the root (tree/publish.hpp), creates it and dist/, takes the tree lock
  // and makes a fresh work dir that is removed with the Publisher. Throws builder::Error.
  explicit Publisher(const PublisherOptions& options);
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  const std::filesystem::path& root() const { return m_root; }
  std::filesystem::path dist() const { return m_root / "dist"; }
  const std::filesystem::path& work_dir() const { return m_work.path(); }
  signing::Signer* signer() const { return m_signer; }
  std::string fingerprint() const;  // empty when unsigned
  void log(const std::string& line) const;

  // dist/.staging-<date>-<pid>, fresh and removed with the Publisher unless moved into place.
  const std::filesystem::path& stage(const std::string& date);
  // Writes <file>.asc when there is a key.
  void sign(const std::filesystem::path& file) const;
  // Signs every file of dir that is not a sidecar.
  void sign_files_in(const std::filesystem::path& dir) const;
  // bytes -> dir/name with its .sha256 and .asc written first, so the file is never newer than
  // its sidecars; `kept_signature` replaces ours (upstream's, for bytes we did not change).
  std::string write_signed(const std::filesystem::path& dir, const std::string& name,
                           const std::string& bytes,
                           const std::optional<std::string>& kept_signature = std::nullopt) const;
  // dir/SHA256SUMS from the sidecars, signed.
  void write_sums(const std::filesystem::path& dir) const;

  // Renames the staging dir to dist/<date>, or merges it into an existing dated dir (another
  // channel published the same day): tarballs first, then each name's text files, manifest last.
  void move_dated(const std::filesystem::path& staging, const std::filesystem::path& dated,
                  const std::vector<std::string>& names, bool with_git_hash);

  // Points dist/ at this release for every name that may move forward (never back in time):
  // the tarballs when the channel itself moves, then each name's files, manifests last, then
  // SHA256SUMS. Returns the names moved; a kept name gets a note.
  struct TopLevel {
    const manifest::Channel* channel = nullptr;
    std::string channel_name;
    std::vector<std::string> names;
    bool with_git_hash = false;
    std::vector<std::string> tarballs;  // file names in the dated dir
  };
  std::vector<std::string> update_top_level(const std::filesystem::path& dated,
                                            const TopLevel& release,
                                            std::vector<std::string>& notes) const;

  // release-key.asc (our public key, then `extra_keys`, armored) and release-key.fingerprint.
  // No-op without a key.
  void write_key_files(const std::vector<std::string>& extra_keys = {}) const;
  // <root>/manifests.txt gains <base_url without scheme>/<date>/channel-rust-<name>.toml.
  void append_manifests_txt(const std::string& base_url, const std::string& date,
                            const std::vector<std::string>& names) const;
  // <root>/index.html from the tree as it now is, with its .sha256 and .asc.
  void refresh_index_page() const;
  // When the tree has TUF metadata: targets, snapshot and timestamp signed again for the tree as
  // it now is (builder/tuf/repository.hpp). The recipe's last step, while the lock is held.
  void refresh_tuf() const;

private:
  std::filesystem::path m_root;
  signing::Signer* m_signer = nullptr;
  std::function<void(const std::string&)> m_log;
  std::unique_ptr<TreeLock> m_lock;
  ScopedDir m_work;
  std::optional<ScopedDir> m_staging;
};

} // namespace distbuild::builder
