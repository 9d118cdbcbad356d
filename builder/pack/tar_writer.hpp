// Writes the uncompressed tar of an installer, entry by entry, to a byte callback. GNU format
// (libarchive's gnutar writer: `L` records for names over 100 bytes, never a pax global header),
// only directories and regular files, uid/gid 0, empty user/group names, mode 0755 for
// directories and owner-executable files and 0644 otherwise, and fixed mtimes: files get the
// caller's mtime, directories 1153704088 as rust-installer writes them. Nothing of the machine or
// the input files' metadata reaches the archive, so the bytes are reproducible.
//
// Order (rust-installer's tarballer): every directory first, sorted, so a parent always precedes
// its children; then files sorted by their reversed path bytes, which groups files of the same
// kind (*.rlib, *.so, *.html) and helps the compressors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "builder/pack/tar_handles.hpp"

namespace distbuild::builder {

struct TarEntry {
  enum class Kind { Directory, File };
  Kind kind = Kind::File;
  std::string path;                    // inside the archive, '/'-separated, no trailing '/'
  bool executable = false;             // files only
  std::uint64_t size = 0;              // files only
  std::filesystem::path source;        // file read from disk, when `content` is empty
  std::optional<std::string> content;  // generated file
};

inline constexpr std::int64_t k_directory_mtime = 1153704088;

void sort_entries_upstream(std::vector<TarEntry>& entries);

// Exact byte count TarWriter produces for these entries (headers, long-name records, padding,
// the two zero end blocks), so encoders can be configured before the first byte exists.
std::uint64_t predicted_tar_size(const std::vector<TarEntry>& entries);

class TarWriter {
public:
  // The sink may throw; the exception is carried across libarchive and rethrown by add()/close().
  using Sink = std::function<void(const char* data, std::size_t size)>;

  TarWriter(Sink sink, std::int64_t file_mtime);
  // An unclosed writer is being abandoned (an error): libarchive's implicit close in
  // archive_write_free must not reach the sink any more.
  ~TarWriter() { m_discard = true; }
  TarWriter(const TarWriter&) = delete;
  TarWriter& operator=(const TarWriter&) = delete;
  void add(const TarEntry& entry);
  void close();
  std::uint64_t bytes_written() const { return m_bytes; }

private:
  static la_ssize_t write_callback(archive* a, void* self, const void* data, std::size_t size);
  [[noreturn]] void fail(const std::string& subject, const std::string& call);
  void add_file_data(const TarEntry& entry);

  Sink m_sink;
  std::int64_t m_file_mtime;
  ArchiveWriter m_archive;
  std::exception_ptr m_sink_error;
  std::uint64_t m_bytes = 0;
  bool m_closed = false;
  bool m_discard = false;
};

} // namespace distbuild::builder
