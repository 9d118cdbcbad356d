// check_replaceable() and rename_into_place(): the rules of output_path.hpp.
#include "builder/tree/output_path.hpp"

#include "builder/tree/error.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <string>

namespace distbuild::builder {

namespace {

// Empty for what may be replaced (a regular file), else what it is.
std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) {
    return "";
  }
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISCHR(mode)) {
    return "a character device";
  }
  if (S_ISBLK(mode)) {
    return "a block device";
  }
  if (S_ISFIFO(mode)) {
    return "a fifo";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a regular file";
}

} // namespace

void check_replaceable(const std::filesystem::path& path) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    if (errno == ENOENT) {
      return;
    }
    throw Error(path, errno_text("cannot inspect the output path"));
  }
  std::string kind = kind_of(info.st_mode);
  std::string through;
  if (S_ISLNK(info.st_mode)) {
    if (::stat(path.c_str(), &info) != 0) {
      return;  // a dangling link: replaced by the new file
    }
    kind = kind_of(info.st_mode);
    through = "a symlink to ";
  }
  if (!kind.empty()) {
    throw Error(path, "is " + through + kind + ", not a regular file; distbuild writes an output "
                      "to a temporary file and renames it into place, which would replace it: "
                      "name a regular file instead");
  }
}

void rename_into_place(const std::filesystem::path& from, const std::filesystem::path& to) {
  check_replaceable(to);
  if (::rename(from.c_str(), to.c_str()) != 0) {
    throw Error(to, errno_text("cannot rename into place"));
  }
}

} // namespace distbuild::builder
