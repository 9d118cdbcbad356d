// See image_set.hpp. Hard links keep splitting a 600 MB toolchain instant and free; the copy
// fallback covers a work dir on another filesystem (EXDEV) or a filesystem without links.
#include "cross/image_set.hpp"

#include "cross/error.hpp"
#include "targets/components.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <system_error>

namespace distbuild::cross {

namespace fs = std::filesystem;

bool split_wants(const SplitOptions& options, const std::string& package, const std::string& target) {
  if (!options.packages.empty() &&
      std::find(options.packages.begin(), options.packages.end(), package) ==
          options.packages.end()) {
    return false;
  }
  const auto kind = targets::find_component(package);
  const bool per_target = kind && kind->scope == targets::ComponentScope::Target;
  return !per_target || options.targets.empty() ||
         std::find(options.targets.begin(), options.targets.end(), target) != options.targets.end();
}

std::string component_name(const std::string& package, const std::string& target) {
  return target == "*" || target.empty() ? package : package + "-" + target;
}

ImageSet::ImageSet(fs::path work_dir, const std::vector<fs::path>& roots, bool reuse)
    : m_work_dir(std::move(work_dir)), m_reuse(reuse) {
  for (const auto& root : roots) {
    m_roots.push_back(fs::weakly_canonical(root));
  }
}

bool ImageSet::has_image(const std::string& package, const std::string& target) const {
  return m_images.count({package, target}) != 0;
}

SplitImage& ImageSet::image(const std::string& package, const std::string& target) {
  auto key = std::make_pair(package, target);
  auto it = m_images.find(key);
  if (it != m_images.end()) {
    return it->second;
  }
  SplitImage image;
  image.package = package;
  image.target = target;
  image.image_dir = m_work_dir / component_name(package, target);
  std::error_code ec;
  if (!m_reuse && fs::exists(fs::symlink_status(image.image_dir, ec))) {
    throw Error(image.image_dir, "already exists; split into a new work directory");
  }
  fs::create_directories(image.image_dir, ec);
  if (ec) {
    throw Error(image.image_dir, "cannot create image directory: " + ec.message());
  }
  m_order.push_back(key);
  return m_images.emplace(key, std::move(image)).first->second;
}

bool ImageSet::inside_roots(const fs::path& resolved, bool or_equal) const {
  return std::any_of(m_roots.begin(), m_roots.end(), [&](const fs::path& root) {
    const fs::path rel = resolved.lexically_relative(root);
    return !rel.empty() && *rel.begin() != ".." && (or_equal || rel != ".");
  });
}

const std::pair<fs::path, bool>& ImageSet::resolve_dir(const fs::path& dir) {
  auto it = m_dirs.find(dir.native());
  if (it != m_dirs.end()) {
    return it->second;
  }
  // A directory that is not a symlink resolves to its resolved parent plus its name: one lstat
  // per directory instead of canonical()'s readlink per component.
  fs::path resolved;
  struct stat st {};
  const fs::path name = dir.filename();
  if (dir.has_relative_path() && dir.has_parent_path() && dir.parent_path() != dir &&
      name != "." && name != ".." && !name.empty() && ::lstat(dir.c_str(), &st) == 0 &&
      S_ISDIR(st.st_mode)) {
    resolved = resolve_dir(dir.parent_path()).first / name;
  } else {
    std::error_code ec;
    resolved = fs::canonical(dir, ec);
    if (ec) {
      throw Error(dir, "does not resolve: " + ec.message());
    }
  }
  const bool inside = inside_roots(resolved, true);
  return m_dirs.emplace(dir.native(), std::make_pair(std::move(resolved), inside)).first->second;
}

// A toolchain is ~52,000 files in a few thousand directories: canonical() per file cost a
// readlink per path component (~635,000 calls), so only directories are canonicalised, once.
ImageSet::Resolved ImageSet::resolve(const fs::path& source, const fs::path& dest_rel,
                                     SplitImage& image) {
  struct stat st {};
  if (::lstat(source.c_str(), &st) != 0) {
    throw Error(source, "does not exist");
  }
  if (!S_ISLNK(st.st_mode)) {
    const auto& [dir, dir_inside] = resolve_dir(source.has_parent_path() ? source.parent_path()
                                                                         : fs::path("."));
    fs::path resolved = dir / source.filename();
    if (!dir_inside) {
      throw Error(source, "points outside " + m_roots.front().string() + ": " + resolved.string());
    }
    return {std::move(resolved), S_ISREG(st.st_mode), st.st_dev, st.st_ino};
  }
  std::error_code ec;
  const fs::path link_text = fs::read_symlink(source, ec);
  const fs::path resolved = fs::canonical(source, ec);
  if (ec) {
    throw Error(source, "symlink to " + link_text.string() + " does not resolve");
  }
  if (!inside_roots(resolved, false)) {
    throw Error(source, "symlink points outside " + m_roots.front().string() + ": " +
                            resolved.string());
  }
  image.resolved_links.push_back(dest_rel.generic_string() + " -> " + link_text.string());
  struct stat target {};
  if (::stat(resolved.c_str(), &target) != 0) {
    return {resolved, false};
  }
  return {resolved, S_ISREG(target.st_mode), target.st_dev, target.st_ino};
}

void ImageSet::make_parent(const fs::path& parent, const fs::path& image_dir) {
  std::error_code ec;
  fs::create_directories(parent, ec);
  if (ec && m_reuse) {
    // A file an earlier split left where this one needs a directory.
    for (fs::path dir = parent; dir != image_dir && dir.has_relative_path();
         dir = dir.parent_path()) {
      struct stat st {};
      if (::lstat(dir.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) {
        fs::remove(dir, ec);
        break;
      }
    }
    ec.clear();
    fs::create_directories(parent, ec);
  }
  if (ec) {
    throw Error(parent, "cannot create directory: " + ec.message());
  }
  for (fs::path dir = parent; dir != image_dir && dir.has_relative_path();
       dir = dir.parent_path()) {
    if (!m_made_dirs.insert(dir.native()).second) {
      break;
    }
  }
}

bool ImageSet::keep_or_clear(const Resolved& real, const fs::path& dest) {
  struct stat placed {};
  if (::lstat(dest.c_str(), &placed) != 0) {
    return false;
  }
  if (S_ISREG(placed.st_mode) && placed.st_dev == real.dev && placed.st_ino == real.ino) {
    return true;
  }
  std::error_code ec;
  fs::remove_all(dest, ec);
  if (ec) {
    throw Error(dest, "cannot replace what an earlier split left: " + ec.message());
  }
  return false;
}

void ImageSet::add(const std::string& package, const std::string& target, const fs::path& source,
                   const fs::path& dest_rel) {
  SplitImage& img = image(package, target);
  const Resolved resolved = resolve(source, dest_rel, img);
  const fs::path& real = resolved.path;
  if (!resolved.regular) {
    throw Error(source, "not a regular file; component images hold regular files only");
  }
  const fs::path dest = img.image_dir / dest_rel;
  auto placed_twice = [&] {
    return Error(source, "placed twice into " + component_name(package, target) + " as " +
                             dest_rel.generic_string());
  };
  if (m_reuse && !m_placed.insert(dest.native()).second) {
    throw placed_twice();
  }
  std::error_code ec;
  const fs::path parent = dest.parent_path();
  if (!m_made_dirs.count(parent.native())) {
    make_parent(parent, img.image_dir);
  }
  if (m_reuse && keep_or_clear(resolved, dest)) {
    img.files.push_back(dest_rel.generic_string());
    return;
  }
  // The image directory is new (or cleared at this path) and only this set writes into it, so
  // EEXIST is a second placement of the same path (or a file where a directory already is).
  if (::link(real.c_str(), dest.c_str()) != 0) {
    if (errno == EEXIST) {
      throw placed_twice();
    }
    fs::copy_file(real, dest, fs::copy_options::none, ec);
    if (ec) {
      if (ec == std::errc::file_exists) {
        throw placed_twice();
      }
      throw Error(dest, "cannot copy " + real.string() + ": " + ec.message());
    }
  }
  img.files.push_back(dest_rel.generic_string());
}

void ImageSet::add_tree(const std::string& package, const std::string& target,
                        const fs::path& source_dir, const fs::path& dest_rel_dir) {
  std::error_code ec;
  std::vector<std::string> entries;
  for (auto it = fs::recursive_directory_iterator(
           source_dir, fs::directory_options::follow_directory_symlink, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      throw Error(source_dir, "cannot walk: " + ec.message());
    }
    if (!it->is_directory()) {
      entries.push_back(it->path().native());
    }
  }
  if (ec) {
    throw Error(source_dir, "cannot walk: " + ec.message());
  }
  // Plain string order and prefix cuts: path::compare and lexically_relative split every path
  // into components, which cost more than the links themselves on a 50,000-file tree.
  std::sort(entries.begin(), entries.end());
  const std::size_t prefix = (source_dir / "").native().size();
  for (const auto& entry : entries) {
    add(package, target, entry, dest_rel_dir / entry.substr(prefix));
  }
}

void ImageSet::remove_stale() const {
  std::error_code ec;  // a walk that fails only leaves files behind; removal errors are thrown
  std::unordered_set<std::string> image_dirs;
  for (const auto& [key, img] : m_images) {
    image_dirs.insert(img.image_dir.native());
  }
  std::vector<fs::path> stale;
  std::vector<fs::path> dirs;
  for (const auto& entry : fs::directory_iterator(m_work_dir, ec)) {
    if (!image_dirs.count(entry.path().native())) {
      stale.push_back(entry.path());  // an image this split no longer makes
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(entry.path(), ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_directory() && !it->is_symlink()) {
        dirs.push_back(it->path());
      } else if (!m_placed.count(it->path().native())) {
        stale.push_back(it->path());
      }
    }
  }
  for (const auto& path : stale) {
    std::error_code remove_ec;
    fs::remove_all(path, remove_ec);
    if (remove_ec) {
      throw Error(path, "cannot remove what an earlier split left: " + remove_ec.message());
    }
  }
  // Deepest first, so a directory emptied above is removed too; a non-empty one stays.
  std::sort(dirs.begin(), dirs.end(),
            [](const fs::path& a, const fs::path& b) { return a.native() > b.native(); });
  for (const auto& dir : dirs) {
    ::rmdir(dir.c_str());
  }
}

std::vector<SplitImage> ImageSet::finish() {
  if (m_reuse) {
    remove_stale();
  }
  std::vector<SplitImage> out;
  for (const auto& key : m_order) {
    SplitImage& img = m_images.at(key);
    std::sort(img.files.begin(), img.files.end());
    out.push_back(std::move(img));
  }
  m_images.clear();
  m_order.clear();
  return out;
}

} // namespace distbuild::cross
