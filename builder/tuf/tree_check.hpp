// `distbuild verify --tuf-root`: a tree checked as a TUF client sees it (client.hpp), plus what
// only the tree itself can show: every file of the tree is listed in the trusted targets.json
// with its exact length and hashes, every listed file exists, and tuf/root.json is the newest
// <N>.root.json. Every problem is reported by its path relative to the tree ("tuf/timestamp.json",
// "dist/2026-04-16/rustc-….tar.xz"), or by the trusted root's own path.
#pragma once

#include "builder/tuf/expiry.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder::tuf {

struct TreeCheckOptions {
  std::filesystem::path tree;
  // The root.json to trust; unset: the tree's own tuf/1.root.json (which only shows the tree is
  // consistent and fresh, not who made it).
  std::optional<std::filesystem::path> trusted_root;
  // A client's memory (client.hpp): rollbacks against it are refused, and a clean walk is saved.
  std::optional<std::filesystem::path> state_dir;
  Clock::time_point now = Clock::now();
};

struct TreeCheckProblem {
  std::string path;
  std::string problem;
};

struct TreeCheckReport {
  std::vector<TreeCheckProblem> problems;
  std::string trusted_root;  // the file the walk started from
  std::uint64_t root_version = 0, targets_version = 0, snapshot_version = 0,
                timestamp_version = 0;
  std::string timestamp_expires;
  std::size_t targets = 0;  // files checked against targets.json
  bool ok() const { return problems.empty(); }
};

TreeCheckReport check_tree_tuf(const TreeCheckOptions& options);

// True when the tree has TUF metadata (a tuf/ directory).
bool has_tuf_metadata(const std::filesystem::path& tree);

} // namespace distbuild::builder::tuf
