// gzip (zlib), xz (liblzma MT encoder) and zstd encoders writing into an OutputSink. Each C
// handle lives in a small RAII holder whose destructor only frees; errors are reported by the
// calls that can fail, naming the output file.
#include "builder/pack/compressor.hpp"

#include "builder/tree/error.hpp"

#include <lzma.h>
#include <zlib.h>
// For ZSTD_getFrameProgression (exported by libzstd.so; Encoder::consumed()).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace distbuild::builder {

void OutputSink::write(const void* data, std::size_t size) {
  m_file.write(data, size);
  m_hash.update(data, size);
  m_size += size;
}

void OutputSink::finish() {
  m_sha256 = m_hash.finish_hex();
}

namespace {

constexpr std::size_t k_out_buffer = 1 << 20;
// "unknown" OS, as flate2 (rust-installer) writes it: the header says nothing about the machine.
constexpr int k_gzip_os_unknown = 255;

// ---- gzip ------------------------------------------------------------------------------------

class ZStream {
public:
  ZStream() { std::memset(&m_stream, 0, sizeof m_stream); }
  ~ZStream() {
    if (m_initialized) {
      deflateEnd(&m_stream);
    }
  }
  ZStream(const ZStream&) = delete;
  ZStream& operator=(const ZStream&) = delete;
  z_stream* get() { return &m_stream; }
  void set_initialized() { m_initialized = true; }

private:
  z_stream m_stream;
  bool m_initialized = false;
};

class GzEncoder final : public Encoder {
public:
  GzEncoder(int level, OutputSink& sink) : m_sink(sink), m_out(k_out_buffer) {
    // windowBits 15 + 16 = gzip wrapper; memLevel 8 and the default strategy like gzip(1).
    if (deflateInit2(m_z.get(), level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
      throw Error(m_sink.path(), "cannot initialise the gzip encoder");
    }
    m_z.set_initialized();
    // At level 6 a longer match chain (192 instead of 128) makes zlib's output smaller than GNU
    // gzip -6's on Rust's tarballs (-0.05 % on rust-std) for about gzip's own CPU time; plain
    // zlib -6 is 0.08 % larger (README "Performance"). Levels 1 and 9 are zlib's as they are.
    if (level == 6 && deflateTune(m_z.get(), 8, 16, 128, 192) != Z_OK) {
      throw Error(m_sink.path(), "cannot tune the gzip encoder");
    }
    std::memset(&m_header, 0, sizeof m_header);
    m_header.time = 0;
    m_header.os = k_gzip_os_unknown;
    if (deflateSetHeader(m_z.get(), &m_header) != Z_OK) {
      throw Error(m_sink.path(), "cannot set the gzip header");
    }
  }

  void write(const void* data, std::size_t size) override {
    z_stream* z = m_z.get();
    z->next_in = static_cast<Bytef*>(const_cast<void*>(data));
    z->avail_in = static_cast<uInt>(size);
    while (z->avail_in > 0) {
      run(Z_NO_FLUSH);
    }
  }

  void finish() override {
    m_z.get()->next_in = nullptr;
    m_z.get()->avail_in = 0;
    while (run(Z_FINISH) != Z_STREAM_END) {
    }
  }

private:
  int run(int flush) {
    z_stream* z = m_z.get();
    z->next_out = m_out.data();
    z->avail_out = static_cast<uInt>(m_out.size());
    int rc = deflate(z, flush);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) {
      throw Error(m_sink.path(), "gzip encoder failed");
    }
    m_sink.write(m_out.data(), m_out.size() - z->avail_out);
    set_consumed(z->total_in);
    return rc;
  }

  OutputSink& m_sink;
  ZStream m_z;
  gz_header m_header;
  std::vector<Bytef> m_out;
};

// ---- xz --------------------------------------------------------------------------------------

class LzmaStream {
public:
  LzmaStream() : m_stream(LZMA_STREAM_INIT) {}
  ~LzmaStream() { lzma_end(&m_stream); }
  LzmaStream(const LzmaStream&) = delete;
  LzmaStream& operator=(const LzmaStream&) = delete;
  lzma_stream* get() { return &m_stream; }

private:
  lzma_stream m_stream;
};

class XzEncoder final : public Encoder {
public:
  XzEncoder(const CompressionSettings& settings, unsigned threads, OutputSink& sink)
      : m_sink(sink), m_out(k_out_buffer) {
    auto lzma = xz_lzma_options(settings);
    if (!lzma) {
      throw Error(m_sink.path(), "unsupported xz preset " + std::to_string(settings.xz_preset));
    }
    m_lzma = *lzma;
    m_filters[0] = {LZMA_FILTER_LZMA2, &m_lzma};
    m_filters[1] = {LZMA_VLI_UNKNOWN, nullptr};

    const lzma_check check = settings.xz_check_none ? LZMA_CHECK_NONE : LZMA_CHECK_CRC64;
    lzma_ret rc = LZMA_OK;
    if (settings.xz_block_size == 0) {
      // One block on one thread (best): no block buffers, nothing lost at block cuts.
      rc = lzma_stream_encoder(m_stream.get(), m_filters.data(), check);
    } else {
      lzma_mt mt{};
      mt.threads = threads;
      // Fixed block size: the block boundaries, hence the bytes, do not depend on `threads`.
      mt.block_size = settings.xz_block_size;
      // lzma_code() returns at least every 100 ms even while the threads work, so consumed()
      // (the progress line) moves; when it returns never changes the bytes.
      mt.timeout = 100;
      mt.filters = m_filters.data();
      mt.check = check;
      rc = lzma_stream_encoder_mt(m_stream.get(), &mt);
    }
    if (rc != LZMA_OK) {
      throw Error(m_sink.path(), "cannot initialise the xz encoder (liblzma error " +
                                     std::to_string(static_cast<int>(rc)) + ")");
    }
  }

  void write(const void* data, std::size_t size) override {
    lzma_stream* s = m_stream.get();
    s->next_in = static_cast<const std::uint8_t*>(data);
    s->avail_in = size;
    while (s->avail_in > 0) {
      run(LZMA_RUN);
    }
  }

  void finish() override {
    m_stream.get()->next_in = nullptr;
    m_stream.get()->avail_in = 0;
    while (run(LZMA_FINISH) != LZMA_STREAM_END) {
    }
  }

private:
  lzma_ret run(lzma_action action) {
    lzma_stream* s = m_stream.get();
    s->next_out = m_out.data();
    s->avail_out = m_out.size();
    lzma_ret rc = lzma_code(s, action);
    if (rc != LZMA_OK && rc != LZMA_STREAM_END) {
      throw Error(m_sink.path(), "xz encoder failed (liblzma error " +
                                     std::to_string(static_cast<int>(rc)) + ")");
    }
    m_sink.write(m_out.data(), m_out.size() - s->avail_out);
    std::uint64_t in = 0;
    std::uint64_t out = 0;
    lzma_get_progress(s, &in, &out);  // what the worker threads have compressed
    set_consumed(in);
    return rc;
  }

  OutputSink& m_sink;
  lzma_options_lzma m_lzma{};
  std::array<lzma_filter, 2> m_filters{};
  LzmaStream m_stream;
  std::vector<std::uint8_t> m_out;
};

// ---- zstd ------------------------------------------------------------------------------------

struct ZstdCCtxFree {
  void operator()(ZSTD_CCtx* cctx) const { ZSTD_freeCCtx(cctx); }
};

class ZstEncoder final : public Encoder {
public:
  ZstEncoder(int level, unsigned threads, std::uint64_t tar_size, OutputSink& sink)
      : m_sink(sink), m_cctx(ZSTD_createCCtx()), m_out(ZSTD_CStreamOutSize()) {
    if (!m_cctx) {
      throw Error(m_sink.path(), "cannot create the zstd encoder");
    }
    check(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_compressionLevel, level));
    check(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_checksumFlag, 1));
    // nbWorkers >= 1 always: only then are the bytes independent of the worker count.
    check(ZSTD_CCtx_setParameter(m_cctx.get(), ZSTD_c_nbWorkers,
                                 static_cast<int>(threads < 1 ? 1 : threads)));
    check(ZSTD_CCtx_setPledgedSrcSize(m_cctx.get(), tar_size));
  }

  void write(const void* data, std::size_t size) override {
    ZSTD_inBuffer in{data, size, 0};
    while (in.pos < in.size) {
      run(in, ZSTD_e_continue);
    }
  }

  void finish() override {
    ZSTD_inBuffer in{nullptr, 0, 0};
    while (run(in, ZSTD_e_end) != 0) {
    }
  }

private:
  std::size_t check(std::size_t rc) {
    if (ZSTD_isError(rc)) {
      throw Error(m_sink.path(), std::string("zstd encoder failed: ") + ZSTD_getErrorName(rc));
    }
    return rc;
  }

  std::size_t run(ZSTD_inBuffer& in, ZSTD_EndDirective directive) {
    ZSTD_outBuffer out{m_out.data(), m_out.size(), 0};
    std::size_t remaining = check(ZSTD_compressStream2(m_cctx.get(), &out, &in, directive));
    m_sink.write(m_out.data(), out.pos);
    set_consumed(ZSTD_getFrameProgression(m_cctx.get()).consumed);
    return remaining;
  }

  OutputSink& m_sink;
  std::unique_ptr<ZSTD_CCtx, ZstdCCtxFree> m_cctx;
  std::vector<char> m_out;
};

} // namespace

std::unique_ptr<Encoder> make_encoder(Format format, const CompressionSettings& settings,
                                      unsigned threads, std::uint64_t tar_size, OutputSink& sink) {
  switch (format) {
  case Format::Gz:
    return std::make_unique<GzEncoder>(settings.level(format), sink);
  case Format::Xz:
    return std::make_unique<XzEncoder>(
        settings, settings.xz_max_threads ? std::min(threads, settings.xz_max_threads) : threads,
        sink);
  case Format::Zst:
    return std::make_unique<ZstEncoder>(
        settings.level(format),
        settings.zstd_max_workers ? std::min(threads, settings.zstd_max_workers) : threads,
        tar_size, sink);
  }
  throw Error(sink.path(), "unknown compression format");
}

std::string encoder_libraries() {
  std::string text;
  for (const auto& info : manifest::artifact_formats()) {
    switch (info.format) {
    case Format::Gz:
      text += std::string("zlib ") + zlibVersion() + "\n";
      break;
    case Format::Xz:
      text += std::string("liblzma ") + lzma_version_string() + "\n";
      break;
    case Format::Zst:
      text += std::string("libzstd ") + ZSTD_versionString() + "\n";
      break;
    }
  }
  return text;
}

} // namespace distbuild::builder
