// Shared by the hostile-input tests (issue 18): an unsigned tree made by the real `dist` from a
// fake stage, and the tools to tamper with it the way an attacker would while keeping every
// checksum consistent, so that the one hostile thing is all that is left for `verify` to find.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::testutil {

inline const std::string k_hostile_host = "x86_64-unknown-linux-gnu";
inline const std::string k_hostile_date = "2026-04-16";

// <dir>/tree: `dist` of a fake stage (rustc, rust-std, cargo), formats gz and zst, unsigned.
fs::path make_unsigned_tree(const fs::path& dir);

// The cargo tarball of that tree ("gz" or "zst"), below dist/<date>/.
std::string cargo_tarball(const std::string& format);

// Replaces `from` by `to` in every channel-rust-*.toml of dist/ and dist/<date>/ (top-level
// and dated copies stay equal).
void edit_manifests(const fs::path& tree, const std::string& from, const std::string& to);

// Rewrites every .sha256 of dist/ and dist/<date>/ and their SHA256SUMS (+ .sha256) from the
// bytes now there: whatever was tampered with is consistent again.
void reseal(const fs::path& tree);

// Runs argv under /usr/bin/time -v; the peak resident memory of the run in KiB (nullopt when
// time did not report it).
std::optional<std::uint64_t> peak_rss_kib(const ProcessResult& timed);
ProcessResult run_timed_distbuild(const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env = {});

} // namespace distbuild::testutil
