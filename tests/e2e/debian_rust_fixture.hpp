// Debian bookworm's compiled Rust 1.63 (amd64 and armhf) laid out as install prefixes, the way
// a porter's `x.py install` leaves one: bin/, lib/*.so, lib/rustlib/<target>/lib/. It is real
// compiler output that is not upstream's, for a target (armv7) whose std upstream's tooling
// would have to build itself, which makes it the honest input for the porter's command.
//
// Debian spreads one toolchain over several packages and its multiarch lib dir: the fixture
// gathers rustc, rustdoc, librustc_driver/libstd/libtest, the std rlibs and, for cargo, the
// libgit2 1.5 and TLS/HTTP libraries a bare machine lacks (rustup's proxies put <toolchain>/lib
// on LD_LIBRARY_PATH, so lib/ is where they must be). libLLVM-14 stays the system's (libllvm14).
// Files are hard-linked from the cache (copied across filesystems), never modified.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <string>

namespace distbuild::testutil {

inline constexpr const char* k_debian_rust_version = "1.63.0";
inline constexpr const char* k_x86_64_linux = "x86_64-unknown-linux-gnu";
inline constexpr const char* k_armv7_linux = "armv7-unknown-linux-gnueabihf";

// The Debian architecture a set of files is taken from.
enum class DebianArch { Amd64, Armhf };

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
  // driver and the dynamic std), lib/rustlib/etc; with `with_cargo` (amd64 only) bin/cargo and
  // its libraries in lib/. Debian's rust-lld/rust-clang links to system LLVM tools are left
  // out: they dangle outside a Debian system, and Linux targets link with cc anyway.
  void add_host(const fs::path& prefix, DebianArch arch, bool with_cargo) const;

  // The armhf shared libraries Debian's armhf rustc needs beyond libc, libgcc and libstdc++
  // (libLLVM-14 and what it links), into lib/ by their sonames: with them the packed armv7
  // rustc runs under `qemu-arm -L /usr/arm-linux-gnueabihf` with LD_LIBRARY_PATH=<toolchain>/lib.
  void add_armhf_runtime(const fs::path& prefix) const;

  // lib/rustlib/<triple>/lib/ filled with Debian's std of `arch`; a mismatched pair (x86_64
  // rlibs as armv7's) is the porter's classic mistake that the arch check must catch. Debian
  // links the std shared objects into its multiarch dir; where the prefix's lib/ holds the
  // same file (the host's own std) the link is kept, re-pointed at ../../../<file>, so the
  // prefix has symlinks for distbuild to resolve; otherwise the file itself is placed.
  void add_std(const fs::path& prefix, const std::string& triple, DebianArch arch) const;

private:
  fs::path package_dir(const std::string& package, DebianArch arch) const;

  fs::path m_root;
  std::string m_problem;
};

// The Debian multiarch directory name ("x86_64-linux-gnu", "arm-linux-gnueabihf").
std::string multiarch_dir(DebianArch arch);

} // namespace distbuild::testutil
