// gzip/xz/zstd decoding of one stream for the installer reader; see installer_decompress.hpp.
#include "builder/inspect/installer_decompress.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstring>
#include <fstream>
#include <vector>

namespace distbuild::builder {

namespace {

constexpr std::size_t k_in_buffer = 1 << 20;

struct ZstdDCtxFree {
  void operator()(ZSTD_DCtx* dctx) const { ZSTD_freeDCtx(dctx); }
};

} // namespace

struct Decompressor::Impl {
  std::filesystem::path path;
  std::ifstream file;
  Format format = Format::Gz;
  std::vector<std::uint8_t> in;
  std::size_t in_pos = 0;
  std::size_t in_len = 0;
  bool file_eof = false;
  bool stream_end = false;

  z_stream z{};
  bool z_ready = false;
  lzma_stream lz = LZMA_STREAM_INIT;
  bool lz_ready = false;
  std::unique_ptr<ZSTD_DCtx, ZstdDCtxFree> zstd;

  ~Impl() {
    if (z_ready) {
      inflateEnd(&z);
    }
    if (lz_ready) {
      lzma_end(&lz);
    }
  }

  bool fill() {
    if (in_pos < in_len) {
      return true;
    }
    if (file_eof) {
      return false;
    }
    file.read(reinterpret_cast<char*>(in.data()), static_cast<std::streamsize>(in.size()));
    if (file.bad()) {
      throw Error(path, errno_text("read"));
    }
    in_len = static_cast<std::size_t>(file.gcount());
    in_pos = 0;
    if (in_len == 0) {
      file_eof = true;
      return false;
    }
    return true;
  }

  [[noreturn]] void truncated() {
    throw Error(path, std::string("truncated ") + std::string(format_name(format)) + " data");
  }

  std::size_t read_gz(std::uint8_t* out, std::size_t size) {
    z.next_out = out;
    z.avail_out = static_cast<uInt>(size);
    while (z.avail_out == size && !stream_end) {
      // The decoder may still hold output for input it already took: call it even at EOF.
      bool more = fill();
      z.next_in = in.data() + in_pos;
      z.avail_in = static_cast<uInt>(in_len - in_pos);
      int rc = inflate(&z, Z_NO_FLUSH);
      in_pos = in_len - z.avail_in;
      if (rc == Z_STREAM_END) {
        stream_end = true;
      } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
        throw Error(path, std::string("corrupt gzip data: ") + (z.msg ? z.msg : "inflate failed"));
      } else if (!more && z.avail_out == size) {
        truncated();
      }
    }
    return size - z.avail_out;
  }

  std::size_t read_xz(std::uint8_t* out, std::size_t size) {
    lz.next_out = out;
    lz.avail_out = size;
    while (lz.avail_out == size && !stream_end) {
      bool more = fill();
      lz.next_in = in.data() + in_pos;
      lz.avail_in = in_len - in_pos;
      lzma_ret rc = lzma_code(&lz, more ? LZMA_RUN : LZMA_FINISH);
      in_pos = in_len - lz.avail_in;
      if (rc == LZMA_STREAM_END) {
        stream_end = true;
      } else if (rc == LZMA_MEMLIMIT_ERROR) {
        throw Error(path, "xz data whose decoder needs more than " +
                              limit_text(k_max_xz_decoder_memory) +
                              " (its dictionary), distbuild's limit");
      } else if (rc != LZMA_OK) {
        if (!more) {
          truncated();
        }
        throw Error(path, "corrupt xz data (liblzma error " + std::to_string(static_cast<int>(rc)) +
                              ")");
      }
    }
    return size - lz.avail_out;
  }

  std::size_t read_zst(std::uint8_t* out, std::size_t size) {
    ZSTD_outBuffer output{out, size, 0};
    while (output.pos == 0 && !stream_end) {
      bool more = fill();
      ZSTD_inBuffer input{in.data(), in_len, in_pos};
      std::size_t rc = ZSTD_decompressStream(zstd.get(), &output, &input);
      in_pos = input.pos;
      if (ZSTD_isError(rc)) {
        throw Error(path, std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
      }
      if (rc == 0) {
        stream_end = true;
      } else if (!more && output.pos == 0) {
        truncated();
      }
    }
    return output.pos;
  }
};

Decompressor::Decompressor(const std::filesystem::path& path) : m_impl(std::make_unique<Impl>()) {
  Impl& d = *m_impl;
  d.path = path;
  d.in.resize(k_in_buffer);
  d.file.open(path, std::ios::binary);
  if (!d.file) {
    throw Error(path, errno_text("cannot open"));
  }
  d.fill();
  const std::uint8_t* magic = d.in.data();
  std::size_t n = d.in_len;
  std::optional<Format> detected;
  for (const auto& info : manifest::artifact_formats()) {
    if (n >= info.magic.size() && std::memcmp(magic, info.magic.data(), info.magic.size()) == 0) {
      detected = info.format;
    }
  }
  if (!detected) {
    throw Error(path, "not a gzip, xz or zstd file");
  }
  d.format = *detected;
  switch (d.format) {
  case Format::Gz:
    if (inflateInit2(&d.z, 15 + 16) != Z_OK) {
      throw Error(path, "cannot initialise the gzip decoder");
    }
    d.z_ready = true;
    break;
  case Format::Xz:
    // No LZMA_CONCATENATED: stop after the first stream, like rustup's XzDecoder. A memory
    // limit, unlike rustup's: a header may claim a 1.5 GiB dictionary, which a bomb then fills.
    if (lzma_stream_decoder(&d.lz, k_max_xz_decoder_memory, 0) != LZMA_OK) {
      throw Error(path, "cannot initialise the xz decoder");
    }
    d.lz_ready = true;
    break;
  case Format::Zst:
    d.zstd.reset(ZSTD_createDCtx());
    if (!d.zstd) {
      throw Error(path, "cannot initialise the zstd decoder");
    }
    break;
  }
}

Decompressor::~Decompressor() = default;

Format Decompressor::format() const {
  return m_impl->format;
}

std::size_t Decompressor::read(void* buffer, std::size_t size) {
  if (size == 0 || m_impl->stream_end) {
    return 0;
  }
  auto* out = static_cast<std::uint8_t*>(buffer);
  switch (m_impl->format) {
  case Format::Gz:
    return m_impl->read_gz(out, size);
  case Format::Xz:
    return m_impl->read_xz(out, size);
  case Format::Zst:
    return m_impl->read_zst(out, size);
  }
  return 0;
}

std::uint64_t Decompressor::trailing_bytes() {
  std::vector<char> sink(1 << 16);
  while (read(sink.data(), sink.size()) > 0) {
  }
  Impl& d = *m_impl;
  std::uint64_t trailing = d.in_len - d.in_pos;
  d.in_pos = d.in_len;
  while (d.fill()) {
    trailing += d.in_len - d.in_pos;
    d.in_pos = d.in_len;
  }
  return trailing;
}

} // namespace distbuild::builder
