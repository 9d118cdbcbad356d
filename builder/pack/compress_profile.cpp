// Names and settings of the compression formats and profiles; see compress_profile.hpp.
#include "builder/pack/compress_profile.hpp"

#include "builder/tree/error.hpp"

#include <lzma.h>
#define ZSTD_STATIC_LINKING_ONLY  // ZSTD_estimateCCtxSize_usingCParams
#include <zstd.h>

#include <algorithm>
#include <array>
#include <thread>

namespace distbuild::builder {

namespace {

constexpr std::uint32_t k_min_dict = 4u << 10;
constexpr std::uint32_t k_max_dict = 128u << 20;
constexpr std::uint64_t k_min_block = 1u << 20;

std::uint32_t preset_dict_size(std::uint32_t preset) {
  lzma_options_lzma options{};
  if (lzma_lzma_preset(&options, preset)) {
    return 8u << 20;
  }
  return options.dict_size;
}

// xz -T's own block size, 3 x dictionary and at least 1 MiB (liblzma's lzma2_block_size()), so
// the .tar.xz is byte for byte what `xz -T<n> -<preset>` writes from the same tar. Cutting
// finer to keep two threads busy on one component cost size (measured on stable 1.95's tars:
// two equal blocks instead of xz's 24 MiB + rest made cargo 0.6 % and clippy 2.3 % larger);
// the scheduler keeps the cores busy with other components' packs instead. Depends only on the
// dictionary, never on the thread count, so the bytes stay reproducible. `best` writes one block
// (block size 0): its point is size, and it runs on one thread anyway, to bound its memory.
std::uint64_t xz_own_block_size(std::uint32_t dict_size) {
  return std::max<std::uint64_t>(k_min_block, 3ull * dict_size);
}

} // namespace

namespace {

// "gz, xz or zst", from the format table.
std::string expected_formats() {
  std::string text;
  const auto formats = manifest::artifact_formats();
  for (std::size_t i = 0; i < formats.size(); ++i) {
    text += (i == 0 ? "" : (i + 1 == formats.size() ? " or " : ", "));
    text += formats[i].name;
  }
  return text;
}

} // namespace

std::vector<Format> parse_format_list(std::string_view list, const std::string& option) {
  std::vector<Format> formats;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t comma = list.find(',', start);
    if (comma == std::string_view::npos) {
      comma = list.size();
    }
    std::string_view item = list.substr(start, comma - start);
    std::optional<Format> format = parse_format(item);
    if (!format) {
      throw Error(option, "unknown compression format '" + std::string(item) +
                                                "' (expected " + expected_formats() + ")");
    }
    if (std::find(formats.begin(), formats.end(), *format) == formats.end()) {
      formats.push_back(*format);
    }
    start = comma + 1;
  }
  return formats;
}

std::optional<Profile> parse_profile(std::string_view name) {
  if (name == "fast") {
    return Profile::Fast;
  }
  if (name == "balanced") {
    return Profile::Balanced;
  }
  if (name == "best") {
    return Profile::Best;
  }
  return std::nullopt;
}

std::string_view profile_name(Profile profile) {
  switch (profile) {
  case Profile::Fast:
    return "fast";
  case Profile::Balanced:
    return "balanced";
  case Profile::Best:
    return "best";
  }
  return "?";
}

Profile parse_profile_or_throw(std::string_view name) {
  std::optional<Profile> profile = parse_profile(name);
  if (!profile) {
    throw Error(std::string("--profile"), "unknown compression profile '" + std::string(name) +
                                              "' (expected fast, balanced or best)");
  }
  return *profile;
}

std::uint32_t production_xz_dict_size(std::uint64_t size) {
  if (size <= k_min_dict) {
    return k_min_dict;
  }
  for (std::uint64_t power = k_min_dict; power <= k_max_dict; power *= 2) {
    if (power >= size) {
      return static_cast<std::uint32_t>(power);
    }
    std::uint64_t between = power + power / 2;
    if (between >= size && between <= k_max_dict) {
      return static_cast<std::uint32_t>(between);
    }
  }
  return k_max_dict;
}

int CompressionSettings::level(Format format) const {
  return manifest::format_info(format).profile_levels.at(static_cast<std::size_t>(profile));
}

CompressionSettings compression_settings(Profile profile, std::uint64_t tar_size) {
  CompressionSettings settings;
  settings.profile = profile;
  settings.xz_preset = static_cast<std::uint32_t>(settings.level(Format::Xz));
  if (profile == Profile::Best) {
    settings.xz_dict_size = std::min(production_xz_dict_size(tar_size), k_best_max_xz_dict);
    settings.xz_check_none = true;
    settings.xz_production_tuning = true;
    settings.xz_max_threads = 1;
    settings.zstd_max_workers = 1;
  }
  if (profile != Profile::Best) {
    std::uint32_t dict = settings.xz_dict_size != 0 ? settings.xz_dict_size
                                                    : preset_dict_size(settings.xz_preset);
    settings.xz_block_size = xz_own_block_size(dict);
  }
  return settings;
}

std::optional<lzma_options_lzma> xz_lzma_options(const CompressionSettings& settings) {
  lzma_options_lzma lzma{};
  if (lzma_lzma_preset(&lzma, settings.xz_preset)) {
    return std::nullopt;
  }
  if (settings.xz_dict_size != 0) {
    lzma.dict_size = settings.xz_dict_size;
  }
  if (settings.xz_production_tuning) {
    lzma.mf = LZMA_MF_BT4;
    lzma.mode = LZMA_MODE_NORMAL;
    lzma.nice_len = 273;
    lzma.depth = 1000;
    lzma.pb = 2;
    lzma.lp = 0;
    lzma.lc = 3;
  }
  return lzma;
}

EncoderMemory encoder_memory_bound(const CompressionSettings& settings, std::uint64_t tar_size,
                                   unsigned threads) {
  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  auto capped = [&](unsigned cap) { return cap == 0 ? threads : std::min(threads, cap); };
  EncoderMemory memory;

  lzma_options_lzma lzma = xz_lzma_options(settings).value();
  std::array<lzma_filter, 2> filters{{{LZMA_FILTER_LZMA2, &lzma}, {LZMA_VLI_UNKNOWN, nullptr}}};
  if (settings.xz_block_size == 0) {
    memory.xz = lzma_raw_encoder_memusage(filters.data());  // the single-threaded encoder
  } else {
    lzma_mt mt{};
    mt.threads = capped(settings.xz_max_threads);
    mt.block_size = settings.xz_block_size;
    mt.filters = filters.data();
    mt.check = settings.xz_check_none ? LZMA_CHECK_NONE : LZMA_CHECK_CRC64;
    memory.xz = lzma_stream_encoder_mt_memusage(&mt);
  }

  // zstdmt (zstd 1.5): a compression context per worker; the input round buffer, max(window,
  // workers x job) plus two slack jobs; an output buffer per job in flight (one per worker plus
  // one waiting to be flushed). Jobs are 4 x window, at least 1 MiB.
  const ZSTD_compressionParameters cparams =
      ZSTD_getCParams(settings.level(Format::Zst), tar_size == 0 ? ZSTD_CONTENTSIZE_UNKNOWN : tar_size, 0);
  const std::uint64_t workers = capped(settings.zstd_max_workers);
  const std::uint64_t window = 1ull << cparams.windowLog;
  const std::uint64_t job = std::max<std::uint64_t>(1u << 20, 4 * window);
  memory.zstd = workers * ZSTD_estimateCCtxSize_usingCParams(cparams) +
                std::max(window, workers * job) + 2 * job +
                (workers + 1) * ZSTD_compressBound(static_cast<std::size_t>(job));

  // 8 chunks of 1 MiB per format (tar_fanout.cpp).
  memory.queues = manifest::artifact_formats().size() * 8 * (std::uint64_t{1} << 20);
  return memory;
}

std::string profile_levels_help() {
  std::string text;
  for (Profile profile : {Profile::Fast, Profile::Balanced, Profile::Best}) {
    text += std::string(text.empty() ? "" : "; ") + std::string(profile_name(profile)) + ":";
    const CompressionSettings settings = compression_settings(profile, 0);
    for (const auto& format : manifest::artifact_formats()) {
      text += std::string(&format == manifest::artifact_formats().data() ? " " : ", ") +
              std::string(format.name) + " " + std::to_string(settings.level(format.format));
    }
  }
  return text + " (best: xz with a dictionary sized to the tar (max 64 MiB), BT4, one block and "
                "no check, zst on one worker: under 1 GiB of memory)";
}

} // namespace distbuild::builder
