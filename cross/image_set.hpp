// Builds the component images of one split: places each file into the image of its component,
// hard-linked when the filesystem allows and copied otherwise, resolving symlinks on the way.
// Shared by the prefix and build-tree splitters so both follow the same rules: an image
// directory must be new, a path may be placed once, only regular files end up in an image.
//
// Reused (SplitOptions::reuse_work_dir), the work dir may hold the images of an earlier split:
// a file already linked to the same inode is kept, anything else at its path is replaced, and
// finish() removes what this split did not place. A new hard link changes the file's link
// count and so its ctime, which the pack cache's stat index (builder/pack/source_digests.hpp)
// compares; kept links leave the input's ctimes alone, so an unchanged toolchain's 52,000 files
// are known by stat on the next run instead of being hashed again.
#pragma once

#include <sys/types.h>

#include "cross/split_image.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace distbuild::cross {

class ImageSet {
public:
  // `roots` are the trees the files come from; every file, after resolving symlinks (of the file
  // or of a directory above it), must lie inside one of them.
  ImageSet(std::filesystem::path work_dir, const std::vector<std::filesystem::path>& roots,
           bool reuse = false);

  // Places `source` at `dest_rel` in the image of (package, target). `source` may be a symlink.
  void add(const std::string& package, const std::string& target,
           const std::filesystem::path& source, const std::filesystem::path& dest_rel);
  // Adds every file below `source_dir` under `dest_rel_dir`, following bootstrap's cp_r (symlinks
  // to files are resolved, symlinks to directories are walked).
  void add_tree(const std::string& package, const std::string& target,
                const std::filesystem::path& source_dir, const std::filesystem::path& dest_rel_dir);
  bool has_image(const std::string& package, const std::string& target) const;

  std::vector<SplitImage> finish();

private:
  SplitImage& image(const std::string& package, const std::string& target);
  struct Resolved {
    std::filesystem::path path;  // the real path
    bool regular = false;
    dev_t dev = 0;               // its inode, for a reused image's kept links
    ino_t ino = 0;
  };
  // The real path of `source` and its type and inode (one lstat when `source` is not a symlink;
  // its directory is resolved once per directory, not once per file).
  Resolved resolve(const std::filesystem::path& source, const std::filesystem::path& dest_rel,
                   SplitImage& image);
  // canonical(dir) and whether it lies inside (or is) one of the roots, cached per directory.
  const std::pair<std::filesystem::path, bool>& resolve_dir(const std::filesystem::path& dir);
  bool inside_roots(const std::filesystem::path& resolved, bool or_equal) const;
  // Reused work dirs: creates `parent`, replacing a file an earlier split left in its way.
  void make_parent(const std::filesystem::path& parent, const std::filesystem::path& image_dir);
  // Reused work dirs: true when `dest` is already a link to `real`'s inode (kept); otherwise
  // whatever is at `dest` is removed and false returned.
  bool keep_or_clear(const Resolved& real, const std::filesystem::path& dest);
  // Reused work dirs: removes every file and image this split did not place, and emptied dirs.
  void remove_stale() const;

  std::filesystem::path m_work_dir;
  std::vector<std::filesystem::path> m_roots;
  std::vector<std::pair<std::string, std::string>> m_order;
  std::map<std::pair<std::string, std::string>, SplitImage> m_images;
  std::unordered_map<std::string, std::pair<std::filesystem::path, bool>> m_dirs;  // resolve_dir
  std::unordered_set<std::string> m_made_dirs;  // image directories created so far
  bool m_reuse = false;
  std::unordered_set<std::string> m_placed;     // every file placed (reused work dirs)
};

// Whether a split keeps (package, target): SplitOptions.packages limits packages, and
// SplitOptions.targets limits the per-target packages (rust-std, rust-analysis) only, since the
// host tools of a prefix are wanted whatever targets are asked for.
bool split_wants(const SplitOptions& options, const std::string& package, const std::string& target);

// "rustc" + "x86_64-unknown-linux-gnu" -> "rustc-x86_64-unknown-linux-gnu"; "rust-src" + "*" ->
// "rust-src": the component name rustup records and the image directory name.
std::string component_name(const std::string& package, const std::string& target);

} // namespace distbuild::cross
