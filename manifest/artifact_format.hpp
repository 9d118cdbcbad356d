// The tarball formats, one row each, the way targets/target_table.cpp lists triples: everything
// the rest of the code knows about a format is in its row, so adding one is a row here, an
// encoder (builder/pack/compressor.cpp), a decoder (builder/inspect/installer_decompress.cpp)
// and its library in the build file.
//
//   format  name  file      magic             MIME              manifest keys     levels (f/b/b)
//   Gz      gz    .tar.gz   1f 8b             application/gzip  url, hash         1 / 6 / 9
//   Xz      xz    .tar.xz   fd 37 7a 58 5a 00 application/x-xz   xz_url, xz_hash   1 / 6 / 9
//   Zst     zst   .tar.zst  28 b5 2f fd       application/zstd  zst_url, zst_hash 3 / 12 / 19
//
// The levels are the encoder's own scale (gzip -N, xz -N, zstd -N) for the fast, balanced and
// best compression profiles (builder/pack/compress_profile.hpp, which adds xz's dictionary and
// block rules on top).
//
// A format rustup has no manifest keys for is packed and served but never listed in a manifest:
// its row has no keys and no member.
#pragma once

#include "manifest/channel.hpp"

#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::manifest {

struct BuiltComponent;

enum class Format { Gz, Xz, Zst };

struct FormatInfo {
  Format format;
  std::string_view name;         // "gz": --formats, JSON, cache entries
  std::string_view extension;    // "tar.gz", without the dot
  std::string_view magic;        // the first bytes of every such file
  std::string_view mime;         // what serve sends
  std::string_view stream_word;  // "gzip member": in messages about concatenated data
  std::string_view url_key;      // the manifest's keys; empty: rustup does not read this format
  std::string_view hash_key;
  // The encoder's level in the fast, balanced and best profiles, in that order.
  std::array<int, 3> profile_levels;
  // Where the manifest model keeps this format's url/hash; null when url_key is empty.
  std::optional<ArtifactRef> TargetEntry::*entry_ref;
  std::optional<ArtifactRef> BuiltComponent::*component_ref;
};

// Every format, in the order manifests list their keys (url, xz_url, zst_url).
std::span<const FormatInfo> artifact_formats();
const FormatInfo& format_info(Format format);

std::optional<Format> parse_format(std::string_view name);  // "gz" "xz" "zst"
std::string_view format_name(Format format);                // "gz" "xz" "zst"
std::string_view format_extension(Format format);           // "tar.gz" "tar.xz" "tar.zst"
// The format whose extension ends `file_name` ("x.tar.zst" -> Zst).
std::optional<Format> format_of_file(std::string_view file_name);

// True when rustup would download something: available and at least one complete url/hash pair
// of a format the manifest keeps (spec 2.3: available = true without a pair is unavailable).
bool is_available(const TargetEntry& entry);

} // namespace distbuild::manifest
