// See input_file.hpp.
#include "signing/input_file.hpp"

#include "signing/error.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace distbuild::signing {

InputFile::InputFile(const std::filesystem::path& path)
    : m_fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
  if (m_fd < 0) {
    throw Error(path.string(), std::string("cannot open: ") + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(m_fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(m_fd);
    throw Error(path.string(), "not a regular file");
  }
}

InputFile::~InputFile() {
  ::close(m_fd);
}

} // namespace distbuild::signing
