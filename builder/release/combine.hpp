// combine(): merges installer tarballs into one (rust-installer's `combine`, bootstrap's
// `rust-<V>-<target>` installer). Components keep their files and manifest.in entries; the order
// is rustc first, then rust-std*, then the rest in input order (dist.rs `Extended::run`). The
// combined install.sh installs them all. `version` and `git-commit-hash` are carried over from
// the first input that has them unless the overlay provides its own.
#pragma once

#include "builder/pack/pack.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct CombineRequest {
  std::string package_name;                          // e.g. "rust-1.95.0-x86_64-unknown-linux-gnu"
  std::vector<std::filesystem::path> input_tarballs; // any of gz/xz/zst
  std::optional<std::filesystem::path> overlay_dir;
  std::map<std::string, std::string> overlay_files;
  std::filesystem::path output_dir;
  std::optional<std::filesystem::path> work_dir;     // scratch space; default: the temp dir
  std::vector<Format> formats{Format::Gz, Format::Xz, Format::Zst};
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;
  InstallScriptOptions script;
};

// Throws builder::Error listing every problem with the inputs; no partial outputs on failure.
PackResult combine(const CombineRequest& request);

// 0 for rustc, 1 for rust-std*, 2 for everything else: the combined order.
int combine_rank(const std::string& component);

} // namespace distbuild::builder
