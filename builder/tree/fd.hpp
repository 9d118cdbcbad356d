// The one owner of a POSIX file descriptor (ccache's util/fd.hpp is the model): closed on
// destruction, move-only, and closed explicitly with close() where a failed close must be seen
// (a file being written).
#pragma once

#include <unistd.h>

#include <utility>

namespace distbuild::builder {

class Fd {
public:
  Fd() = default;
  explicit Fd(int fd) : m_fd(fd) {}
  ~Fd() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  Fd(Fd&& other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
  Fd& operator=(Fd&& other) noexcept {
    if (this != &other) {
      if (m_fd >= 0) {
        ::close(m_fd);
      }
      m_fd = std::exchange(other.m_fd, -1);
    }
    return *this;
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;

  int get() const { return m_fd; }
  bool valid() const { return m_fd >= 0; }
  // Closes now; false (errno set) when close reported an error. The descriptor is gone either way.
  bool close() { return ::close(std::exchange(m_fd, -1)) == 0; }

private:
  int m_fd = -1;
};

} // namespace distbuild::builder
