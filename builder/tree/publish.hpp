// Publishing primitives shared by every command that writes a tree (dist, overlay, mirror, the
// rustup tree): the tree lock, the root check, which top-level names may move, and moving a file
// together with its .sha256/.asc sidecars so a signature never outlives its file.
#pragma once

#include "builder/tree/fd.hpp"

#include <filesystem>
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

} // namespace distbuild::builder
