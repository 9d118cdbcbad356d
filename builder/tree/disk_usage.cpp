// Summing file sizes below a directory (disk_usage.hpp).
#include "builder/tree/disk_usage.hpp"

#include <system_error>

namespace distbuild::builder {

namespace fs = std::filesystem;

std::uint64_t bytes_under(const fs::path& dir) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code size_ec;
    if (it->is_regular_file(size_ec)) {
      std::uintmax_t size = it->file_size(size_ec);
      total += size_ec ? 0 : size;
    }
  }
  return total;
}

} // namespace distbuild::builder
