// write_installer_dir(): the unpacked installer rust-installer leaves in its work dir,
// <work_dir>/<package_name>/, which bootstrap relies on (`x install` runs its install.sh,
// `Tarball::run` walks it). It is written from the very entries the tarball is made of, so the
// directory and the tarball cannot differ: the same names, contents and modes (0755 for
// directories and executables, 0644 otherwise). It is built under a temp name beside its final
// place and renamed over the old one, so a failed run leaves the previous directory, never half
// a new one.
#pragma once

#include "builder/pack/tar_writer.hpp"

#include <filesystem>
#include <vector>

namespace distbuild::builder {

// `entries` all lie under one top directory (pack's plan). Throws builder::Error naming the path.
void write_installer_dir(const std::vector<TarEntry>& entries,
                         const std::filesystem::path& work_dir);

} // namespace distbuild::builder
