// Debian bookworm's compiled Rust 1.63 (amd64, arm64 and armhf), either laid out as install
// prefixes the way a porter's `x.py install` leaves one (bin/, lib/*.so, lib/rustlib/<target>/
// lib/), or unpacked exactly as dpkg would (a /usr prefix with lib/<multiarch>/, Debian's links
// as they are). It is real compiler output that is not upstream's, for targets (armv7, arm64)
// whose std upstream's tooling would have to build itself, which makes it the honest input for
// the porter's command.
//
// Debian spreads one toolchain over several packages and its multiarch lib dir: the install-
// prefix layout gathers rustc, rustdoc, librustc_driver/libstd/libtest, the std rlibs and every
// library rustc and cargo load beyond the base system (libLLVM-14, libgit2, the TLS/HTTP stack;
// rustup's proxies put <toolchain>/lib on LD_LIBRARY_PATH, so lib/ is where they must be).
// Files are hard-linked from the cache (copied across filesystems), never modified.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <string>
#include <vector>

namespace distbuild::testutil {

inline constexpr const char* k_debian_rust_version = "1.63.0";
inline constexpr const char* k_x86_64_linux = "x86_64-unknown-linux-gnu";
inline constexpr const char* k_armv7_linux = "armv7-unknown-linux-gnueabihf";
inline constexpr const char* k_aarch64_linux = "aarch64-unknown-linux-gnu";

// The Debian architecture a set of files is taken from.
enum class DebianArch { Amd64, Armhf, Arm64 };

class DebianRust {
public:
  // The packages, fetched and extracted by scripts/fetch-debian-rust.sh into the test cache
  // ($DISTBUILD_TEST_CACHE, else $XDG_CACHE_HOME/distbuild-test, else ~/.cache/distbuild-test)
  // on first use; later runs and later calls find them there. Check ok() / problem().
  static const DebianRust& get();

  bool ok() const { return m_problem.empty(); }
  // Why the packages are not available (the script's output), empty when ok().
  const std::string& problem() const { return m_problem; }

  // A host toolchain of `arch` into `prefix`: bin/rustc, bin/rustdoc, lib/*.so (the compiler
  // driver and the dynamic std), lib/rustlib/etc, and in lib/ by their sonames every runtime
  // library the fixture fetched for `arch` (libLLVM-14 and what it links; for amd64 also
  // cargo's): with them the packed armv7 rustc runs under `qemu-arm -L /usr/arm-linux-gnueabihf`
  // with LD_LIBRARY_PATH=<toolchain>/lib. With `with_cargo` (amd64 only) bin/cargo too.
  // Debian's rust-lld/rust-clang links to system LLVM tools are left out: they dangle outside
  // a Debian system, and Linux targets link with cc anyway.
  void add_host(const fs::path& prefix, DebianArch arch, bool with_cargo) const;

  // Every package fetched for `arch` (amd64, arm64: rustc, cargo, libstd-rust-1.63,
  // libstd-rust-dev and every runtime library) unpacked into `root` as dpkg would: usr/bin,
  // usr/lib/<multiarch>/, lib/<multiarch>/, usr/share/..., links kept as links (dangling ones
  // too). Pass `root` to distbuild as it is.
  void unpack_as_debian(const fs::path& root, DebianArch arch) const;

  // lib/rustlib/<triple>/lib/ filled with Debian's std of `arch`; a mismatched pair (x86_64
  // rlibs as armv7's) is the porter's classic mistake that the arch check must catch. Debian
  // links the std shared objects into its multiarch dir; where the prefix's lib/ holds the
  // same file (the host's own std) the link is kept, re-pointed at ../../../<file>, so the
  // prefix has symlinks for distbuild to resolve; otherwise the file itself is placed.
  void add_std(const fs::path& prefix, const std::string& triple, DebianArch arch) const;

  fs::path package_dir(const std::string& package, DebianArch arch) const;

private:
  // Names (without arch) of the fetched packages of `arch` that are libraries, not Rust.
  std::vector<std::string> runtime_packages(DebianArch arch) const;

  fs::path m_root;
  std::string m_problem;
};

// The Debian multiarch directory name ("x86_64-linux-gnu", "arm-linux-gnueabihf").
// Also the directory of an extracted package's libraries (lib/<it>, usr/lib/<it>).
std::string multiarch_dir(DebianArch arch);

} // namespace distbuild::testutil
