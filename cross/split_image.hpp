// What a split (image_split.hpp) is asked for and what it makes: the options and one component
// image, shared by the image builder (image_set.hpp) and the splitters.
#pragma once

#include <filesystem>
#include <map>
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


// What a split found besides the images, for the caller to report or use.
struct SplitReport {
  std::vector<std::string> warnings;  // files left out (dangling links), the prefix found below
  // Shared libraries of the input that no image holds (a distro prefix's lib/<multiarch>/), by
  // file name: the pool host_libraries.hpp packs from.
  std::map<std::string, std::filesystem::path> library_pool;
};

struct SplitOptions {
  std::filesystem::path work_dir;   // images go to <work_dir>/<package>[-<target>]; must not exist
  // ... unless reused: work_dir holds the images an earlier split of the same input made, and
  // is brought up to date in place (image_set.hpp), so an unchanged input is not linked again.
  bool reuse_work_dir = false;
  std::vector<std::string> targets; // limit rust-std / rust-analysis targets; empty = all
  std::vector<std::string> packages; // limit to these manifest packages; empty = all
  std::string host;                 // host triple when it cannot be detected; empty = detect
  SplitReport* report = nullptr;    // filled when set
};

} // namespace distbuild::cross
