// What a split (image_split.hpp) is asked for and what it makes: the options and one component
// image, shared by the image builder (image_set.hpp) and the splitters.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::cross {

struct SplitImage {
  std::string package;                     // manifest package: "rustc", "rust-std", "clippy-preview", ...
  std::string target;                      // triple ("*" for rust-src)
  std::filesystem::path image_dir;         // a NEW directory under work_dir, install-prefix layout
  std::vector<std::string> resolved_links; // "<relative path> -> <link text>" for each symlink resolved
  std::vector<std::string> files;          // relative paths of the image's files, sorted
};


struct SplitOptions {
  std::filesystem::path work_dir;   // images go to <work_dir>/<package>[-<target>]; must not exist
  std::vector<std::string> targets; // limit rust-std / rust-analysis targets; empty = all
  std::vector<std::string> packages; // limit to these manifest packages; empty = all
  std::string host;                 // host triple when it cannot be detected; empty = detect
};

} // namespace distbuild::cross
