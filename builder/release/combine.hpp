// combine(): merges installer tarballs into one (rust-installer's `combine`, bootstrap's
// `rust-<V>-<target>` installer). Components keep their files and their manifest.in verbatim; the
// order is rustc first, then rust-std*, then the rest in input order (dist.rs `Extended::run`
// passes them so already). The combined install.sh installs them all. `version` and
// `git-commit-hash` are carried over from the first input that has them unless the overlay
// provides its own.
//
// With a work dir, it is left as rust-installer leaves it: every input unpacked at
// <work_dir>/<its top dir>/ (bootstrap reuses them) and the combined installer at
// <work_dir>/<package_name>/. Without one, the inputs are unpacked in a scratch dir that goes.
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
  std::optional<std::filesystem::path> work_dir;     // rust-installer's; default: a scratch dir
  bool write_tarballs = true;                        // false: `--compression-profile no-op`
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
