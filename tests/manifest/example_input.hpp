// Compose inputs shared by the manifest tests: realistic names, URLs and hashes built the way
// the builder builds them (targets::tarball_stem), but no real files behind them.
#pragma once

#include "manifest/compose.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace distbuild::manifest::example {

inline constexpr const char* k_x86_64 = "x86_64-unknown-linux-gnu";
inline constexpr const char* k_armv7 = "armv7-unknown-linux-gnueabihf";
inline constexpr const char* k_thumb = "thumbv8m.main-none-eabihf"; // std only; has a '.'
inline constexpr const char* k_rust_version = "1.95.0 (59807616e 2026-04-14)";

// A component of stable 1.95.0 at https://example.org/dist/2026-04-16/ with one url/hash pair
// per extension in `formats` ("gz", "xz", "zst"); the hash is the SHA-256 of the file name.
BuiltComponent built(const std::string& package, const std::string& target, const std::string& version,
                     const std::vector<std::string>& formats);

// x86_64 and armv7 hosts plus a std-only thumbv8m.main target; clippy is built for armv7 but
// has no tarball (unavailable); a combined rust tarball exists for x86_64 only.
ComposeInput two_host_input();

// One x86_64 host plus rust-std for thumbv8m.main, rust-docs, clippy, rustfmt and rust-src.
ComposeInput one_host_input();

} // namespace distbuild::manifest::example

namespace distbuild::manifest {
// Readable gtest output for vectors of component references.
inline void PrintTo(const ComponentRef& ref, std::ostream* out) {
  *out << ref.pkg << "/" << ref.target;
}
} // namespace distbuild::manifest
