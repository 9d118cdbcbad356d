// SHA-256 over bytes, incrementally (so a tarball is hashed while it is written, never reread)
// and in one call for small buffers and files. Lowercase hex, the only form rustup accepts.
#pragma once

#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace distbuild::signing {

class Sha256 {
public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  void update(std::string_view bytes) { update(bytes.data(), bytes.size()); }
  // Lowercase hex of the digest; the object cannot be updated afterwards.
  std::string finish_hex();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

std::string sha256_hex(std::string_view bytes);
// Throws signing::Error naming the path when the file cannot be read.
std::string sha256_file_hex(const std::filesystem::path& path);

// 0-15 for a hex digit of either case, -1 for anything else (for every decoder of hex: keys,
// signatures, percent-escapes).
int hex_digit_value(char c);

} // namespace distbuild::signing
