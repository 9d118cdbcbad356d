#include "builder/tree/atomic_file.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/output_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

namespace distbuild::builder {

std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

namespace {

// Unique within the process and across processes: pid plus a counter.
std::filesystem::path temp_name_for(const std::filesystem::path& final_path) {
  static std::atomic<unsigned> counter{0};
  return final_path.parent_path() /
         ("." + final_path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
          std::to_string(counter++));
}

} // namespace

AtomicFile::AtomicFile(std::filesystem::path final_path)
    : m_final(std::move(final_path)), m_temp(temp_name_for(m_final)) {
  check_replaceable(m_final);  // before the temp file exists: a refused output leaves nothing
  m_fd = Fd(::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!m_fd.valid()) {
    throw Error(m_final, errno_text("cannot create"));
  }
}

AtomicFile::~AtomicFile() {
  m_fd = Fd();  // closed before the temp file goes
  if (!m_committed) {
    std::error_code ignored;
    std::filesystem::remove(m_temp, ignored);
  }
}

void AtomicFile::write(const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    ssize_t written = ::write(m_fd.get(), bytes, size);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(m_final, errno_text("write"));
    }
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
}

void AtomicFile::commit() {
  // fchmod so the result does not depend on the caller's umask (reproducible trees).
  if (::fchmod(m_fd.get(), 0644) != 0 || ::fsync(m_fd.get()) != 0) {
    throw Error(m_final, errno_text("flush"));
  }
  if (!m_fd.close()) {
    throw Error(m_final, errno_text("close"));
  }
  rename_into_place(m_temp, m_final);
  m_committed = true;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  file.commit();
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(path, errno_text("cannot open"));
  }
  std::ostringstream out;
  out << in.rdbuf();
  if (in.bad()) {
    throw Error(path, "read failed");
  }
  return out.str();
}

} // namespace distbuild::builder
