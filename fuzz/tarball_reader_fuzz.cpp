// libFuzzer target: an installer tarball from outside, through everything that reads one:
// check_installer_structure() (our own tar walker), read_installer() and extract_installer()
// (libarchive). The input is the tar; its first byte says how it is packed (zstd, gzip, or raw
// bytes, so the decompressors see garbage too). A refusal must be a builder::Error; extraction
// must leave nothing beside its destination (safe_path.hpp). The readers take a path, so the
// bytes go to a memfd named through /proc/self/fd.
#include "builder/inspect/installer_reader.hpp"
#include "builder/tree/error.hpp"

#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <csignal>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<char> zstd_packed(const std::uint8_t* data, std::size_t size) {
  static ZSTD_CCtx* context = ZSTD_createCCtx();  // one for the whole run: cheaper per input
  std::vector<char> out(ZSTD_compressBound(size));
  std::size_t n = ZSTD_compressCCtx(context, out.data(), out.size(), data, size, 1);
  out.resize(ZSTD_isError(n) ? 0 : n);
  return out;
}

std::vector<char> gzip_packed(const std::uint8_t* data, std::size_t size) {
  z_stream z{};
  std::vector<char> out(compressBound(static_cast<uLong>(size)) + 64);
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    return {};
  }
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(rc == Z_STREAM_END ? z.total_out : 0);
  deflateEnd(&z);
  return out;
}

struct Scratch {
  int fd = -1;
  fs::path file, dir, out, sentinel;
  Scratch() {
    fd = ::memfd_create("distbuild-fuzz-tarball", 0);
    file = "/proc/self/fd/" + std::to_string(fd);
    std::string pattern = (fs::temp_directory_path() / "distbuild-fuzz-XXXXXX").string();
    dir = ::mkdtemp(pattern.data());
    // A tiny compressed input can claim gigabytes: files stop at 64 MiB (EFBIG, an ordinary
    // extraction error) instead of filling the disk or timing out.
    ::signal(SIGXFSZ, SIG_IGN);
    struct rlimit limit {64 << 20, 64 << 20};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    out = dir / "out";
    sentinel = dir / "beside";
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace distbuild::builder;
  static Scratch scratch;
  if (size == 0 || scratch.fd < 0) {
    return 0;
  }
  std::vector<char> bytes;
  switch (data[0] % 3) {
    case 0: bytes = zstd_packed(data + 1, size - 1); break;
    case 1: bytes = gzip_packed(data + 1, size - 1); break;
    default: bytes.assign(data + 1, data + size); break;
  }
  if (::ftruncate(scratch.fd, 0) != 0 ||
      ::pwrite(scratch.fd, bytes.data(), bytes.size(), 0) != static_cast<ssize_t>(bytes.size())) {
    return 0;
  }
  (void)check_installer_structure(scratch.file);  // never throws: problems are its answer
  try {
    (void)read_installer(scratch.file);
  } catch (const Error&) {
  }
  std::error_code ec;
  fs::create_directories(scratch.sentinel, ec);
  try {
    extract_installer(scratch.file, scratch.out);
  } catch (const Error&) {
  }
  // Nothing may land beside the destination: only out/ (if made) and the empty sentinel dir.
  for (const auto& entry : fs::directory_iterator(scratch.dir, ec)) {
    if (entry.path() != scratch.out && entry.path() != scratch.sentinel) {
      std::abort();
    }
  }
  if (!fs::is_empty(scratch.sentinel, ec)) {
    std::abort();
  }
  fs::remove_all(scratch.out, ec);
  return 0;
}
