// Helpers shared by the pack/tarball tests: building small images on disk and listing tarballs
// with libarchive (an implementation independent of our own reader).
#pragma once

#include "tests/testutil/testutil.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>

namespace distbuild::testutil {

// "rel path" -> content; names ending in "*" are made executable (the '*' is dropped).
inline void make_image(const fs::path& root, const std::map<std::string, std::string>& files) {
  fs::create_directories(root);
  for (const auto& [name, content] : files) {
    bool exec = !name.empty() && name.back() == '*';
    std::string rel = exec ? name.substr(0, name.size() - 1) : name;
    write_file(root / rel, content, exec);
  }
}

// One line per entry: "<type> <mode> <uid>/<gid> <uname>/<gname> <size> <mtime> <path>".
inline std::string list_tarball(const fs::path& tarball) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  std::ostringstream out;
  if (archive_read_open_filename(a, tarball.c_str(), 65536) != ARCHIVE_OK) {
    out << "cannot open: " << archive_error_string(a) << "\n";
    archive_read_free(a);
    return out.str();
  }
  archive_entry* e = nullptr;
  while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
    char mode[16];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(archive_entry_perm(e)));
    const char* type = archive_entry_filetype(e) == AE_IFDIR   ? "d"
                       : archive_entry_filetype(e) == AE_IFREG ? "f"
                                                               : "?";
    const char* uname = archive_entry_uname(e);
    const char* gname = archive_entry_gname(e);
    out << type << " " << mode << " " << archive_entry_uid(e) << "/" << archive_entry_gid(e) << " "
        << (uname ? uname : "") << "/" << (gname ? gname : "") << " " << archive_entry_size(e)
        << " " << archive_entry_mtime(e) << " " << archive_entry_pathname(e) << "\n";
  }
  archive_read_free(a);
  return out.str();
}

// Content of one member of a tarball, or "<missing>".
inline std::string tarball_member(const fs::path& tarball, const std::string& name) {
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  std::string result = "<missing>";
  if (archive_read_open_filename(a, tarball.c_str(), 65536) == ARCHIVE_OK) {
    archive_entry* e = nullptr;
    while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
      if (name == archive_entry_pathname(e)) {
        result.assign(static_cast<std::size_t>(archive_entry_size(e)), '\0');
        archive_read_data(a, result.data(), result.size());
        break;
      }
    }
  }
  archive_read_free(a);
  return result;
}

inline fs::path example_image() { return source_dir() / "examples/components/demo-tool/image"; }
inline fs::path example_overlay() { return source_dir() / "examples/components/demo-tool/overlay"; }

// Files in a directory (names only, sorted), to prove nothing partial was left behind.
inline std::string dir_listing(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  std::string out;
  for (const auto& n : names) out += n + "\n";
  return out;
}

} // namespace distbuild::testutil
