// Reads a compressed installer as a plain byte stream, choosing gzip, xz or zstd by the file's
// magic bytes (as rustup chooses by manifest field, never by extension). Decoding stops at the
// end of the first gzip member / xz stream / zstd frame, exactly where rustup's decoders stop;
// trailing_bytes() then tells whether anything followed, which rustup would silently drop (gz)
// or reject (xz).
#pragma once

#include "builder/pack/compress_profile.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>

namespace distbuild::builder {

class Decompressor {
public:
  // Throws builder::Error naming the file (unreadable, unknown format).
  explicit Decompressor(const std::filesystem::path& path);
  ~Decompressor();
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  Format format() const;
  // Up to `size` decompressed bytes; 0 at the end of the first stream. Throws on corrupt input.
  std::size_t read(void* buffer, std::size_t size);
  // Reads to the end of the first stream, then counts the compressed bytes after it.
  std::uint64_t trailing_bytes();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace distbuild::builder
