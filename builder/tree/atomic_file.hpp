// Outputs appear under their final names only when complete: each is written to a hidden temp
// name in the same directory and renamed into place by commit(). The destructor of an
// uncommitted file removes the temp file, so a failed or interrupted run leaves nothing partial.
// A final path that is a directory, device, fifo or socket is refused before anything is written
// (output_path.hpp has the rules, symlinks included).
#pragma once

#include "builder/tree/fd.hpp"

#include <cstddef>
#include <filesystem>
#include <string_view>

namespace distbuild::builder {

class AtomicFile {
public:
  explicit AtomicFile(std::filesystem::path final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  void write(const void* data, std::size_t size);
  void write(std::string_view bytes) { write(bytes.data(), bytes.size()); }
  // fsyncs, closes and renames; throws builder::Error naming the final path on any failure.
  void commit();

  const std::filesystem::path& final_path() const { return m_final; }
  const std::filesystem::path& temp_path() const { return m_temp; }

private:
  std::filesystem::path m_final;
  std::filesystem::path m_temp;
  Fd m_fd;
  bool m_committed = false;
};

// Whole-file helper for small outputs (.sha256, manifests, scripts).
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// Reads a whole file; throws builder::Error naming it.
std::string read_file(const std::filesystem::path& path);

} // namespace distbuild::builder
