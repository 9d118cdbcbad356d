// What `dist --tarballs` needs to know about a packed installer, written by `pack` beside its
// tarballs so that assembling many machines' outputs reads no tarball twice and decompresses none:
//
//   <stem>.facts.json   {"distbuild_facts": 1, "installer": "<stem>",
//                        "components": [...], "version": "...", "git_commit_hash": "...",
//                        "tarballs": [{"file", "format", "size", "sha256",
//                                      "stat": {"dev", "ino", "mtime_ns", "ctime_ns"}}]}
//
// The component facts are what read_installer() would find (the `components` lines, the trimmed
// `version` and `git-commit-hash`); size and SHA-256 are the tarball's. A facts file is never
// trusted blindly. For each tarball:
//   - same size, mtime, ctime, inode and device as when pack wrote it (git's index rule: no
//     write, rename, copy or link can leave all five as they were): taken without being opened;
//   - else the same size: the tarball is hashed once (a copy from another machine, e.g. a CI
//     artifact download, keeps nothing of the stat) and taken only if the hash is the facts';
//   - else, or a hash that differs, or a facts file that is damaged or names another installer:
//     a problem naming both files (the tarball changed after pack wrote it; pack it again, or
//     delete the facts file to have the tarball read as it is). Never a silent fallback.
// A tarball the facts do not list (another format added by hand) is read as before; facts that
// list none of the tarballs present are refused (they would vouch for bytes they never saw).
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/pack.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

// <dir>/<stem>.facts.json
std::filesystem::path facts_path(const std::filesystem::path& dir, const std::string& stem);

// After pack(request) returned `result`: writes the facts of the tarballs just made (atomically,
// replacing an older facts file). Throws builder::Error when it cannot be written.
void write_installer_facts(const PackRequest& request, const PackResult& result);

// One tarball as dist takes it.
struct KnownTarball {
  std::uint64_t size = 0;
  std::string sha256;
  bool read = false;  // hashed now (its stat had changed); false: not opened at all
};

struct UsedFacts {
  std::vector<std::string> components;
  std::optional<std::string> version, git_commit_hash;
  std::map<Format, KnownTarball> tarballs;  // only those of `files` the facts cover
  std::filesystem::path path;               // the facts file
};

// The facts for the tarballs `files` (one installer, by format) found in `dir` under `stem`:
// nullopt when there is no facts file; else the facts, checked as above. Adds a problem (and
// returns nullopt) when they do not hold.
std::optional<UsedFacts> use_installer_facts(const std::filesystem::path& dir,
                                             const std::string& stem,
                                             const std::map<Format, std::filesystem::path>& files,
                                             std::vector<std::string>& problems);

} // namespace distbuild::builder
