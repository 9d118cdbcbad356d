// What a tree remembers about its TUF setup between runs, in <tree>/.distbuild-tuf/config.json
// (a dot-dir: never served, never listed as a target, never signed):
//   {"keys_dir": "/home/rel/.local/share/distbuild/tuf-keys", "root_keys_dir": "…",
//    "expires": {"root": "365d", "targets": "90d", "snapshot": "7d", "timestamp": "1d"}}
// so `dist`, `sign`, `overlay`, `mirror` and `rustup` find the online keys and periods without
// options of their own. Nothing secret is in it: only where the keys are and for how long each
// role is signed. The same dot-dir holds the hash cache (target_scan.hpp) and, in a mirror, what
// it last trusted of its upstream (client_state.hpp).
#pragma once

#include "builder/tuf/metadata.hpp"

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>

namespace distbuild::builder::tuf {

inline constexpr const char* k_state_dir = ".distbuild-tuf";

struct TreeConfig {
  std::filesystem::path keys_dir;
  std::filesystem::path root_keys_dir;
  std::map<Role, std::chrono::seconds> expires;
};

std::map<Role, std::chrono::seconds> default_expiry();

// The tree's config; a missing file gives the defaults (default_keys_dir(), default_expiry()).
// Throws builder::Error naming the file when it is there but unreadable.
TreeConfig load_tree_config(const std::filesystem::path& tree);
void save_tree_config(const std::filesystem::path& tree, const TreeConfig& config);

} // namespace distbuild::builder::tuf
