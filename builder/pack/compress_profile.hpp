// Compression profiles of installer tarballs and the exact encoder settings each profile means
// (the formats: manifest/artifact_format.hpp). Kept apart from the encoders so the CLI can list the levels in --help and the
// tests can check the xz dictionary rule without compressing anything.
//
//   profile    gzip  xz                                        zstd
//   fast       1     preset 1, CRC64, blocks of 3 MiB           3
//   balanced   6     preset 6, CRC64, blocks of 24 MiB          12
//   best       9     preset 9, dict = production rule up to     19 (one worker)
//                    64 MiB, BT4, no check, one block
//
// Each format's level per profile is in its row of the format table (profile_levels), so a new
// format brings its levels with it; what this file adds is xz's dictionary, block and tuning
// rules and the worker caps of `best`.
//
// "best" follows promote-release's recompression (dist-format.md 5.2) in everything but the
// dictionary's cap: the dictionary is the smallest 2^n or 2^n+2^(n-1) that holds the whole tar,
// at least 4 KiB and at most 64 MiB (xz -9's; production's 128 MiB needs 1.35 GiB in the BT4
// match finder alone), the match finder is BT4 with nice_len 273 and depth 1000, and the stream
// carries no integrity check (the manifest's SHA-256 covers the file). xz writes one block with
// liblzma's single-threaded encoder (as `xz -9e`: no block buffers, no matches lost at cuts) and
// zstd runs on one worker, so a best pack stays under 1 GiB whatever the core count
// (encoder_memory_bound()).
//
// fast and balanced set the xz block size explicitly to xz -T's own (3 x dictionary, at least
// 1 MiB): with a fixed block size liblzma's multi-threaded encoder produces the same bytes for
// any thread count, and they are exactly `xz -T2 -<preset>`'s on the same tar. best writes one
// block on one thread.
#pragma once

#include "manifest/artifact_format.hpp"

#include <lzma.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::builder {

// The formats themselves (name, extension, magic, manifest keys) are one table in manifest/.
using manifest::Format;
using manifest::format_extension;
using manifest::format_name;
using manifest::parse_format;

enum class Profile { Fast, Balanced, Best };

// "gz,xz,zst" in any order, duplicates removed; throws builder::Error naming `option` (the flag
// the list came from) and the bad entry.
std::vector<Format> parse_format_list(std::string_view list,
                                      const std::string& option = "--formats");
std::optional<Profile> parse_profile(std::string_view name); // fast balanced best
std::string_view profile_name(Profile profile);
// Throws builder::Error: `unknown compression profile 'x' (expected fast, balanced or best)`.
Profile parse_profile_or_throw(std::string_view name);

struct CompressionSettings {
  Profile profile = Profile::Balanced;
  // The encoder's level for `format` in this profile (the format table's profile_levels).
  int level(Format format) const;
  std::uint32_t xz_preset = 6;  // level(Format::Xz), the preset xz's options start from
  // 0 = the preset's own dictionary.
  std::uint32_t xz_dict_size = 0;
  bool xz_check_none = false;
  // promote-release's tuning on top of preset 9: BT4, nice_len 273, depth 1000 (best only).
  bool xz_production_tuning = false;
  // 0 = one block, liblzma's single-threaded stream encoder (best).
  std::uint64_t xz_block_size = 0;
  // Caps on the pack's thread count for the xz encoder and the zstd workers; 0 = no cap.
  unsigned xz_max_threads = 0;
  unsigned zstd_max_workers = 0;
};

// tar_size is the exact size of the uncompressed tar (known before compressing).
CompressionSettings compression_settings(Profile profile, std::uint64_t tar_size);

// promote-release's dictionary rule: smallest 2^n or 2^n + 2^(n-1) >= size, in [4 KiB, 128 MiB].
std::uint32_t production_xz_dict_size(std::uint64_t size);

// The largest dictionary `best` uses.
inline constexpr std::uint32_t k_best_max_xz_dict = 64u << 20;

// The LZMA2 options of `settings` (preset, dictionary, production tuning): one definition for
// the encoder and for the memory bound, so the two can never drift apart. Nullopt: no such preset.
std::optional<lzma_options_lzma> xz_lzma_options(const CompressionSettings& settings);

struct EncoderMemory {
  std::uint64_t xz = 0;     // every xz encoder thread, blocks and output queue included
  std::uint64_t zstd = 0;   // every zstd worker, its job buffers and the round buffer
  std::uint64_t queues = 0; // the bounded tar chunk queues (tar_fanout)
  std::uint64_t total() const { return xz + zstd + queues; }
};
// Upper bound of the encoders' memory for `settings` on `threads` threads (0 = all cores) and
// every format at once, from liblzma's lzma_stream_encoder_mt_memusage and zstd's
// ZSTD_estimateCCtxSize_usingCParams plus zstd's job buffers, plus the tar queues.
EncoderMemory encoder_memory_bound(const CompressionSettings& settings, std::uint64_t tar_size,
                                   unsigned threads);

// One line per profile, for --help.
std::string profile_levels_help();

} // namespace distbuild::builder
