// See image_set.hpp. Hard links keep splitting a 600 MB toolchain instant and free; the copy
// fallback covers a work dir on another filesystem (EXDEV) or a filesystem without links.
#include "cross/image_set.hpp"

#include "cross/error.hpp"
#include "targets/components.hpp"

#include <algorithm>
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

ImageSet::ImageSet(fs::path work_dir, const std::vector<fs::path>& roots)
    : m_work_dir(std::move(work_dir)) {
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
  if (fs::exists(fs::symlink_status(image.image_dir, ec))) {
    throw Error(image.image_dir, "already exists; split into a new work directory");
  }
  fs::create_directories(image.image_dir, ec);
  if (ec) {
    throw Error(image.image_dir, "cannot create image directory: " + ec.message());
  }
  m_order.push_back(key);
  return m_images.emplace(key, std::move(image)).first->second;
}

fs::path ImageSet::resolve(const fs::path& source, const fs::path& dest_rel, SplitImage& image) const {
  std::error_code ec;
  auto status = fs::symlink_status(source, ec);
  if (ec || !fs::exists(status)) {
    throw Error(source, "does not exist");
  }
  const bool is_link = fs::is_symlink(status);
  const fs::path link_text = is_link ? fs::read_symlink(source, ec) : fs::path();
  const fs::path resolved = fs::canonical(source, ec);
  if (ec) {
    throw Error(source, "symlink to " + link_text.string() + " does not resolve");
  }
  const bool inside = std::any_of(m_roots.begin(), m_roots.end(), [&](const fs::path& root) {
    const fs::path rel = resolved.lexically_relative(root);
    return !rel.empty() && *rel.begin() != "..";
  });
  if (!inside) {
    throw Error(source, "symlink points outside " + m_roots.front().string() + ": " +
                            resolved.string());
  }
  if (is_link) {
    image.resolved_links.push_back(dest_rel.generic_string() + " -> " + link_text.string());
  }
  return resolved;
}

void ImageSet::add(const std::string& package, const std::string& target, const fs::path& source,
                   const fs::path& dest_rel) {
  SplitImage& img = image(package, target);
  const fs::path real = resolve(source, dest_rel, img);
  if (!fs::is_regular_file(real)) {
    throw Error(source, "not a regular file; component images hold regular files only");
  }
  const fs::path dest = img.image_dir / dest_rel;
  std::error_code ec;
  if (fs::exists(fs::symlink_status(dest, ec))) {
    throw Error(source, "placed twice into " + component_name(package, target) + " as " +
                            dest_rel.generic_string());
  }
  fs::create_directories(dest.parent_path(), ec);
  if (ec) {
    throw Error(dest.parent_path(), "cannot create directory: " + ec.message());
  }
  fs::create_hard_link(real, dest, ec);
  if (ec) {
    ec.clear();
    fs::copy_file(real, dest, fs::copy_options::none, ec);
    if (ec) {
      throw Error(dest, "cannot copy " + real.string() + ": " + ec.message());
    }
  }
  img.files.push_back(dest_rel.generic_string());
}

void ImageSet::add_tree(const std::string& package, const std::string& target,
                        const fs::path& source_dir, const fs::path& dest_rel_dir) {
  std::error_code ec;
  std::vector<fs::path> entries;
  for (auto it = fs::recursive_directory_iterator(
           source_dir, fs::directory_options::follow_directory_symlink, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      throw Error(source_dir, "cannot walk: " + ec.message());
    }
    if (!it->is_directory()) {
      entries.push_back(it->path());
    }
  }
  if (ec) {
    throw Error(source_dir, "cannot walk: " + ec.message());
  }
  std::sort(entries.begin(), entries.end());
  for (const auto& entry : entries) {
    add(package, target, entry, dest_rel_dir / entry.lexically_relative(source_dir));
  }
}

std::vector<SplitImage> ImageSet::finish() {
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
