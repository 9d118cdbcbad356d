// write_metadata_bomb(): see metadata_bomb.hpp.
#include "tests/testutil/metadata_bomb.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <stdexcept>
#include <vector>

namespace distbuild::testutil {

namespace {

void add(archive* a, const std::string& name, std::uint64_t size, const std::string& pattern) {
  archive_entry* entry = archive_entry_new();
  archive_entry_set_pathname(entry, name.c_str());
  archive_entry_set_filetype(entry, AE_IFREG);
  archive_entry_set_perm(entry, 0644);
  archive_entry_set_size(entry, static_cast<la_int64_t>(size));
  if (archive_write_header(a, entry) != ARCHIVE_OK) {
    archive_entry_free(entry);
    throw std::runtime_error(std::string("archive_write_header: ") + archive_error_string(a));
  }
  archive_entry_free(entry);
  std::string chunk;
  while (chunk.size() < (1u << 20)) {
    chunk += pattern;
  }
  for (std::uint64_t done = 0; done < size;) {
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(chunk.size(), size - done));
    if (archive_write_data(a, chunk.data(), n) != static_cast<la_ssize_t>(n)) {
      throw std::runtime_error(std::string("archive_write_data: ") + archive_error_string(a));
    }
    done += n;
  }
}

} // namespace

void write_metadata_bomb(const std::filesystem::path& tarball, const std::string& top,
                         int components, std::uint64_t manifest_bytes) {
  archive* a = archive_write_new();
  archive_write_set_format_gnutar(a);
  archive_write_add_filter_zstd(a);
  if (archive_write_open_filename(a, tarball.c_str()) != ARCHIVE_OK) {
    std::string error = archive_error_string(a);
    archive_write_free(a);
    throw std::runtime_error("cannot write " + tarball.string() + ": " + error);
  }
  std::string list;
  for (int i = 0; i < components; ++i) {
    list += "comp" + std::to_string(i) + "\n";
  }
  add(a, top + "/rust-installer-version", 2, "3\n");
  add(a, top + "/components", list.size(), list);
  for (int i = 0; i < components; ++i) {
    add(a, top + "/comp" + std::to_string(i) + "/manifest.in", manifest_bytes, "file:bin/x\n");
  }
  archive_write_close(a);
  archive_write_free(a);
}

} // namespace distbuild::testutil
