// The pack content cache; see pack_cache.hpp for the key, the layout and why inputs are hashed
// by content.
#include "builder/pack/pack_cache.hpp"

#include "builder/pack/compressor.hpp"
#include "builder/tree/atomic_file.hpp"
#include "builder/tree/disk_usage.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "signing/sha256.hpp"

#include <nlohmann/json.hpp>

#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <tuple>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Bump when anything that shapes the bytes changes without showing in the key's other parts.
constexpr const char* k_cache_format = "distbuild pack cache 1";
constexpr const char* k_entries_dir = "v1";
constexpr const char* k_temp_dir = "tmp";
constexpr const char* k_stat_dir = "stat";
constexpr const char* k_entry_file = "entry.json";
constexpr auto k_stale_temp_age = std::chrono::hours(1);

std::optional<fs::path> env_path(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') {
    return std::nullopt;
  }
  return fs::path(value);
}

bool env_flag_set(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' && std::string_view(value) != "0";
}

std::string random_suffix() {
  std::random_device device;
  return std::to_string(::getpid()) + "-" + std::to_string(device());
}

void remove_quietly(const fs::path& path) {
  std::error_code ignored;
  fs::remove_all(path, ignored);
}

} // namespace

std::optional<fs::path> default_pack_cache_dir() {
  if (auto dir = env_path("DISTBUILD_CACHE_DIR")) {
    return dir;
  }
  if (auto xdg = env_path("XDG_CACHE_HOME")) {
    return *xdg / "distbuild" / "pack";
  }
  if (auto home = env_path("HOME")) {
    return *home / ".cache" / "distbuild" / "pack";
  }
  return std::nullopt;
}

std::optional<fs::path> resolve_pack_cache_dir(const std::optional<fs::path>& explicit_dir,
                                               bool disabled) {
  if (disabled || env_flag_set("DISTBUILD_NO_CACHE")) {
    return std::nullopt;
  }
  if (explicit_dir && !explicit_dir->empty()) {
    return explicit_dir;
  }
  return default_pack_cache_dir();
}

std::string PackCache::key(const std::vector<TarEntry>& entries,
                           const std::vector<Format>& formats, Profile profile,
                           std::int64_t mtime, unsigned threads,
                           const std::optional<fs::path>& stat_index, DigestStats* stats) {
  std::vector<std::string> digests = source_digests(entries, threads, stat_index, stats);
  signing::Sha256 hash;
  // The same text as before the libraries came from the encoders: old cache entries still hit.
  std::string head = std::string(k_cache_format) + "\n" + encoder_libraries() + "formats";
  for (Format format : formats) {
    head += " " + std::string(format_name(format));
  }
  head += "\nprofile " + std::string(profile_name(profile)) + "\nmtime " + std::to_string(mtime) +
          "\n";
  hash.update(head);
  // Paths never contain '\n' (image_scan refuses them), so one line per entry is unambiguous.
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const TarEntry& entry = entries[i];
    std::string line;
    if (entry.kind == TarEntry::Kind::Directory) {
      line = "D " + entry.path + "\n";
    } else {
      const std::string digest = entry.content ? signing::sha256_hex(*entry.content) : digests[i];
      const std::uint64_t size = entry.content ? entry.content->size() : entry.size;
      line = std::string("F ") + (entry.executable ? "x " : "- ") + std::to_string(size) + " " +
             digest + " " + entry.path + "\n";
    }
    hash.update(line);
  }
  return hash.finish_hex();
}

fs::path PackCache::stat_index(const std::string& package_name) const {
  return m_dir / k_stat_dir / signing::sha256_hex(package_name);
}

fs::path PackCache::entry_dir(const std::string& key) const {
  return m_dir / k_entries_dir / key.substr(0, 2) / key;
}

std::optional<TarballSet> PackCache::fetch(const std::string& key, const fs::path& output_stem,
                                           const std::vector<Format>& formats) {
  const fs::path dir = entry_dir(key);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return std::nullopt;
  }
  TarballSet set;
  std::vector<fs::path> linked;
  try {
    nlohmann::json doc = nlohmann::json::parse(read_file(dir / k_entry_file));
    if (doc.at("key").get<std::string>() != key) {
      throw Error(dir, "entry does not match its key");
    }
    set.tar_bytes = doc.at("tar_bytes").get<std::uint64_t>();
    for (Format format : formats) {
      auto recorded = std::find_if(doc.at("files").begin(), doc.at("files").end(),
                                   [&](const nlohmann::json& file) {
                                     return file.at("format").get<std::string>() ==
                                            format_name(format);
                                   });
      if (recorded == doc.at("files").end()) {
        throw Error(dir, "entry lacks " + std::string(format_name(format)));
      }
      PackedFile file;
      file.format = format;
      file.size = recorded->at("size").get<std::uint64_t>();
      file.sha256 = recorded->at("sha256").get<std::string>();
      file.path = output_stem;
      file.path += "." + std::string(format_extension(format));
      // Link first, then check what was linked: a prune racing with us can delete the cache
      // file but not the output's own link, and the bytes, not the record, decide.
      link_or_copy_atomically(dir / format_extension(format), file.path);
      linked.push_back(file.path);
      if (fs::file_size(file.path) != file.size ||
          signing::sha256_file_hex(file.path) != file.sha256) {
        throw Error(file.path, "cached file does not match its recorded hash");
      }
      set.files.push_back(std::move(file));
    }
  } catch (const std::exception&) {
    for (const fs::path& path : linked) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
    remove_quietly(dir);  // corrupt, partial or being pruned: it can only ever miss, so drop it
    return std::nullopt;
  }
  // Last use, for `cache prune --older-than` and the least-recently-used order of --max-size.
  fs::last_write_time(dir / k_entry_file, fs::file_time_type::clock::now(), ec);
  return set;
}

std::optional<std::string> PackCache::store(const std::string& key, const TarballSet& set) {
  const fs::path final_dir = entry_dir(key);
  const fs::path temp = m_dir / k_temp_dir / (key + "." + random_suffix());
  try {
    std::error_code ec;
    if (fs::is_directory(final_dir, ec)) {
      return std::nullopt;  // another run stored the same bytes first
    }
    fs::create_directories(temp);
    nlohmann::json files = nlohmann::json::array();
    for (const PackedFile& file : set.files) {
      link_or_copy_atomically(file.path, temp / format_extension(file.format));
      files.push_back({{"format", std::string(format_name(file.format))},
                       {"size", file.size},
                       {"sha256", file.sha256}});
    }
    nlohmann::json doc{{"key", key}, {"tar_bytes", set.tar_bytes}, {"files", files}};
    write_file_atomically(temp / k_entry_file, doc.dump(2) + "\n");
    fs::create_directories(final_dir.parent_path());
    fs::rename(temp, final_dir, ec);
    if (ec) {
      remove_quietly(temp);
      if (fs::is_directory(final_dir)) {
        return std::nullopt;  // lost a race to an identical entry
      }
      return final_dir.string() + ": cannot add to the pack cache: " + ec.message();
    }
    return std::nullopt;
  } catch (const std::exception& e) {
    remove_quietly(temp);
    return std::string("cannot add to the pack cache: ") + e.what();
  }
}

std::vector<CacheEntryInfo> list_pack_cache(const fs::path& dir) {
  std::vector<CacheEntryInfo> entries;
  std::error_code ec;
  for (fs::directory_iterator shard(dir / k_entries_dir, ec), end; !ec && shard != end;
       shard.increment(ec)) {
    std::error_code inner;
    for (fs::directory_iterator it(shard->path(), inner), stop; !inner && it != stop;
         it.increment(inner)) {
      CacheEntryInfo info;
      info.dir = it->path();
      info.key = it->path().filename().string();
      info.bytes = bytes_under(info.dir);
      std::error_code time_ec;
      info.last_used = fs::last_write_time(info.dir / k_entry_file, time_ec);
      if (time_ec) {
        info.last_used = fs::file_time_type::min();  // incomplete: first to go
      }
      entries.push_back(std::move(info));
    }
  }
  std::sort(entries.begin(), entries.end(), [](const CacheEntryInfo& a, const CacheEntryInfo& b) {
    return std::tie(a.last_used, a.key) < std::tie(b.last_used, b.key);
  });
  return entries;
}

CachePruneResult prune_pack_cache(const fs::path& dir, const CachePruneOptions& options) {
  CachePruneResult result;
  const auto now = fs::file_time_type::clock::now();
  std::error_code ec;
  for (fs::directory_iterator it(dir / k_temp_dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code time_ec;
    auto written = fs::last_write_time(it->path(), time_ec);
    if (options.all || time_ec || now - written > k_stale_temp_age) {
      remove_quietly(it->path());
    }
  }
  if (options.all) {
    remove_quietly(dir / k_stat_dir);  // only ever saves hashing
  }
  std::vector<CacheEntryInfo> entries = list_pack_cache(dir);
  std::uint64_t total = 0;
  for (const CacheEntryInfo& entry : entries) {
    total += entry.bytes;
  }
  for (const CacheEntryInfo& entry : entries) {  // least recently used first
    bool drop = options.all;
    if (options.older_than && now - entry.last_used > *options.older_than) {
      drop = true;
    }
    if (options.max_bytes && total > *options.max_bytes) {
      drop = true;
    }
    if (!drop) {
      ++result.kept_entries;
      result.kept_bytes += entry.bytes;
      continue;
    }
    std::error_code remove_ec;
    fs::remove_all(entry.dir, remove_ec);
    if (remove_ec) {
      throw Error(entry.dir, "cannot remove cache entry: " + remove_ec.message());
    }
    total -= entry.bytes;
    ++result.removed_entries;
    result.removed_bytes += entry.bytes;
  }
  return result;
}

} // namespace distbuild::builder
