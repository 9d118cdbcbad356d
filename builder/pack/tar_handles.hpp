// RAII holders for libarchive handles. Destructors only free; archive_write_close() and
// archive_read_close() are called by name where their result matters.
#pragma once

#include <archive.h>
#include <archive_entry.h>

#include <memory>

namespace distbuild::builder {

struct ArchiveWriteFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct ArchiveReadFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
struct ArchiveEntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};

using ArchiveWriter = std::unique_ptr<archive, ArchiveWriteFree>;
using ArchiveReader = std::unique_ptr<archive, ArchiveReadFree>;
using ArchiveEntry = std::unique_ptr<archive_entry, ArchiveEntryFree>;

} // namespace distbuild::builder
