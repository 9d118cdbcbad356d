// read_installer() and extract_installer(): libarchive's tar reader over our Decompressor (so all
// three formats behave the same and stop after the first stream, like rustup).
#include "builder/inspect/installer_reader.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/tree/safe_path.hpp"
#include "builder/inspect/installer_decompress.hpp"
#include "builder/pack/tar_handles.hpp"
#include "builder/tree/text.hpp"

#include <exception>
#include <set>
#include <vector>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_buffer = 1 << 20;

class TarReader {
public:
  explicit TarReader(const fs::path& tarball)
      : m_path(tarball), m_decompressor(tarball), m_buffer(k_buffer), m_archive(archive_read_new()) {
    if (!m_archive || archive_read_support_format_tar(m_archive.get()) != ARCHIVE_OK ||
        archive_read_support_filter_none(m_archive.get()) != ARCHIVE_OK ||
        archive_read_open(m_archive.get(), this, nullptr, &TarReader::read_callback, nullptr) !=
            ARCHIVE_OK) {
      fail("archive_read_open");
    }
  }

  // nullptr at the end of the archive.
  archive_entry* next() {
    archive_entry* entry = nullptr;
    int rc = archive_read_next_header(m_archive.get(), &entry);
    if (rc == ARCHIVE_EOF) {
      return nullptr;
    }
    if (rc != ARCHIVE_OK && rc != ARCHIVE_WARN) {
      fail("archive_read_next_header");
    }
    return entry;
  }

  // One metadata file, whole. Each is bounded and so is their sum over the tarball
  // (input_limits.hpp): forty 48 MiB manifest.in in a small .tar.zst are refused, not held.
  std::string read_data(const std::string& entry_path, la_int64_t size) {
    if (size < 0 || static_cast<std::uint64_t>(size) > k_max_installer_metadata_file) {
      throw Error(m_path, entry_path + ": is larger than " +
                              limit_text(k_max_installer_metadata_file) +
                              ", the limit for one installer metadata file");
    }
    m_metadata_bytes += static_cast<std::uint64_t>(size);
    if (m_metadata_bytes > k_max_installer_metadata_total) {
      throw Error(m_path, entry_path + ": the installer's metadata files add up to more than " +
                              limit_text(k_max_installer_metadata_total) + ", the limit");
    }
    std::string data(static_cast<std::size_t>(size), '\0');
    la_ssize_t n = data.empty() ? 0 : archive_read_data(m_archive.get(), data.data(), data.size());
    if (n < 0 || static_cast<std::size_t>(n) != data.size()) {
      fail("archive_read_data");
    }
    return data;
  }

  archive* get() { return m_archive.get(); }

  [[noreturn]] void fail(const std::string& call) {
    if (m_error) {
      std::rethrow_exception(m_error);
    }
    const char* message = m_archive ? archive_error_string(m_archive.get()) : nullptr;
    throw Error(m_path, call + ": " + (message ? message : "cannot read the tar"));
  }

private:
  static la_ssize_t read_callback(archive* a, void* self, const void** buffer) {
    auto* reader = static_cast<TarReader*>(self);
    try {
      *buffer = reader->m_buffer.data();
      return static_cast<la_ssize_t>(
          reader->m_decompressor.read(reader->m_buffer.data(), reader->m_buffer.size()));
    } catch (...) {
      reader->m_error = std::current_exception();
      archive_set_error(a, EIO, "decompression failed");
      return -1;
    }
  }

  fs::path m_path;
  std::uint64_t m_metadata_bytes = 0;
  Decompressor m_decompressor;
  std::vector<char> m_buffer;
  std::exception_ptr m_error;
  ArchiveReader m_archive;
};

std::string archive_message(archive* a) {
  const char* message = archive_error_string(a);
  return message ? message : "unknown libarchive error";
}

std::string entry_name(archive_entry* entry) {
  const char* name = archive_entry_pathname(entry);
  std::string path = name ? name : "";
  while (!path.empty() && path.back() == '/') {
    path.pop_back();
  }
  return path;
}

} // namespace

InstallerInfo read_installer(const fs::path& tarball) {
  InstallerInfo info;
  TarReader reader(tarball);
  std::map<std::string, std::string> manifests; // component -> text
  std::optional<std::string> version_file;
  std::optional<std::string> components_file;
  while (archive_entry* entry = reader.next()) {
    std::string path = entry_name(entry);
    std::size_t slash = path.find('/');
    std::string top = path.substr(0, slash);
    if (info.top_dir.empty()) {
      info.top_dir = top;
    }
    if (slash == std::string::npos || top != info.top_dir ||
        archive_entry_filetype(entry) != AE_IFREG) {
      continue;
    }
    std::string rel = path.substr(slash + 1);
    la_int64_t size = archive_entry_size(entry);
    if (rel == "rust-installer-version") {
      version_file = reader.read_data(path, size);
    } else if (rel == "components") {
      components_file = reader.read_data(path, size);
    } else if (rel == "version") {
      info.version = trim(reader.read_data(path, size));
    } else if (rel == "git-commit-hash") {
      info.git_commit_hash = trim(reader.read_data(path, size));
    } else if (rel.size() > 12 && rel.compare(rel.size() - 12, 12, "/manifest.in") == 0 &&
               rel.find('/') == rel.size() - 12) {
      manifests[rel.substr(0, rel.size() - 12)] = reader.read_data(path, size);
    }
  }
  if (!version_file) {
    throw Error(tarball, "not an installer: no " + info.top_dir + "/rust-installer-version");
  }
  if (!components_file) {
    throw Error(tarball, "not an installer: no " + info.top_dir + "/components");
  }
  info.installer_version = trim(*version_file);
  info.components = split_lines(*components_file);
  for (const std::string& component : info.components) {
    auto it = manifests.find(component);
    if (it != manifests.end()) {
      info.manifest_in[component] = split_lines(it->second);
    }
  }
  return info;
}

InstallerVersion read_installer_version(const fs::path& tarball) {
  InstallerVersion info;
  TarReader reader(tarball);
  while (archive_entry* entry = reader.next()) {
    std::string path = entry_name(entry);
    std::size_t slash = path.find('/');
    if (slash == std::string::npos || archive_entry_filetype(entry) != AE_IFREG) {
      continue;
    }
    std::string rel = path.substr(slash + 1);
    if (rel == "version") {
      info.version = reader.read_data(path, archive_entry_size(entry));
    } else if (rel == "git-commit-hash") {
      info.git_commit_hash = reader.read_data(path, archive_entry_size(entry));
    }
    if (info.version && info.git_commit_hash) {
      break;
    }
  }
  return info;
}

void extract_installer(const fs::path& tarball, const fs::path& dest_dir) {
  TarReader reader(tarball);
  ArchiveWriter disk(archive_write_disk_new());
  if (!disk || archive_write_disk_set_options(disk.get(), ARCHIVE_EXTRACT_PERM |
                                                             ARCHIVE_EXTRACT_SECURE_NODOTDOT |
                                                             ARCHIVE_EXTRACT_SECURE_SYMLINKS) !=
                   ARCHIVE_OK) {
    throw Error(dest_dir, "cannot create a libarchive disk writer");
  }
  std::error_code ec;
  fs::create_directories(dest_dir, ec);
  if (ec) {
    throw Error(dest_dir, "cannot create: " + ec.message());
  }
  std::vector<char> buffer(k_buffer);
  // Entry paths pass the one rule for outside paths (safe_path.hpp; dot-files are allowed, an
  // installer may carry them) and are then made absolute under dest_dir, which is why
  // libarchive's own absolute-path guard is not enabled. A hard link or symlink is refused even
  // when its type says "regular file": its target would be a second, unchecked path.
  while (archive_entry* entry = reader.next()) {
    std::string path = entry_name(entry);
    auto type = archive_entry_filetype(entry);
    if (archive_entry_hardlink(entry) != nullptr || archive_entry_symlink(entry) != nullptr) {
      throw Error(tarball, path + ": is a link; only directories and regular files can be "
                                  "extracted");
    }
    if (type != AE_IFDIR && type != AE_IFREG) {
      throw Error(tarball, path + ": only directories and regular files can be extracted");
    }
    PathRules rules;
    rules.allow_hidden = true;
    const fs::path target = path_inside(dest_dir, path, tarball.string(), "entry", rules);
    bool executable = (archive_entry_perm(entry) & 0100) != 0;
    archive_entry_set_perm(entry, type == AE_IFDIR || executable ? 0755 : 0644);
    archive_entry_set_pathname(entry, target.c_str());
    if (archive_write_header(disk.get(), entry) != ARCHIVE_OK) {
      throw Error(target, std::string("cannot extract: ") +
                                       archive_message(disk.get()));
    }
    if (type == AE_IFREG) {
      for (;;) {
        la_ssize_t n = archive_read_data(reader.get(), buffer.data(), buffer.size());
        if (n < 0) {
          reader.fail("archive_read_data");
        }
        if (n == 0) {
          break;
        }
        if (archive_write_data(disk.get(), buffer.data(), static_cast<std::size_t>(n)) != n) {
          throw Error(target, std::string("cannot write: ") +
                                           archive_message(disk.get()));
        }
      }
    }
    if (archive_write_finish_entry(disk.get()) != ARCHIVE_OK) {
      throw Error(target, std::string("cannot finish: ") +
                                       archive_message(disk.get()));
    }
  }
  if (archive_write_close(disk.get()) != ARCHIVE_OK) {
    throw Error(dest_dir, std::string("cannot finish extraction: ") +
                              archive_message(disk.get()));
  }
}

} // namespace distbuild::builder
