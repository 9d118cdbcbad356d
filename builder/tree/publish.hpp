// Publishing primitives shared by every command that writes a tree (dist, overlay, mirror, the
// rustup tree): the tree lock, the root check, which top-level names may move, and moving a file
// together with its .sha256/.asc sidecars so a signature never outlives its file, and the
// generation a publish is made in (generation.cpp) with the cleaning of what dead runs left.
#pragma once

#include "builder/tree/fd.hpp"

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace distbuild::manifest {
struct Channel;
}

namespace distbuild::builder {

// One writer per tree at a time (flock on <root>/.distbuild.lock): two would interleave renames.
class TreeLock {
public:
  explicit TreeLock(const std::filesystem::path& root);

private:
  Fd m_fd;
};

// Which roots a command may write into: a dist tree (dist, overlay, mirror), or also a tree that
// so far holds only the rustup self-update files (the rustup command).
enum class TreeKind { Dist, DistOrRustup };

// Throws unless root is new, empty or a distbuild tree (refuses dist/ itself and foreign
// directories, so a typo never scatters files into the wrong place).
void check_tree_root(const std::filesystem::path& root, TreeKind kind = TreeKind::Dist);

// Whether dist/channel-rust-<name>.toml should now point at `fresh` (never move back in time).
bool should_update_top_level(const std::filesystem::path& existing,
                             const manifest::Channel& fresh, const std::string& channel_name,
                             const std::string& name);

// Links (or copies) name and its .sha256/.asc from one dir to another; a sidecar missing in
// from_dir is removed from to_dir.
void link_with_sidecars(const std::filesystem::path& from_dir, const std::filesystem::path& to_dir,
                        const std::string& name);

// Moves one file and its sidecars; the sidecars first so the file is never newer than them.
void move_with_sidecars(const std::filesystem::path& from_dir, const std::filesystem::path& to_dir,
                        const std::string& name);

// Crash safety of a publish (README "Crash safety"): the tree changes in one atomic step, and
// what a dead run leaves is cleaned by the next one.
//
// A file, its .sha256 and its .asc are three names; no order of renames replaces all three
// without a moment in which `verify` (and rustup, for a manifest and its .sha256) sees them
// disagree, and the top level (dist/*.toml, SHA256SUMS, manifests.txt, index.html) changes on
// every publish. So the publish is made in a next generation of the whole tree: a sibling
// directory <parent>/.<name>.distbuild-gen-<pid> holding hard links to every file of the tree
// (no data is copied), into which the new files are written (always to a temp name and renamed,
// so a shared inode is never written through). When it is complete it is swapped with the tree
// in one renameat2(RENAME_EXCHANGE), and the old generation is removed. Whenever the process
// dies, the tree is either the old one or the new one, whole.
//
// Where the swap cannot be had (the tree's root is a mount point, its parent is on another file
// system or not writable, or the file system has no RENAME_EXCHANGE) the publish is made in
// place, in the order publisher.hpp describes, and a log line says it is not crash-safe.
class TreeGeneration {
public:
  // Makes the next generation of `root` (an existing directory), skipping the entries `skip`
  // says are this run's own (its work and staging dirs); in place when it cannot (see above).
  // `log` gets one line when in place. Throws builder::Error when the clone fails.
  TreeGeneration(const std::filesystem::path& root,
                 const std::function<bool(const std::filesystem::path&)>& skip,
                 const std::function<void(const std::string&)>& log);
  // Removes an uncommitted next generation: the tree stays as it was.
  ~TreeGeneration();
  TreeGeneration(const TreeGeneration&) = delete;
  TreeGeneration& operator=(const TreeGeneration&) = delete;

  // Where this publish writes: the next generation, or the root itself when in place.
  const std::filesystem::path& path() const { return m_path; }
  bool in_place() const { return m_path == m_root; }

  // Makes the next generation the tree (one atomic exchange), then removes the old one.
  void commit();

private:
  std::filesystem::path m_root;  // canonical
  std::filesystem::path m_path;
  bool m_committed = false;
};

// What dead runs left in a tree whose lock this process holds: their work and staging dirs,
// temp files of unfinished atomic writes, and their next or old generations beside the root.
// Returns how many entries were removed. Call only under the tree lock (TreeLock above):
// every run that writes a tree holds it, so nothing removed can belong to a live run.
std::size_t clean_dead_runs(const std::filesystem::path& root);

} // namespace distbuild::builder
