// libarchive gnutar writer feeding a callback; see tar_writer.hpp for the format choices.
#include "builder/pack/tar_writer.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/fd.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <vector>

namespace distbuild::builder {

namespace {

constexpr std::uint64_t k_block = 512;
constexpr std::size_t k_gnu_name_field = 100;
constexpr std::size_t k_read_buffer = 1 << 20;

std::uint64_t padded(std::uint64_t size) {
  return (size + k_block - 1) / k_block * k_block;
}

// Name as the gnutar writer stores it: directories get a trailing '/'.
std::size_t stored_name_length(const TarEntry& entry) {
  return entry.path.size() + (entry.kind == TarEntry::Kind::Directory ? 1 : 0);
}

} // namespace

void sort_entries_upstream(std::vector<TarEntry>& entries) {
  std::stable_sort(entries.begin(), entries.end(), [](const TarEntry& a, const TarEntry& b) {
    bool a_dir = a.kind == TarEntry::Kind::Directory;
    bool b_dir = b.kind == TarEntry::Kind::Directory;
    if (a_dir != b_dir) {
      return a_dir;
    }
    if (a_dir) {
      return a.path < b.path;
    }
    return std::lexicographical_compare(
        a.path.rbegin(), a.path.rend(), b.path.rbegin(), b.path.rend(),
        [](char x, char y) { return static_cast<unsigned char>(x) < static_cast<unsigned char>(y); });
  });
}

std::uint64_t predicted_tar_size(const std::vector<TarEntry>& entries) {
  std::uint64_t total = 0;
  for (const TarEntry& entry : entries) {
    std::size_t name = stored_name_length(entry);
    if (name > k_gnu_name_field) {
      total += k_block + padded(name + 1);
    }
    total += k_block;
    if (entry.kind == TarEntry::Kind::File) {
      total += padded(entry.content ? entry.content->size() : entry.size);
    }
  }
  return total + 2 * k_block;
}

TarWriter::TarWriter(Sink sink, std::int64_t file_mtime)
    : m_sink(std::move(sink)), m_file_mtime(file_mtime), m_archive(archive_write_new()) {
  if (!m_archive) {
    throw Error(std::string("tar"), "cannot create a libarchive writer");
  }
  if (archive_write_set_format_gnutar(m_archive.get()) != ARCHIVE_OK ||
      archive_write_add_filter_none(m_archive.get()) != ARCHIVE_OK ||
      // No padding after the end-of-archive blocks: the size is predictable and minimal.
      archive_write_set_bytes_in_last_block(m_archive.get(), 1) != ARCHIVE_OK ||
      archive_write_open2(m_archive.get(), this, nullptr, &TarWriter::write_callback, nullptr,
                          nullptr) != ARCHIVE_OK) {
    fail("tar", "archive_write_open");
  }
}

la_ssize_t TarWriter::write_callback(archive* /*a*/, void* self, const void* data,
                                     std::size_t size) {
  auto* writer = static_cast<TarWriter*>(self);
  if (writer->m_discard) {
    return static_cast<la_ssize_t>(size);
  }
  try {
    writer->m_sink(static_cast<const char*>(data), size);
  } catch (...) {
    writer->m_sink_error = std::current_exception();
    return -1;
  }
  writer->m_bytes += size;
  return static_cast<la_ssize_t>(size);
}

void TarWriter::fail(const std::string& subject, const std::string& call) {
  if (m_sink_error) {
    std::rethrow_exception(m_sink_error);
  }
  const char* message = archive_error_string(m_archive.get());
  throw Error(subject, call + ": " + (message ? message : "unknown libarchive error"));
}

void TarWriter::add(const TarEntry& entry) {
  ArchiveEntry header(archive_entry_new());
  if (!header) {
    throw Error(entry.path, "cannot allocate a tar entry");
  }
  archive_entry* e = header.get();
  // Raw bytes: paths were checked to be UTF-8 and are written without locale conversion.
  archive_entry_copy_pathname(e, entry.path.c_str());
  archive_entry_set_uid(e, 0);
  archive_entry_set_gid(e, 0);
  if (entry.kind == TarEntry::Kind::Directory) {
    archive_entry_set_filetype(e, AE_IFDIR);
    archive_entry_set_perm(e, 0755);
    archive_entry_set_size(e, 0);
    archive_entry_set_mtime(e, k_directory_mtime, 0);
  } else {
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, entry.executable ? 0755 : 0644);
    archive_entry_set_size(e, static_cast<la_int64_t>(entry.content ? entry.content->size()
                                                                    : entry.size));
    archive_entry_set_mtime(e, m_file_mtime, 0);
  }
  if (archive_write_header(m_archive.get(), e) != ARCHIVE_OK) {
    fail(entry.path, "archive_write_header");
  }
  if (entry.kind == TarEntry::Kind::File) {
    if (entry.content) {
      if (!entry.content->empty() &&
          archive_write_data(m_archive.get(), entry.content->data(), entry.content->size()) < 0) {
        fail(entry.path, "archive_write_data");
      }
    } else {
      add_file_data(entry);
    }
  }
  if (archive_write_finish_entry(m_archive.get()) != ARCHIVE_OK) {
    fail(entry.path, "archive_write_finish_entry");
  }
}

void TarWriter::add_file_data(const TarEntry& entry) {
  Fd fd(::open(entry.source.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    throw Error(entry.source, errno_text("cannot open"));
  }
  std::vector<char> buffer(k_read_buffer);
  std::uint64_t total = 0;
  for (;;) {
    ssize_t n = ::read(fd.get(), buffer.data(), buffer.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(entry.source, errno_text("read"));
    }
    if (n == 0) {
      break;
    }
    total += static_cast<std::uint64_t>(n);
    if (total > entry.size) {
      break;
    }
    if (archive_write_data(m_archive.get(), buffer.data(), static_cast<std::size_t>(n)) < 0) {
      fail(entry.path, "archive_write_data");
    }
  }
  if (total != entry.size) {
    throw Error(entry.source, "file changed size while being archived");
  }
}

void TarWriter::close() {
  if (m_closed) {
    return;
  }
  m_closed = true;
  if (archive_write_close(m_archive.get()) != ARCHIVE_OK) {
    fail("tar", "archive_write_close");
  }
}

} // namespace distbuild::builder
