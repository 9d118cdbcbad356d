// The primitives every command that writes a tree publishes with (publish.hpp).
#include "builder/tree/publish.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "manifest/channel.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <regex>
#include <tuple>

namespace distbuild::builder {

namespace fs = std::filesystem;

// One dist run per tree at a time: two would interleave their renames.
TreeLock::TreeLock(const fs::path& root) {
  fs::path path = root / ".distbuild.lock";
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (m_fd < 0) {
    throw Error(path, errno_text("cannot open lock file"));
  }
  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(m_fd);
    throw Error(root, "another distbuild run is writing this tree");
  }
}

TreeLock::~TreeLock() { ::close(m_fd); }

// The tree root must be a distbuild tree (or new): refuse dist/ itself and foreign directories,
// so a typo never scatters files into the wrong place.
void check_tree_root(const fs::path& root) {
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
  if (!only_hidden && !fs::is_directory(root / "dist", ec)) {
    throw Error(root, "is not empty and is not a distbuild tree (no dist/ directory)");
  }
}

namespace {

// Release ordering key: stable and beta compare by version then date, nightly by date.
using ReleaseKey = std::tuple<std::string, int, int, int, std::string>;

ReleaseKey release_key(const manifest::Channel& channel, const std::string& channel_name) {
  int major = 0, minor = 0, patch = 0;
  auto rust = channel.packages.find("rust");
  if (rust != channel.packages.end()) {
    static const std::regex k_version(R"(^([0-9]+)\.([0-9]+)\.([0-9]+))");
    std::smatch match;
    if (std::regex_search(rust->second.version, match, k_version)) {
      major = std::stoi(match[1].str());
      minor = std::stoi(match[2].str());
      patch = std::stoi(match[3].str());
    }
  }
  if (channel_name == "nightly") {
    return {channel.date, major, minor, patch, ""};
  }
  return {"", major, minor, patch, channel.date};
}

} // namespace

// Whether dist/channel-rust-<name>.toml should now point at this release: never move a
// channel or a tracking pin (1.95) back to an older release.
bool should_update_top_level(const fs::path& existing, const manifest::Channel& fresh,
                             const std::string& channel_name, const std::string& name) {
  std::error_code ec;
  if (!fs::exists(existing, ec)) {
    return true;
  }
  static const std::regex k_exact_pin(R"(^[0-9]+\.[0-9]+\.[0-9]+(-beta\.[0-9]+)?$)");
  if (std::regex_match(name, k_exact_pin)) {
    return true;
  }
  try {
    auto old = manifest::parse_channel(read_file(existing), existing.string());
    return release_key(fresh, channel_name) >= release_key(old, channel_name);
  } catch (const std::exception&) {
    return true;  // an unreadable manifest is replaced, not trusted
  }
}

// The text files of one manifest name, in publishing order (manifest last).
std::vector<std::string> manifest_files(const std::string& name, bool with_git_hash) {
  std::vector<std::string> files{"channel-rust-" + name + "-date.txt"};
  if (with_git_hash) {
    files.push_back("channel-rust-" + name + "-git-commit-hash.txt");
  }
  files.push_back("channel-rust-" + name + ".toml");
  return files;
}

// Moves one file and its sidecars; the sidecars first so the file is never newer than them.
void move_with_sidecars(const fs::path& from_dir, const fs::path& to_dir, const std::string& name) {
  for (const std::string& suffix : {".sha256", ".asc", ""}) {
    fs::path from = from_dir / (name + suffix);
    std::error_code ec;
    if (fs::exists(from, ec)) {
      fs::rename(from, to_dir / (name + suffix), ec);
      if (ec) {
        throw Error(to_dir / (name + suffix), "cannot move into place: " + ec.message());
      }
    } else {
      fs::remove(to_dir / (name + suffix), ec);  // a stale signature must not outlive its file
    }
  }
}

void link_with_sidecars(const fs::path& from_dir, const fs::path& to_dir, const std::string& name) {
  for (const std::string& suffix : {".sha256", ".asc", ""}) {
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
