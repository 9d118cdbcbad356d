// Both digests fed from the same buffer (digests.hpp), so a large tarball is read once.
#include "signing/digests.hpp"

#include "signing/ed25519.hpp"
#include "signing/error.hpp"
#include "signing/input_file.hpp"

#include <openssl/evp.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <vector>

namespace distbuild::signing {

namespace {

class TwoDigests {
public:
  TwoDigests() {
    if (!m_sha256 || !m_sha512 || EVP_DigestInit_ex(m_sha256.get(), EVP_sha256(), nullptr) != 1 ||
        EVP_DigestInit_ex(m_sha512.get(), EVP_sha512(), nullptr) != 1) {
      throw Error("digest", "cannot initialise OpenSSL digests");
    }
  }
  void update(const void* data, std::size_t size) {
    if (size == 0) {
      return;
    }
    if (EVP_DigestUpdate(m_sha256.get(), data, size) != 1 ||
        EVP_DigestUpdate(m_sha512.get(), data, size) != 1) {
      throw Error("digest", "digest update failed");
    }
    m_length += size;
  }
  Digests finish() {
    return {m_length, final_hex(m_sha256.get()), final_hex(m_sha512.get())};
  }

private:
  static std::string final_hex(EVP_MD_CTX* ctx) {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx, digest.data(), &size) != 1) {
      throw Error("digest", "digest finalisation failed");
    }
    return to_hex(std::string_view(reinterpret_cast<const char*>(digest.data()), size));
  }

  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> m_sha256{EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> m_sha512{EVP_MD_CTX_new(),
                                                                    &EVP_MD_CTX_free};
  std::uint64_t m_length = 0;
};

} // namespace

Digests digest_bytes(std::string_view bytes) {
  TwoDigests digests;
  digests.update(bytes.data(), bytes.size());
  return digests.finish();
}

Digests digest_file(const std::filesystem::path& path) {
  InputFile file(path);
  TwoDigests digests;
  std::vector<char> buffer(1 << 20);
  for (;;) {
    ssize_t got = ::read(file.fd(), buffer.data(), buffer.size());
    if (got < 0 && errno == EINTR) {
      continue;
    }
    if (got < 0) {
      throw Error(path.string(), std::string("read failed: ") + std::strerror(errno));
    }
    if (got == 0) {
      break;
    }
    digests.update(buffer.data(), static_cast<std::size_t>(got));
  }
  return digests.finish();
}

} // namespace distbuild::signing
