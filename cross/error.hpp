// The one exception type of cross/: every error names the file it is about (a missing listed
// file, a symlink leaving the prefix, an unreadable archive), printed as `<path>: <what>`.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace distbuild::cross {

class Error : public std::runtime_error {
public:
  Error(const std::filesystem::path& path, const std::string& what)
      : std::runtime_error(path.empty() ? what : path.string() + ": " + what), m_path(path) {}
  const std::filesystem::path& path() const { return m_path; }

private:
  std::filesystem::path m_path;
};

} // namespace distbuild::cross
