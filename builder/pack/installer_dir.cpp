// write_installer_dir(): see installer_dir.hpp.
#include "builder/pack/installer_dir.hpp"

#include "builder/tree/error.hpp"

#include <stdlib.h>

#include <fstream>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// The temp directory being filled; removed unless it was renamed into place.
class PendingDir {
public:
  PendingDir(const fs::path& parent, const std::string& name) {
    std::string pattern = (parent / (".distbuild-" + name + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      throw Error(parent, errno_text("cannot create a temporary directory"));
    }
    m_path = pattern;
  }
  ~PendingDir() {
    if (!m_path.empty()) {
      std::error_code ignored;
      fs::remove_all(m_path, ignored);
    }
  }
  PendingDir(const PendingDir&) = delete;
  PendingDir& operator=(const PendingDir&) = delete;
  const fs::path& path() const { return m_path; }
  void release() { m_path.clear(); }

private:
  fs::path m_path;
};

void set_mode(const fs::path& path, fs::perms mode) {
  std::error_code ec;
  fs::permissions(path, mode, fs::perm_options::replace, ec);
  if (ec) {
    throw Error(path, "cannot set permissions: " + ec.message());
  }
}

void write_entry(const TarEntry& entry, const fs::path& target) {
  std::error_code ec;
  if (entry.kind == TarEntry::Kind::Directory) {
    fs::create_directory(target, ec);
    if (ec) {
      throw Error(target, "cannot create directory: " + ec.message());
    }
    set_mode(target, fs::perms(0755));
    return;
  }
  if (entry.content) {
    std::ofstream out(target, std::ios::binary | std::ios::trunc);
    out.write(entry.content->data(), static_cast<std::streamsize>(entry.content->size()));
    out.close();
    if (!out) {
      throw Error(target, "cannot write");
    }
  } else {
    fs::copy_file(entry.source, target, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      throw Error(target, "cannot copy " + entry.source.string() + ": " + ec.message());
    }
  }
  set_mode(target, fs::perms(entry.executable ? 0755 : 0644));
}

} // namespace

void write_installer_dir(const std::vector<TarEntry>& entries, const fs::path& work_dir) {
  if (entries.empty()) {
    return;
  }
  const std::string& first = entries.front().path;
  const std::string top = first.substr(0, first.find('/'));
  std::error_code ec;
  fs::create_directories(work_dir, ec);
  if (ec) {
    throw Error(work_dir, "cannot create the work directory: " + ec.message());
  }
  PendingDir pending(work_dir, top);
  for (const TarEntry& entry : entries) {
    if (entry.path == top) {
      set_mode(pending.path(), fs::perms(0755));
      continue;
    }
    if (entry.path.compare(0, top.size() + 1, top + "/") != 0) {
      throw Error(entry.path, "is not under the installer's top directory '" + top + "'");
    }
    write_entry(entry, pending.path() / entry.path.substr(top.size() + 1));
  }
  const fs::path final_path = work_dir / top;
  fs::remove_all(final_path, ec);
  if (ec) {
    throw Error(final_path, "cannot replace: " + ec.message());
  }
  fs::rename(pending.path(), final_path, ec);
  if (ec) {
    throw Error(final_path, "cannot rename " + pending.path().string() + " into place: " +
                                ec.message());
  }
  pending.release();
}

} // namespace distbuild::builder
