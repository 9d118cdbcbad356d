// install.sh: the standalone POSIX-sh installer every tarball carries (rustup ignores it). It
// installs the package's components into --destdir + --prefix and records what it installed
// under lib/<rel_manifest_dir>/ (manifest-<component> with file:/dir: lines, `components`,
// `rust-installer-version`, and a copy of itself as uninstall.sh), so that --uninstall removes
// exactly that, then the bookkeeping, then the directories left empty.
#pragma once

#include <string>
#include <vector>

namespace distbuild::builder {

struct InstallScriptOptions {
  std::string product_name = "Rust";
  std::string success_message = "Rust is ready to roll.";
  std::string rel_manifest_dir = "rustlib";
  std::vector<std::string> legacy_manifest_dirs = {"rustlib", "cargo"};
};

std::string render_install_script(const InstallScriptOptions& options);

// "a,b" -> {"a","b"}; empty items dropped.
std::vector<std::string> split_comma_list(const std::string& list);

} // namespace distbuild::builder
