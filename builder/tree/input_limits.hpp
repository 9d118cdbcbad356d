// Size limits for every read of input distbuild did not make itself: what an upstream server
// sends, what a tree it is asked to verify holds, what an installer tarball carries. Without
// them an endless channel manifest, a huge .sha256 or forty 48 MiB manifest.in entries inside a
// 136 KB .tar.zst are each read whole (1.5-1.9 GiB). Each limit is far above anything real (an
// upstream nightly manifest is about 1 MiB, rust-docs' manifest.in a few MiB) and an input over
// it is refused with an error naming it and the limit, never truncated.
//
// Tarballs and mirrored files are streamed and never held whole; what is held is listed here.
// The README's "Limits" section repeats this table for users.
#pragma once

#include "manifest/toml_input.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace distbuild::builder {

inline constexpr std::uint64_t k_kib = 1024;
inline constexpr std::uint64_t k_mib = 1024 * k_kib;

// channel-rust-*.toml, fetched or read (the parser itself refuses more: manifest/toml_input.hpp)
inline constexpr std::uint64_t k_max_manifest_bytes = manifest::k_max_manifest_bytes;
// <file>.sha256: one "<hex>  <name>" line
inline constexpr std::uint64_t k_max_sha256_sidecar_bytes = 4 * k_kib;
// <file>.asc: one armored detached signature (upstream's are under 1 KiB)
inline constexpr std::uint64_t k_max_signature_bytes = 64 * k_kib;
// SHA256SUMS of one directory
inline constexpr std::uint64_t k_max_sha256sums_bytes = 16 * k_mib;
// release-key.asc, --upstream-key, release-key.fingerprint
inline constexpr std::uint64_t k_max_key_bytes = 1 * k_mib;
// One metadata file inside an installer: components, manifest.in, version, ...
inline constexpr std::uint64_t k_max_installer_metadata_file = 32 * k_mib;
// All metadata files of one installer together (so 40 manifest.in of 32 MiB cannot add up)
inline constexpr std::uint64_t k_max_installer_metadata_total = 64 * k_mib;
// What the xz decoder of an installer may allocate: a header may claim a 1.5 GiB dictionary
// (which a small bomb then fills); distbuild's own best profile needs 129 MiB, Rust's 65 MiB.
// zstd frames are bounded by libzstd's default window limit (128 MiB), gzip's window is 32 KiB.
inline constexpr std::uint64_t k_max_xz_decoder_memory = 256 * k_mib;
// Entries of one installer, and the bytes of their names, that a structure check remembers
inline constexpr std::uint64_t k_max_installer_entries = 1'000'000;
inline constexpr std::uint64_t k_max_installer_name_bytes = 64 * k_mib;

// The whole file when it is a regular file of at most `limit` bytes; else throws builder::Error
// naming the file, `what` it is and the limit. Reads at most limit + 1 bytes whatever the size
// claims (a file may grow while being read).
std::string read_file_limited(const std::filesystem::path& path, std::uint64_t limit,
                              std::string_view what);

// "16 MiB", "4 KiB", "1000 bytes": limits in messages.
std::string limit_text(std::uint64_t bytes);

} // namespace distbuild::builder
