// A read-only file descriptor that closes itself: how GPGME reads a file to sign or verify
// without the file being loaded into memory.
#pragma once

#include <filesystem>

namespace distbuild::signing {

class InputFile {
public:
  // Throws signing::Error naming the path when the file cannot be opened.
  explicit InputFile(const std::filesystem::path& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  int fd() const { return m_fd; }

private:
  int m_fd = -1;
};

} // namespace distbuild::signing
