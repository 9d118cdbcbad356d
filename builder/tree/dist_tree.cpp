#include "builder/tree/dist_tree.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/output_path.hpp"
#include "signing/sha256.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <regex>
#include <unistd.h>

namespace distbuild::builder {

namespace fs = std::filesystem;

std::string sha256_line(const std::string& hex, const std::string& name) {
  return hex + "  " + name + "\n";
}

void write_sha256_sidecar(const fs::path& file, const std::string& hex) {
  write_file_atomically(file.string() + ".sha256", sha256_line(hex, file.filename().string()));
}

std::string write_with_sha256(const fs::path& dir, const std::string& name,
                              const std::string& bytes) {
  std::string hex = signing::sha256_hex(bytes);
  // Two renames cannot be one atomic step; in the window between them rustup sees a mismatch
  // and says "checksum failed" (it never installs mismatched bytes). The README tells mirror
  // operators how to make the swap atomic (a symlink to a whole new tree).
  write_sha256_sidecar(dir / name, hex);
  write_file_atomically(dir / name, bytes);
  return hex;
}

bool is_sidecar(const fs::path& path) {
  auto ext = path.extension();
  return ext == ".sha256" || ext == ".asc";
}

void write_sha256sums(const fs::path& dir) {
  std::vector<std::string> lines;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const auto& path = entry.path();
    std::string name = path.filename().string();
    if (!entry.is_regular_file() || is_sidecar(path) || name == "SHA256SUMS" ||
        name.starts_with(".")) {
      continue;
    }
    fs::path sidecar = path.string() + ".sha256";
    std::string line = fs::exists(sidecar) ? read_file(sidecar)
                                           : sha256_line(signing::sha256_file_hex(path), name);
    lines.push_back(line);
  }
  // Sorted by name, so the file is the same whatever order the directory lists in.
  std::sort(lines.begin(), lines.end(), [](const std::string& a, const std::string& b) {
    return a.substr(66) < b.substr(66);
  });
  std::string text;
  for (const auto& line : lines) {
    text += line;
  }
  write_with_sha256(dir, "SHA256SUMS", text);
}

void link_or_copy_atomically(const fs::path& src, const fs::path& dst) {
  check_replaceable(dst);
  fs::path temp = dst.parent_path() / ("." + dst.filename().string() + ".link-" +
                                       std::to_string(::getpid()));
  std::error_code ec;
  fs::remove(temp, ec);
  fs::create_hard_link(src, temp, ec);
  if (ec) {
    fs::copy_file(src, temp, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      throw Error(dst, "cannot copy from " + src.string() + ": " + ec.message());
    }
  }
  try {
    rename_into_place(temp, dst);
  } catch (...) {
    fs::remove(temp, ec);
    throw;
  }
}

std::string today_utc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &utc);
  return buffer;
}

} // namespace distbuild::builder
