// One pass from entries to finished tarballs: the tar stream is produced once and fanned out
// through bounded queues to one encoder thread per format (gz, xz, zst run in parallel), each
// hashing its output while writing it to a temp file. Only when every encoder has finished are
// the files renamed into place; on any error every temp file is removed and no output appears.
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/tar_writer.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct PackedFile {
  Format format = Format::Gz;
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::string sha256;
};

struct TarballSet {
  std::vector<PackedFile> files;   // in the order of the requested formats
  std::uint64_t tar_bytes = 0;     // size of the uncompressed tar
};

// Writes `<output_stem>.tar.<ext>` for each format. `entries` must already be in archive order.
// threads = 0 means all cores. on_progress, when set, is called from this thread with how many
// tar bytes every encoder has compressed (the slowest one's count), after each chunk and every
// 100 ms while the encoders finish (progress.hpp). Throws builder::Error.
TarballSet write_tarballs(const std::vector<TarEntry>& entries,
                          const std::filesystem::path& output_stem,
                          const std::vector<Format>& formats, Profile profile,
                          std::int64_t file_mtime, unsigned threads,
                          const std::function<void(std::uint64_t)>& on_progress = {});

} // namespace distbuild::builder
