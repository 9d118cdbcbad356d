// A file's length with its SHA-256 and SHA-512, from one read: what a TUF target entry records
// ({"length": n, "hashes": {"sha256": …, "sha512": …}}), lowercase hex.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace distbuild::signing {

struct Digests {
  std::uint64_t length = 0;
  std::string sha256;
  std::string sha512;
};

Digests digest_bytes(std::string_view bytes);
// Throws signing::Error naming the path when the file cannot be read.
Digests digest_file(const std::filesystem::path& path);

} // namespace distbuild::signing
