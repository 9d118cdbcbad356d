// The next generation of a tree and the cleaning of dead runs (publish.hpp has the why).
#include "builder/tree/publish.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/fd.hpp"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

const std::string k_generation_tag = ".distbuild-gen-";

// <parent>/.<name>.distbuild-gen-: every generation of this tree starts so.
std::string generation_prefix(const fs::path& root) {
  return "." + root.filename().string() + k_generation_tag;
}

dev_t device_of(const fs::path& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 ? info.st_dev : static_cast<dev_t>(-1);
}

bool exchange(const fs::path& a, const fs::path& b) {
  return ::renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE) == 0;
}

// Why the tree cannot be swapped whole, or "" when it can: the root and its parent on one file
// system, the parent writable, and RENAME_EXCHANGE working there (tried on two empty dirs).
std::string why_not_swappable(const fs::path& root) {
  const fs::path parent = root.parent_path();
  if (parent.empty() || parent == root) {
    return "the tree is the file system's root";
  }
  if (device_of(root) != device_of(parent)) {
    return "the tree's root is a mount point (its parent is on another file system)";
  }
  if (::access(parent.c_str(), W_OK) != 0) {
    return "the tree's parent directory " + parent.string() + " is not writable";
  }
  const fs::path a = parent / (generation_prefix(root) + std::to_string(::getpid()) + "-probe-a");
  const fs::path b = parent / (generation_prefix(root) + std::to_string(::getpid()) + "-probe-b");
  std::error_code ec;
  fs::create_directory(a, ec);
  fs::create_directory(b, ec);
  bool swapped = !ec && exchange(a, b);
  fs::remove(a, ec);
  fs::remove(b, ec);
  return swapped ? "" : "the file system cannot exchange two names atomically (RENAME_EXCHANGE)";
}

// fsync of a directory: its new entries (the links and renames in it) survive a power cut.
void sync_dir(const fs::path& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (fd.valid()) {
    ::fsync(fd.get());
  }
}

// A copy of `from` at `to` made of hard links (a copy only where a link cannot be made).
void clone_tree(const fs::path& from, const fs::path& to,
                const std::function<bool(const fs::path&)>& skip) {
  std::error_code ec;
  fs::create_directory(to, ec);
  if (ec) {
    throw Error(to, "cannot create the next generation of the tree: " + ec.message());
  }
  fs::permissions(to, fs::status(from).permissions(), ec);
  for (const auto& entry : fs::directory_iterator(from)) {
    const fs::path& source = entry.path();
    if (skip(source)) {
      continue;
    }
    const fs::path target = to / source.filename();
    const auto type = entry.symlink_status().type();
    if (type == fs::file_type::directory) {
      clone_tree(source, target, skip);
    } else if (type == fs::file_type::regular) {
      if (::link(source.c_str(), target.c_str()) != 0) {
        fs::copy_file(source, target, ec);  // another file system below, or too many links
        if (ec) {
          throw Error(target, "cannot link or copy " + source.string() + ": " + ec.message());
        }
      }
    } else if (type == fs::file_type::symlink) {
      fs::copy_symlink(source, target, ec);
      if (ec) {
        throw Error(target, "cannot copy the symlink " + source.string() + ": " + ec.message());
      }
    } else {
      throw Error(source, "is not a regular file, directory or symlink; the tree cannot be "
                          "published with it (remove it)");
    }
  }
}

void sync_tree_dirs(const fs::path& root) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      sync_dir(it->path());
    }
  }
  sync_dir(root);
}

bool remove_counted(const fs::path& path, std::size_t& count) {
  std::error_code ec;
  if (fs::remove_all(path, ec) > 0 && !ec) {
    ++count;
    return true;
  }
  return false;
}

} // namespace

TreeGeneration::TreeGeneration(const fs::path& root, const std::function<bool(const fs::path&)>& skip,
                               const std::function<void(const std::string&)>& log)
    : m_root(fs::canonical(root)), m_path(m_root) {
  const std::string why_not = why_not_swappable(m_root);
  if (!why_not.empty()) {
    if (log) {
      log("publishing in place, not crash-safe: " + why_not);
    }
    return;
  }
  const fs::path next =
      m_root.parent_path() / (generation_prefix(m_root) + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(next, ec);
  try {
    clone_tree(m_root, next, skip);
  } catch (...) {
    fs::remove_all(next, ec);  // a full disk mid-clone: the tree stays as it was
    throw;
  }
  m_path = next;
}

TreeGeneration::~TreeGeneration() {
  if (!in_place() && !m_committed) {
    std::error_code ignored;
    fs::remove_all(m_path, ignored);
  }
}

void TreeGeneration::commit() {
  if (in_place() || m_committed) {
    return;
  }
  sync_tree_dirs(m_path);
  if (!exchange(m_path, m_root)) {
    throw Error(m_root, errno_text("cannot swap in the next generation of the tree"));
  }
  m_committed = true;
  sync_dir(m_root.parent_path());
  std::error_code ignored;
  fs::remove_all(m_path, ignored);  // the old generation; a dead run's is cleaned by the next
}

std::size_t clean_dead_runs(const fs::path& tree) {
  std::size_t count = 0;
  std::error_code ec;
  const fs::path root = fs::canonical(tree, ec);
  if (ec) {
    return 0;
  }
  // Work dirs of every command (.distbuild-work-<pid>, .distbuild-overlay-<pid>) and staging.
  static const std::regex k_run_dir(R"(^\.distbuild-(work|overlay)-[0-9]+$)");
  static const std::regex k_staging(R"(^\.staging-.+-[0-9]+$)");
  static const std::regex k_temp_file(R"(^\..+\.(tmp-[0-9]+-[0-9]+|link-[0-9]+)$)");
  for (const auto& [dir, pattern] : {std::pair{root, &k_run_dir}, {root / "dist", &k_staging}}) {
    if (!fs::is_directory(dir, ec)) {
      continue;
    }
    std::vector<fs::path> dead;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (std::regex_match(entry.path().filename().string(), *pattern)) {
        dead.push_back(entry.path());
      }
    }
    for (const auto& path : dead) {
      remove_counted(path, count);
    }
  }
  // Temp files of atomic writes that never reached their rename (in-place publishing).
  std::vector<fs::path> temps;
  for (auto it = fs::recursive_directory_iterator(root, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec) &&
        std::regex_match(it->path().filename().string(), k_temp_file)) {
      temps.push_back(it->path());
    }
  }
  for (const auto& path : temps) {
    remove_counted(path, count);
  }
  // Generations beside the root: a next one never swapped in, or an old one not yet removed.
  const std::string prefix = generation_prefix(root);
  std::vector<fs::path> generations;
  for (const auto& entry : fs::directory_iterator(root.parent_path(), ec)) {
    if (entry.path().filename().string().starts_with(prefix)) {
      generations.push_back(entry.path());
    }
  }
  for (const auto& path : generations) {
    remove_counted(path, count);
  }
  return count;
}

} // namespace distbuild::builder
