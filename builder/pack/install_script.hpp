// install.sh: the standalone POSIX-sh installer every tarball carries (rustup ignores it), a
// drop-in for rust-installer's: the same options (--prefix, --destdir, --components, --without,
// --list-components, --uninstall, --bindir/--libdir/--datadir/--mandir/--docdir/--sysconfdir,
// --disable-ldconfig), messages and records under lib/<rel_manifest_dir>/ (manifest-<component>
// with absolute file:/dir: paths, `components`, `rust-installer-version`, install.log and a copy
// of itself as uninstall.sh, which removes the installation it lives in). The text is
// install_template.sh; render_install_script() only fills in the values.
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
