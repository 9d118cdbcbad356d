// The one publishing recipe every command that writes a tree follows (dist, overlay, mirror and
// the rustup self-update tree), so a fix to how a tree is written is made once:
//
//   Publisher tree(out, signer, ...)       open: check the root, create it, lock it, a work dir
//   tree.stage(date)                       a staging dir dist/.staging-<date>-<pid> (dist only)
//   tree.sign(file) / write_signed(...)    .sha256 and .asc beside every file written
//   tree.begin_publish()                   from here on writes go to the tree's next generation
//                                          (tree/publish.hpp TreeGeneration; dist only so far)
//   tree.move_dated(staging, ...)          dist/<date>/ in one rename (or merged, manifests last)
//   tree.update_top_level(...)             dist/ copies that move forward only, manifests last
//   tree.write_key_files()                 release-key.asc and release-key.fingerprint (after a
//                                          key rotation's re-signing of the whole tree)
//   tree.append_manifests_txt(...)         <root>/manifests.txt
//   tree.refresh_index_page()              <root>/index.html, signed like the rest
//   tree.refresh_tuf()                     still locked: tuf/ follows the tree (if it has one)
//   tree.commit_publish()                  last: the next generation becomes the tree, whole
//
// Opening the tree, under its lock, first removes what dead runs left (tree/publish.hpp
// clean_dead_runs): their work and staging dirs, temp files and generations.
//
// Keys (tree/tree_keys.hpp): opening checks the signer against the tree's keys and refuses,
// before anything is written, a publish with other keys or none into a signed tree. With
// rotate_keys the keys may change: the first signed file placed in the tree first makes
// release-key.asc hold the old and the new keys, write_key_files() re-signs every file of the
// tree (resign_tree) and then publishes the new keys alone. So at every moment each signature in
// the tree verifies with its release-key.asc.
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
  bool rotate_keys = false;  // the signer's keys may replace the tree's (see above)
};

class Publisher {
public:
  // Opens the tree: checks the root (tree/publish.hpp), creates it and dist/, takes the tree lock
  // and makes a fresh work dir that is removed with the Publisher. Throws builder::Error.
  explicit Publisher(const PublisherOptions& options);
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  const std::filesystem::path& root() const { return m_root; }
  // Where this run writes: the root, or after begin_publish() the tree's next generation.
  const std::filesystem::path& target() const { return m_target; }
  std::filesystem::path dist() const { return m_target / "dist"; }
  const std::filesystem::path& work_dir() const { return m_work.path(); }
  signing::Signer* signer() const { return m_signer; }
  std::string fingerprint() const;  // empty when unsigned
  // This publish changes the tree's keys: every file is re-signed by write_key_files().
  bool changes_keys() const { return m_changes_keys; }
  void log(const std::string& line) const;

  // dist/.staging-<date>-<pid>, fresh and removed with the Publisher unless moved into place.
  const std::filesystem::path& stage(const std::string& date);
  // Writes <file>.asc when there is a key; without one removes an older <file>.asc (the file was
  // just written, so it could not match).
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

  // From here on every write goes to the tree's next generation (hard links to every file of
  // the tree but this run's work and staging dirs), which commit_publish() swaps in whole; or,
  // where that cannot be had, to the tree itself (tree/publish.hpp TreeGeneration).
  void begin_publish();
  void commit_publish();

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

  // release-key.asc (our public key(s), then `extra_keys`, armored) and release-key.fingerprint
  // (one line per key). When the keys change, first re-signs the whole tree (resign_tree).
  // No-op without a key.
  void write_key_files(const std::vector<std::string>& extra_keys = {});
  // Re-signs every signed file of the tree (tree_signing.hpp says which), the index page
  // regenerated first so it shows the new fingerprint; returns how many. During a key change
  // release-key.asc holds the old and the new keys meanwhile, and release-key.fingerprint
  // names the new ones.
  std::size_t resign_tree();
  // <root>/manifests.txt gains <base_url without scheme>/<date>/channel-rust-<name>.toml.
  void append_manifests_txt(const std::string& base_url, const std::string& date,
                            const std::vector<std::string>& names) const;
  // <root>/index.html from the tree as it now is, with its .sha256 and .asc.
  void refresh_index_page() const;
  // When the tree has TUF metadata: targets, snapshot and timestamp signed again for the tree as
  // it now is (builder/tuf/repository.hpp). The recipe's last step, while the lock is held.
  void refresh_tuf() const;

private:
  // During a key change, before the first file signed with the new keys enters the tree:
  // release-key.asc becomes the old keys plus the new ones.
  void publish_both_keys() const;

  std::filesystem::path m_root;
  std::filesystem::path m_target;
  signing::Signer* m_signer = nullptr;
  bool m_changes_keys = false;
  mutable bool m_both_keys_published = false;
  bool m_resigned = false;
  std::function<void(const std::string&)> m_log;
  std::unique_ptr<TreeLock> m_lock;
  ScopedDir m_work;
  std::optional<ScopedDir> m_staging;
  std::unique_ptr<TreeGeneration> m_generation;
};

} // namespace distbuild::builder
