// The shell lines that point rustup at a served tree and install from it, decided from what the
// tree holds, so that pasted as printed into a fresh shell they work (exit 0):
//   export RUSTUP_DIST_SERVER=<origin>
//   export RUSTUP_UPDATE_ROOT=<origin>/rustup       only when the tree can update rustup itself
//   rustup toolchain install <main release> --profile minimal [--no-self-update]
// After installing a toolchain rustup checks for its own update at RUSTUP_UPDATE_ROOT (default
// static.rust-lang.org): pointing it at a tree without rustup/release-stable.toml ends every
// install with a 404 and exit 1, and leaving it unset fails offline; so without a usable rustup/
// tree the install line says --no-self-update and RUSTUP_UPDATE_ROOT is not set. `serve` prints
// these lines; the index page shows the same decisions.
#pragma once

#include "builder/web/index_page.hpp"

#include <string>
#include <vector>

namespace distbuild::builder {

// The tree can serve `rustup self update`: rustup/release-stable.toml names a version and
// rustup/archive/<that version>/ holds a build for at least one triple.
bool offers_self_update(const TreeSummary& summary);

// The toolchain to install: the top-level release named stable, else beta, else nightly, else
// the first one; empty when dist/ has no readable channel manifest.
std::string main_toolchain(const TreeSummary& summary);

struct SetupLines {
  std::string dist_server;  // RUSTUP_DIST_SERVER
  std::string update_root;  // RUSTUP_UPDATE_ROOT, empty when not offered
  std::string install;      // the install command, empty when there is nothing to install
  std::vector<std::string> lines;  // what to paste, in order
};

// `origin` has no trailing slash (rustup appends /dist itself).
SetupLines rustup_setup_lines(const TreeSummary& summary, const std::string& origin);

} // namespace distbuild::builder
