// The one exception type of signing/: a file or key name plus what went wrong.
#pragma once

#include <stdexcept>
#include <string>

namespace distbuild::signing {

class Error : public std::runtime_error {
public:
  Error(const std::string& subject, const std::string& what)
      : std::runtime_error(subject.empty() ? what : subject + ": " + what) {}
};

} // namespace distbuild::signing
