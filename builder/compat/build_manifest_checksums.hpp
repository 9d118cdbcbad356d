// build-manifest's checksums (upstream checksum.rs): SHA-256 of every file the manifest names,
// computed on several threads, with the cache promote-release passes in
// BUILD_MANIFEST_CHECKSUM_CACHE: a JSON object {"<canonical path>": "<lowercase hex>"} that is
// read when the file exists (a cached hash is trusted, not recomputed) and written back with
// every hash known at the end, so promote-release can sign without hashing again.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

class ChecksumCache {
public:
  // Reads `cache` when it names an existing file; throws builder::Error naming it when that file
  // is not such a JSON object.
  explicit ChecksumCache(std::optional<std::filesystem::path> cache);

  // Hashes every file not known yet, on `threads` threads (0: one per core). Throws
  // builder::Error listing every file that could not be read.
  void fill(const std::vector<std::filesystem::path>& files, unsigned threads);

  // The hash of a file given to fill(); throws builder::Error if it was not.
  const std::string& hash_of(const std::filesystem::path& file) const;

  // Writes the cache file (when there is one), atomically.
  void store() const;

  std::size_t computed() const { return m_computed; }
  std::size_t reused() const { return m_reused; }

private:
  std::optional<std::filesystem::path> m_path;
  std::map<std::string, std::string> m_hashes;  // canonical path -> hex
  std::size_t m_computed = 0;
  std::size_t m_reused = 0;
};

} // namespace distbuild::builder
