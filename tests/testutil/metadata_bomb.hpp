// A hostile installer for the memory-bound tests: a small .tar.zst whose metadata files are huge
// (issue 18 found forty 48 MiB manifest.in entries in a 136 KB .tar.zst held whole by verify,
// 1.9 GiB). Written with libarchive in chunks, so the test itself never holds an entry either.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace distbuild::testutil {

// <top>/rust-installer-version, <top>/components listing comp0..comp<n-1>, and for each a
// <top>/comp<i>/manifest.in of `manifest_bytes` bytes of "file:bin/x\n" lines.
void write_metadata_bomb(const std::filesystem::path& tarball, const std::string& top,
                         int components, std::uint64_t manifest_bytes);

} // namespace distbuild::testutil
