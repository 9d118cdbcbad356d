// Getting upstream files for overlay and mirror: http(s) through libcurl (which honours
// http_proxy, https_proxy and no_proxy itself), file:// URLs and plain local paths.
//
// A file is first written to a hidden `.<name>.part` beside its final name and renamed into
// place only after its SHA-256 matches what the manifest says, so nothing half-downloaded or
// corrupted ever appears under a name a mirror or rustup reads. A transfer that breaks is retried
// a bounded number of times, resuming from the partial file with a Range request; the partial
// file also survives a killed run, so the next run resumes it. A file already in place with the
// right hash is not fetched at all, which makes a second mirror run download nothing.
#pragma once

#include "builder/tree/input_limits.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace distbuild::builder {

struct FetchOptions {
  int attempts = 4;                             // tries per URL, the first one included
  std::chrono::milliseconds backoff{200};       // wait before a retry, doubled each time
  long connect_timeout_seconds = 30;
  long stall_seconds = 30;                      // a transfer with no bytes this long is retried
  bool progress = false;                        // a status line on stderr (for a TTY)
};

struct FetchStats {
  std::size_t requests = 0;          // transfers started (every attempt; local copies too)
  std::size_t files_downloaded = 0;  // files that were fetched and renamed into place
  std::size_t files_present = 0;     // files already in place with the right hash
  std::size_t retries = 0;
  std::size_t resumed = 0;           // transfers that continued a partial file
  std::uint64_t bytes = 0;           // payload bytes received
};

enum class FetchOutcome { Present, Downloaded };

// A local path or file:// URL -> the path; anything else (http, https) -> nullopt.
std::optional<std::filesystem::path> local_path_of(const std::string& location);

// Joins a location and a relative path with exactly one '/'.
std::string join_location(const std::string& base, const std::string& rel);

class Fetcher {
public:
  explicit Fetcher(FetchOptions options = {});
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  // A small resource held in memory (manifests, .sha256, .asc). nullopt when the server answers
  // 404/410 or the local file does not exist; every other failure, after the retries, throws
  // builder::Error naming the URL. A resource larger than `max_bytes` is refused as soon as the
  // bytes received pass it, whatever the server claims (input_limits.hpp has each limit; `what`
  // names the kind of file in that message).
  std::optional<std::string> get_optional(const std::string& location,
                                          std::uint64_t max_bytes = k_max_manifest_bytes,
                                          std::string_view what = "a channel manifest");
  // The same, but a missing resource is an error too.
  std::string get(const std::string& location, std::uint64_t max_bytes = k_max_manifest_bytes,
                  std::string_view what = "a channel manifest");

  // Puts the resource at `dest` when its SHA-256 is `sha256` (lowercase hex). Throws
  // builder::Error naming the URL when it cannot be fetched or its hash differs; `dest` is then
  // untouched and no partial file is left for a corrupt one.
  FetchOutcome fetch_file(const std::string& location, const std::filesystem::path& dest,
                          const std::string& sha256);

  // For the progress line: how many files remain after the current one.
  void set_files_left(std::size_t files_left);
  const FetchStats& stats() const;

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace distbuild::builder
