// What the dynamic loader will look for when it runs a file: the DT_NEEDED libraries, the
// RUNPATH (or old-style RPATH) it searches first, and the file's own DT_SONAME. Read from the
// program headers (PT_DYNAMIC and the PT_LOAD segment holding its string table), the same
// view the loader has, so stripped files without section headers are read too.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::cross {

struct ElfDynamic {
  std::vector<std::string> needed;   // DT_NEEDED, in order
  std::vector<std::string> runpath;  // DT_RUNPATH, else DT_RPATH, split at ':'
  std::string soname;                // DT_SONAME, empty when absent
};

// nullopt when `file` is not an ELF executable or shared object, or is one linked statically
// (no PT_DYNAMIC). Throws cross::Error when an ELF file is truncated or inconsistent.
std::optional<ElfDynamic> read_elf_dynamic(const std::filesystem::path& file);

} // namespace distbuild::cross
