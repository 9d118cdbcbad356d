// The one exception type of builder/: every error names the path (or input) it is about, so the
// user sees `distbuild: error: <path>: <what>` and knows which file to fix.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>

namespace distbuild::builder {

class Error : public std::runtime_error {
public:
  Error(const std::string& subject, const std::string& what)
      : std::runtime_error(subject.empty() ? what : subject + ": " + what) {}
  Error(const std::filesystem::path& path, const std::string& what) : Error(path.string(), what) {}
};

// "<what>: <strerror(errno)>", for the many POSIX calls whose failure reason lives in errno.
std::string errno_text(const std::string& what);

} // namespace distbuild::builder
