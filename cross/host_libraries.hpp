// Every ELF executable and shared object of a host package must find its libraries once rustup
// has installed the toolchain: each DT_NEEDED name resolves through the file's RUNPATH inside the
// toolchain, or in lib/ of its own package or of rustc (the one package every install has, whose
// lib/ rustup puts on the library path), or it is one of the few base system libraries every
// Linux system has. A library the input holds elsewhere (a distro's lib/<multiarch>/, the
// library pool of the split) is packed into lib/ of the package that needs it, into rustc's when
// rustc or more than one package needs it (rustup refuses two packages owning one file), and
// its own libraries are resolved the same way. Anything else would install and then fail with
// "error while loading shared libraries": that is reported instead, naming binary and library.
// A host whose rustc is not among the images (an overlay adding a tool to a published
// toolchain) is not judged: the lib/ its tools rely on is not known here.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace distbuild::cross {

struct HostImage {
  std::string package;              // manifest package ("rustc", "cargo", ...)
  std::string target;               // its host triple
  std::filesystem::path image_dir;  // install-prefix layout
  bool may_add = false;             // a work-dir image the check may add libraries to
  std::string origin;               // where it came from, for messages
};

struct HostLibraryReport {
  std::vector<std::string> problems;  // "<origin>: cargo for <host>: bin/cargo needs libssh2.so.1, ..."
  std::vector<std::string> added;     // per package: "cargo for <host>: packed into lib/ ...: libgit2.so.1.5, ..."
};

// `pool`: library file name -> a regular file of the input that provides it.
HostLibraryReport complete_host_libraries(const std::vector<HostImage>& images,
                                          const std::map<std::string, std::filesystem::path>& pool);

// True for the base system libraries a host package may need without shipping them: the C
// library and its loader, libm, libdl, libpthread, librt, libutil, libresolv, libgcc_s,
// libstdc++ and libz.
bool is_base_system_library(const std::string& name);

} // namespace distbuild::cross
