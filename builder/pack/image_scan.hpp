// Reads a component image (a directory laid out like the install prefix) into the list of
// directories and regular files to pack, and checks it fully before anything is written: every
// problem is collected, so the user fixes everything in one round. Rejected: missing or empty
// image, unreadable files or dirs, fifos/devices/sockets, symlinks (unless dereferenced; a link
// leaving the image or dangling is always an error), names with a newline, a backslash or
// invalid UTF-8 (rust-installer's rules), and rustup's own bookkeeping names in lib/rustlib/.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace distbuild::builder {

struct ImageFile {
  std::string rel;                 // '/'-separated, relative to the image root
  std::filesystem::path source;    // what to read (the link itself when dereferenced: open follows)
  std::uint64_t size = 0;
  bool executable = false;         // owner-execute bit
};

struct ImageScan {
  std::vector<std::string> dirs;          // relative, every directory below the root
  std::vector<ImageFile> files;
  std::vector<std::string> dereferenced;  // relative paths of symlinks stored as files
};

struct ScanOptions {
  bool dereference = false;
  bool reserve_rustup_names = true;   // refuse lib/rustlib/{components,manifest-*,...}
  bool require_files = true;          // an image without files is an error
  const char* what = "image directory";
};

// Appends one "<path>: <problem>" line per problem to `problems`.
ImageScan scan_image(const std::filesystem::path& root, const ScanOptions& options,
                     std::vector<std::string>& problems);

// Path for messages: control characters and invalid UTF-8 shown as \n, \xNN, one line always.
std::string display_path(const std::string& path);

bool is_valid_utf8(const std::string& text);

// All problems as one message for builder::Error; run() prints the first line after
// "distbuild: error: ", so later lines carry the same prefix themselves (one line per problem).
std::string join_problems(const std::vector<std::string>& problems);

} // namespace distbuild::builder
