// See cross_test_support.hpp.
#include "tests/cross/cross_test_support.hpp"

#include <fstream>
#include <stdexcept>

namespace distbuild::cross::testing {

namespace fs = std::filesystem;

std::set<std::string> manifest_files(const fs::path& toolchain, const std::string& component) {
  std::ifstream in(toolchain / "lib/rustlib" / ("manifest-" + component));
  if (!in) {
    throw std::runtime_error("no manifest for " + component);
  }
  std::set<std::string> files;
  std::string line;
  while (std::getline(in, line)) {
    if (line.starts_with("file:")) {
      files.insert(line.substr(5));
    } else if (line.starts_with("dir:")) {
      const std::string dir = line.substr(4);
      for (const auto& f : tree_files(toolchain / dir)) {
        files.insert(dir + "/" + f);
      }
    }
  }
  return files;
}

std::set<std::string> tree_files(const fs::path& dir) {
  std::set<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (!entry.is_directory()) {
      files.insert(entry.path().lexically_relative(dir).generic_string());
    }
  }
  return files;
}

void link_or_copy(const fs::path& from, const fs::path& to) {
  fs::create_directories(to.parent_path());
  std::error_code ec;
  fs::create_hard_link(from, to, ec);
  if (ec) {
    fs::copy_file(from, to);
  }
}

} // namespace distbuild::cross::testing
