// `distbuild cache dir|list|prune`: the pack content cache's location, its entries, and removal
// by age or total size (least recently used first). Only flags here; the work is in
// builder/pack_cache.cpp.
#include "builder/cli/commands.hpp"

#include "builder/tree/error.hpp"
#include "builder/pack/pack_cache.hpp"
#include "builder/release/split_slot.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>

namespace distbuild::cli {

namespace fs = std::filesystem;

namespace {

struct CacheFlags {
  std::string dir;
  std::string max_size;
  std::string older_than;
  bool all = false;
};

fs::path cache_dir(const CacheFlags& flags) {
  if (!flags.dir.empty()) {
    return flags.dir;
  }
  if (auto dir = builder::default_pack_cache_dir()) {
    return *dir;
  }
  throw builder::Error(std::string("--cache-dir"),
                       "no cache directory: set HOME or XDG_CACHE_HOME, or pass --cache-dir");
}

void run_prune(const CacheFlags& flags, const Context& ctx) {
  builder::CachePruneOptions options;
  if (!flags.max_size.empty()) {
    options.max_bytes = builder::parse_byte_size(flags.max_size);
    if (!options.max_bytes) {
      throw builder::Error(std::string("--max-size"),
                           "not a size: '" + flags.max_size + "' (e.g. 500M, 20G)");
    }
  }
  if (!flags.older_than.empty()) {
    options.older_than = builder::parse_age(flags.older_than);
    if (!options.older_than) {
      throw builder::Error(std::string("--older-than"),
                           "not an age: '" + flags.older_than + "' (e.g. 90m, 12h, 30d, 2w)");
    }
  }
  options.all = flags.all;
  const fs::path dir = cache_dir(flags);
  builder::CachePruneResult result = builder::prune_pack_cache(dir, options);
  if (options.all) {
    // dist's reused splits (split_slot.hpp): hard links that keep old toolchains on disk.
    builder::remove_idle_split_slots(builder::split_cache_of(dir));
  }
  if (ctx.json) {
    nlohmann::json doc{{"cache_dir", dir.string()},
                       {"removed_entries", result.removed_entries},
                       {"removed_bytes", result.removed_bytes},
                       {"kept_entries", result.kept_entries},
                       {"kept_bytes", result.kept_bytes}};
    std::cout << doc.dump(2) << "\n";
  } else if (!ctx.quiet) {
    std::cout << "removed " << result.removed_entries << " entries (" << result.removed_bytes
              << " bytes), kept " << result.kept_entries << " (" << result.kept_bytes
              << " bytes) in " << dir.string() << "\n";
  }
}

void run_list(const CacheFlags& flags, const Context& ctx) {
  const fs::path dir = cache_dir(flags);
  std::vector<builder::CacheEntryInfo> entries = builder::list_pack_cache(dir);
  if (ctx.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& entry : entries) {
      list.push_back({{"key", entry.key}, {"bytes", entry.bytes}, {"path", entry.dir.string()}});
    }
    std::cout << nlohmann::json{{"cache_dir", dir.string()}, {"entries", list}}.dump(2) << "\n";
    return;
  }
  std::uint64_t total = 0;
  for (const auto& entry : entries) {
    total += entry.bytes;
    if (!ctx.quiet) {
      std::cout << entry.key << "  " << entry.bytes << "\n";
    }
  }
  if (!ctx.quiet) {
    std::cout << entries.size() << " entries, " << total << " bytes in " << dir.string() << "\n";
  }
}

void add_dir_option(CLI::App* sub, CacheFlags& flags) {
  sub->add_option("--cache-dir", flags.dir,
                  "Cache directory (default: $DISTBUILD_CACHE_DIR, else "
                  "$XDG_CACHE_HOME/distbuild/pack, else ~/.cache/distbuild/pack)");
}

} // namespace

void register_cache(CLI::App& app, Context& ctx) {
  auto flags = std::make_shared<CacheFlags>();
  CLI::App* cache = app.add_subcommand(
      "cache", "The pack cache: tarballs of unchanged components that `dist` reuses instead of "
               "compressing again (safe to delete at any time)");
  cache->require_subcommand(1);

  CLI::App* dir = cache->add_subcommand("dir", "Print the cache directory");
  add_dir_option(dir, *flags);
  dir->callback([flags, &ctx] {
    const fs::path path = cache_dir(*flags);
    if (ctx.json) {
      std::cout << nlohmann::json{{"cache_dir", path.string()}}.dump(2) << "\n";
    } else {
      std::cout << path.string() << "\n";
    }
  });

  CLI::App* list = cache->add_subcommand("list", "List the entries, least recently used first");
  add_dir_option(list, *flags);
  list->callback([flags, &ctx] { run_list(*flags, ctx); });

  CLI::App* prune = cache->add_subcommand(
      "prune", "Remove entries unused for a while or beyond a total size (least recently used "
               "first), and leftovers of interrupted runs");
  add_dir_option(prune, *flags);
  prune->add_option("--max-size", flags->max_size,
                    "Keep at most this much, e.g. 20G (powers of 1024)");
  prune->add_option("--older-than", flags->older_than,
                    "Remove entries unused for this long, e.g. 30d, 12h, 2w");
  prune->add_flag("--all", flags->all,
                  "Remove every entry, the stat index and the idle reused splits");
  prune->callback([flags, &ctx] { run_prune(*flags, ctx); });
}

} // namespace distbuild::cli
