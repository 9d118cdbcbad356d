// Small staged inputs for dist tests: fake but well-formed component images (a shell-script
// `rustc` that prints its version), cheap enough to build many trees, real enough for rustup.
#pragma once

#include "tests/testutil/testutil.hpp"

#include <string>

namespace distbuild::testutil {

// <stage>/rustc/<host>/bin/rustc (script printing "rustc <version_text>"),
// <stage>/rust-std/<target>/lib/rustlib/<target>/lib/libstd-fake.rlib,
// <stage>/cargo/<host>/bin/cargo, each with a .overlay/version file.
void make_fake_stage(const fs::path& stage, const std::string& host,
                     const std::string& version_text,
                     const std::vector<std::string>& std_targets = {});

// An x86_64 toolchain as rustup installs one (rustc and rust-std, component lists, the stored
// manifest dated `date`), its rustc a script printing 1.94.0.
void make_fake_toolchain(const fs::path& dir, const std::string& date);

// Every file below root with its SHA-256: a tree's fingerprint for "untouched" checks.
std::map<std::string, std::string> snapshot_tree(const fs::path& root);

} // namespace distbuild::testutil
