// A run's own directory (work dir, staging dir): made empty on entry, removed on exit unless
// released, so a failed or interrupted run leaves no half-built directory behind in a tree.
#pragma once

#include "builder/tree/error.hpp"

#include <filesystem>
#include <system_error>
#include <utility>

namespace distbuild::builder {

class ScopedDir {
public:
  explicit ScopedDir(std::filesystem::path path) : m_path(std::move(path)) {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
    std::filesystem::create_directories(m_path, ec);
    if (ec) {
      throw Error(m_path, "cannot create directory: " + ec.message());
    }
  }
  ~ScopedDir() {
    if (!m_path.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(m_path, ignored);
    }
  }
  ScopedDir(const ScopedDir&) = delete;
  ScopedDir& operator=(const ScopedDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  // The directory stays: it was renamed into place or is kept on purpose.
  void release() { m_path.clear(); }

private:
  std::filesystem::path m_path;
};

} // namespace distbuild::builder
