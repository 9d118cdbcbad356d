// What `distbuild serve` may hand out, decided before any file is opened: a request path maps to
// a regular file strictly inside the tree, or to nothing. Kept apart from the HTTP code so the
// rules can be tested without a socket:
//   - every segment is checked after percent-decoding, by the one rule for outside paths
//     (builder/tree/safe_path.hpp): ".." anywhere, backslashes, NUL and other control bytes are
//     refused (so "%2e%2e/", "..%2f" and "/../" never climb); "." and empty segments drop out;
//   - dot-files and dot-directories (the lock file, staging and work dirs) are never served;
//   - key material is never served: only the public release-key.asc; a GnuPG home
//     (private-keys-v1.d, pubring.kbx, trustdb.gpg, secring.gpg, random_seed, S.gpg-agent*)
//     and *.key / *.pem / *.p12 files are refused wherever they sit;
//   - the resolved path (symlinks followed) must still lie inside the canonical root.
// "/" and directory paths map to their index.html when there is one; there are no listings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace distbuild::builder {

enum class PathVerdict {
  Ok,         // `file` is a regular file to serve
  BadRequest, // malformed: refuse with 400
  NotFound,   // hidden, forbidden or missing: 404 (never say which)
};

struct ResolvedPath {
  PathVerdict verdict = PathVerdict::NotFound;
  std::filesystem::path file;  // canonical, set when verdict == Ok
};

// `decoded` is the request path after percent-decoding (what cpp-httplib gives as req.path);
// `raw` is the request target as sent (checked too, for decoders that leave "%2e" alone).
// `canonical_root` must already be canonical (weakly_canonical of the tree).
ResolvedPath resolve_request_path(const std::filesystem::path& canonical_root,
                                  std::string_view decoded, std::string_view raw);

// True when `dir` holds what marks a GnuPG home (private-keys-v1.d, pubring.kbx, trustdb.gpg,
// secring.gpg, pubring.gpg).
bool is_gnupg_home(const std::filesystem::path& dir);

// True for names that are never served: dot-files and key material other than release-key.asc.
bool is_hidden_name(std::string_view name);

// The Content-Type for a served file, by its name (.toml, .sha256, .asc, .txt text/plain,
// .tar.gz application/gzip, .tar.xz application/x-xz, .tar.zst application/zstd, .html ...).
std::string content_type_for(const std::filesystem::path& file);

} // namespace distbuild::builder
