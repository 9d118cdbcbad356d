// The static tree rustup reads (spec 3.3), and how a release is published into it:
//
//   <root>/manifests.txt                      one line per published manifest
//   <root>/dist/channel-rust-<name>.toml      name = channel and its pins (manifest/release_name.hpp)
//            channel-rust-<name>-date.txt, channel-rust-<name>-git-commit-hash.txt
//            <tarballs of the newest release>  (links to the dated copies)
//            SHA256SUMS
//   <root>/dist/<date>/                       everything of that release, the URLs' target
//   every file has <file>.sha256 = "<hex>  <basename>\n" (and <file>.asc when signed)
//   <root>/tuf/                               TUF metadata once `tuf init` made it (builder/tuf/)
//
// Publishing order is what keeps a mirror consistent mid-run: the dated directory is built
// complete in a staging directory and renamed into place; then the top-level tarballs, then the
// small text files, and the channel manifests (each right after its .sha256) last.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

// "<hex>  <name>\n", sha256sum's text format (and upstream's).
std::string sha256_line(const std::string& hex, const std::string& name);

// Writes <file>.sha256 for an existing file whose hash is known.
void write_sha256_sidecar(const std::filesystem::path& file, const std::string& hex);

// Writes bytes to dir/name and its .sha256; returns the hash.
std::string write_with_sha256(const std::filesystem::path& dir, const std::string& name,
                              const std::string& bytes);

// Regenerates dir/SHA256SUMS (+ its .sha256) from the .sha256 sidecars of every file in dir.
void write_sha256sums(const std::filesystem::path& dir);

// Called for every file that gets published (to sign it); may be empty.
using FileHook = std::function<void(const std::filesystem::path&)>;

bool is_sidecar(const std::filesystem::path& path);  // .sha256 or .asc

// Hard-links src to dst through a temp name (copies across file systems); replaces dst.
void link_or_copy_atomically(const std::filesystem::path& src, const std::filesystem::path& dst);

// Today's date in UTC, YYYY-MM-DD (names and dates of releases: manifest/release_name.hpp).
std::string today_utc();

} // namespace distbuild::builder
