// The one exception type of targets/: the triple (or spec) in question plus what is wrong with
// it, like signing::Error and builder::Error.
#pragma once

#include <stdexcept>
#include <string>

namespace distbuild::targets {

class Error : public std::runtime_error {
public:
  Error(const std::string& subject, const std::string& what)
      : std::runtime_error(subject.empty() ? what : subject + ": " + what) {}
};

} // namespace distbuild::targets
