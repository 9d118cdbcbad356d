// Checks that the binaries in a component image are built for the image's target: every ELF
// file (executables, shared objects, and the object members of .rlib/.a archives) must have
// the target's ELF machine, class (32/64-bit), byte order and, for ARM, float ABI. This catches
// the classic porting mistake of packing the host's std as armv7's, before rustup users do.
#pragma once

#include "targets/target_table.hpp"

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::cross {

// Every mismatching file, as "<relative path>[(member)]: <what it is> but <triple> needs <what>",
// e.g. "lib/rustlib/armv7-unknown-linux-gnueabihf/lib/libcore-1.rlib(core-1.core.o): ELF 64-bit
// LSB x86-64 but armv7-unknown-linux-gnueabihf needs ELF 32-bit LSB ARM, hard-float". An
// archive gets one line, naming its first bad member and how many more there are
// ("libstd-1.rlib(lib.rmeta, and 15 more members): ..."). LLVM records no float ABI in
// relocatable objects, so archive members of armhf say "ELF 32-bit LSB ARM" only.
// Files that are not ELF (scripts, .rmeta, docs) are skipped. For a target whose objects are not ELF
// (Windows, Apple, wasm) every ELF file is a mismatch. Throws cross::Error for unreadable files.
std::vector<std::string> check_image_arch(const std::filesystem::path& image_dir,
                                          std::string_view triple);
// The same against facts given by the caller (a custom target's spec, targets/target_spec.hpp).
std::vector<std::string> check_image_arch(const std::filesystem::path& image_dir,
                                          const targets::TargetInfo& target);

// True when `file` is an ELF file for the machine this process runs on (same class, byte order
// and e_machine as /proc/self/exe): the host rustc of an input may then be asked its version.
bool runs_on_this_machine(const std::filesystem::path& file);

// The same check for one buffer holding a single ELF file; nullopt-like empty string = matches
// or not ELF. `name` is used in the message. Exposed for tests and for the packer's own checks.
std::string check_elf_bytes(std::string_view bytes, const std::string& name, std::string_view triple);

} // namespace distbuild::cross
