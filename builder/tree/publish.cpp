// The primitives every command that writes a tree publishes with (publish.hpp).
#include "builder/tree/publish.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/output_path.hpp"
#include "manifest/channel.hpp"
#include "manifest/release_name.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>


namespace distbuild::builder {

namespace fs = std::filesystem;

// One dist run per tree at a time: two would interleave their renames. O_NOFOLLOW and
// O_NONBLOCK: a link planted at the lock's name is not followed (O_CREAT would create its
// target), a fifo there does not block (output_path.hpp).
TreeLock::TreeLock(const fs::path& root)
    : m_fd(::open((root / ".distbuild.lock").c_str(),
                  O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644)) {
  if (!m_fd.valid()) {
    throw Error(root / ".distbuild.lock", errno_text("cannot open lock file"));
  }
  if (::flock(m_fd.get(), LOCK_EX | LOCK_NB) != 0) {
    throw Error(root, "another distbuild run is writing this tree");
  }
}

void check_tree_root(const fs::path& root, TreeKind kind) {
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    throw Error(root, "is not a directory");
  }
  if (!fs::exists(root, ec) || fs::is_empty(root, ec)) {
    return;
  }
  // Dot-files are ours (the lock a refused run leaves behind) and do not make a tree foreign.
  bool only_hidden = true;
  for (const auto& entry : fs::directory_iterator(root)) {
    std::string name = entry.path().filename().string();
    if (name.starts_with("channel-rust-")) {
      throw Error(root, "holds channel manifests itself: it looks like the dist/ directory of a "
                        "tree; give the tree's root (the directory that contains dist/)");
    }
    only_hidden = only_hidden && name.starts_with(".");
  }
  if (kind == TreeKind::DistOrRustup) {
    if (!fs::is_directory(root / "dist", ec) && !fs::is_directory(root / "rustup", ec)) {
      throw Error(root,
                  "is not empty and is not a distbuild tree (no dist/ or rustup/ directory)");
    }
    return;
  }
  if (!only_hidden && !fs::is_directory(root / "dist", ec)) {
    throw Error(root, "is not empty and is not a distbuild tree (no dist/ directory)");
  }
}

// Whether dist/channel-rust-<name>.toml should now point at this release: never move a
// channel or a tracking pin (1.95) back to an older release.
bool should_update_top_level(const fs::path& existing, const manifest::Channel& fresh,
                             const std::string& channel_name, const std::string& name) {
  std::error_code ec;
  if (!fs::exists(existing, ec)) {
    return true;
  }
  if (manifest::is_exact_pin(name)) {
    return true;
  }
  try {
    auto old = manifest::parse_channel(read_file(existing), existing.string());
    return manifest::release_order(fresh, channel_name) >=
           manifest::release_order(old, channel_name);
  } catch (const std::exception&) {
    return true;  // an unreadable manifest is replaced, not trusted
  }
}

// Moves one file and its sidecars; the sidecars first so the file is never newer than them.
void move_with_sidecars(const fs::path& from_dir, const fs::path& to_dir, const std::string& name) {
  for (const char* suffix : {".sha256", ".asc", ""}) {
    fs::path from = from_dir / (name + suffix);
    std::error_code ec;
    if (fs::exists(from, ec)) {
      rename_into_place(from, to_dir / (name + suffix));  // never over a fifo, device or dir
    } else {
      fs::remove(to_dir / (name + suffix), ec);  // a stale signature must not outlive its file
    }
  }
}

void link_with_sidecars(const fs::path& from_dir, const fs::path& to_dir, const std::string& name) {
  for (const char* suffix : {".sha256", ".asc", ""}) {
    fs::path from = from_dir / (name + suffix);
    std::error_code ec;
    if (fs::exists(from, ec)) {
      link_or_copy_atomically(from, to_dir / (name + suffix));
    } else {
      fs::remove(to_dir / (name + suffix), ec);  // a stale signature must not outlive its file
    }
  }
}

} // namespace distbuild::builder
