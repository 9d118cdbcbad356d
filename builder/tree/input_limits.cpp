// read_file_limited(): a bounded whole-file read (input_limits.hpp).
#include "builder/tree/input_limits.hpp"

#include "builder/tree/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace distbuild::builder {

std::string limit_text(std::uint64_t bytes) {
  if (bytes >= k_mib && bytes % k_mib == 0) {
    return std::to_string(bytes / k_mib) + " MiB";
  }
  if (bytes >= k_kib && bytes % k_kib == 0) {
    return std::to_string(bytes / k_kib) + " KiB";
  }
  return std::to_string(bytes) + " bytes";
}

std::string read_file_limited(const std::filesystem::path& path, std::uint64_t limit,
                              std::string_view what) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(path, errno_text("cannot open"));
  }
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    throw Error(path, errno_text("cannot inspect"));
  }
  if (!S_ISREG(info.st_mode)) {
    throw Error(path, "is not a regular file");
  }
  auto too_large = [&] {
    return Error(path, "is larger than " + limit_text(limit) + ", the limit for " +
                           std::string(what) + "; refusing to read it");
  };
  if (static_cast<std::uint64_t>(info.st_size) > limit) {
    throw too_large();
  }
  std::string bytes;
  bytes.resize(static_cast<std::size_t>(info.st_size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == bytes.size()) {
      if (used > limit) {
        throw too_large();
      }
      bytes.resize(std::min<std::uint64_t>(limit + 1, used * 2 + 4096));
    }
    ssize_t got = ::read(fd, bytes.data() + used, bytes.size() - used);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(path, errno_text("read failed"));
    }
    if (got == 0) {
      break;
    }
    used += static_cast<std::size_t>(got);
  }
  if (used > limit) {
    throw too_large();
  }
  bytes.resize(used);
  return bytes;
}

} // namespace distbuild::builder
