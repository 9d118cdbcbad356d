// A promote-release input directory in upstream's full shape, small enough for tests: a target
// table of five hosts and four more targets (given as rustc's target-spec JSON, as
// `--target-specs`), and for each package of upstream's list the files a real release has,
// with deliberate gaps that exercise each rule (docs fallback, a tool missing on
// x86_64-unknown-linux-gnu, a host without the combined tarball, nightly-only tools present in
// every channel's input, files upstream has no rule for). Tarballs that are read (version
// files) or installed by rustup on x86_64-unknown-linux-gnu are real installers; the others are
// a few bytes, which is all build-manifest looks at.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <string>

namespace distbuild::testutil {

struct FixtureRelease {
  std::string channel;       // stable, beta, nightly
  std::string label;         // <V> in file names: 1.95.0, beta, nightly
  std::string rust_version;  // the version file of rust/rustc/rust-std...
  std::string git_hash;
  std::string cargo_version, clippy_version, rustfmt_version, tool_version;
};

FixtureRelease fixture_release(const std::string& channel);

inline const std::string k_fixture_date = "2026-04-16";
inline const std::string k_fixture_upload = "https://static.rust-lang.org/dist";

// The fixture's target table in rustc's --print=all-target-specs-json form.
void write_fixture_specs(const fs::path& file);

// Fills `dir` with the release's files.
void make_fixture_release(const fs::path& dir, const FixtureRelease& release);

// A real rust-installer tarball (pack()), the given files under one component, with a `version`
// and (when non-empty) `git-commit-hash`; `formats` among "gz", "xz".
void make_real_installer(const fs::path& dir, const std::string& stem, const std::string& component,
                         const std::map<std::string, std::string>& files,
                         const std::string& version, const std::string& git_hash,
                         const std::vector<std::string>& formats = {"xz"});

// The manifest text with every hash replaced by "<sha256>", after checking each one is the
// SHA-256 of the file its url names in `dir`: what the golden files hold.
std::string mask_checked_hashes(const std::string& toml, const fs::path& dir);

} // namespace distbuild::testutil
