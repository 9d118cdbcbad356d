// The three encoders behind installer tarballs (gzip, xz, zstd), each streaming into an
// OutputSink that hashes and counts the bytes while they go to an AtomicFile. Encoders are
// deterministic by construction: gzip headers carry mtime 0, no name and a fixed OS byte; xz uses
// the multi-threaded encoder with an explicit block size; zstd always runs with >= 1 worker. In
// each case the bytes do not depend on the thread count (see compress_profile.hpp).
#pragma once

#include "builder/tree/atomic_file.hpp"
#include "builder/pack/compress_profile.hpp"
#include "signing/sha256.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

namespace distbuild::builder {

// Where compressed bytes go: an AtomicFile plus a running SHA-256 and byte count.
class OutputSink {
public:
  explicit OutputSink(const std::filesystem::path& final_path) : m_file(final_path) {}
  void write(const void* data, std::size_t size);
  // Ends the hash; the file stays under its temp name until commit().
  void finish();
  void commit() { m_file.commit(); }

  const std::filesystem::path& path() const { return m_file.final_path(); }
  std::uint64_t size() const { return m_size; }
  const std::string& sha256() const { return m_sha256; }

private:
  AtomicFile m_file;
  signing::Sha256 m_hash;
  std::uint64_t m_size = 0;
  std::string m_sha256;
};

class Encoder {
public:
  virtual ~Encoder() = default;
  virtual void write(const void* data, std::size_t size) = 0;
  // Flushes the end of the stream into the sink.
  virtual void finish() = 0;
  // Input bytes compressed so far, not merely buffered (xz and zstd take megabytes ahead of
  // their workers): what progress lines count. Any thread may read it.
  std::uint64_t consumed() const { return m_consumed.load(std::memory_order_relaxed); }

protected:
  void set_consumed(std::uint64_t bytes) { m_consumed.store(bytes, std::memory_order_relaxed); }

private:
  std::atomic<std::uint64_t> m_consumed{0};
};

// threads: worker threads for xz/zstd (>= 1). tar_size: exact input size (zstd records it in the
// frame header). Throws builder::Error naming the sink's path.
std::unique_ptr<Encoder> make_encoder(Format format, const CompressionSettings& settings,
                                      unsigned threads, std::uint64_t tar_size, OutputSink& sink);

// "zlib 1.2.13\nliblzma 5.4.1\nlibzstd 1.5.4\n": the encoders' libraries and versions, one line
// per format. Part of the pack cache's key: another library version may write other bytes.
std::string encoder_libraries();

} // namespace distbuild::builder
