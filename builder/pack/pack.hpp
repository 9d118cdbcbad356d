// Installer tarballs in rust-installer's format version 3, the only kind rustup installs
// (dist-format.md 1.2-1.7):
//
//   <package_name>/                      one top directory = file name without .tar.*
//   ├── rust-installer-version           "3\n"
//   ├── components                       one component per line (rustc first when combined)
//   ├── install.sh                       standalone installer (install_script.hpp)
//   ├── <overlay files>                  version, git-commit-hash, licences (not installed)
//   └── <component>/
//       ├── manifest.in                  sorted `file:<path>` / `dir:<bulk dir>` lines
//       └── <image files>                the install-prefix layout (bin/, lib/, share/ ...)
//
// pack() checks every input first (image_scan.hpp), then writes `<package_name>.tar.{gz,xz,zst}`
// in one pass (tar_fanout.hpp). The bytes depend only on the file contents, their names and
// owner-execute bits, the mtime and the profile: never on thread count, read order, umask,
// input mtimes or the machine.
#pragma once

#include "builder/pack/compress_profile.hpp"
#include "builder/pack/install_script.hpp"
#include "builder/pack/source_digests.hpp"
#include "builder/tree/progress.hpp"
#include "builder/pack/tar_fanout.hpp"

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::builder {

struct ComponentImage {
  std::string component;                 // `components` line and dir name
  std::filesystem::path image_dir;       // install-prefix layout (bin/, lib/, share/ ...)
  std::vector<std::string> bulk_dirs;    // relative dirs written as one `dir:` entry each
};

inline constexpr std::int64_t k_default_mtime = 1153704088;

struct PackRequest {
  std::string package_name;                          // top dir + file stem
  std::vector<ComponentImage> components;            // one for pack; several for combine
  // Prepared components (combine), by name: the image_dir already holds this manifest.in, which
  // is shipped verbatim instead of a generated one (bulk_dirs are then unused). Every line must
  // name a file or directory of the image.
  std::map<std::string, std::string> prepared_manifests;
  std::optional<std::filesystem::path> overlay_dir;  // non-installed files copied to the top dir
  std::map<std::string, std::string> overlay_files;  // generated non-installed files
  std::filesystem::path output_dir;
  std::vector<Format> formats{Format::Gz, Format::Xz, Format::Zst};
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;                              // 0 = all cores
  bool dereference = false;                          // resolve symlinks inside the image
  InstallScriptOptions script;
  // Content cache (pack_cache.hpp): an unchanged input is linked from it instead of packed.
  std::optional<std::filesystem::path> cache_dir;
  // Told the tar bytes written as they go (progress.hpp); null: nothing reported.
  ProgressSink* progress = nullptr;
  // rust-installer's work dir: the installer is also left unpacked at <work_dir>/<package_name>/
  // (installer_dir.hpp), replacing what was there.
  std::optional<std::filesystem::path> work_dir;
  // false: rust-installer's `--compression-profile no-op`: the work dir only, no tarball.
  bool write_tarballs = true;
};

struct PackResult {
  std::vector<PackedFile> files;
  std::uint64_t tar_bytes = 0;
  std::vector<std::string> dereferenced;  // "<component>/<rel>" of symlinks stored as files
  bool from_cache = false;                // taken from the content cache, nothing compressed
  std::optional<std::string> cache_note;  // why the result could not be cached (not an error)
  DigestStats inputs;                     // with a cache: input files known by stat / hashed
};

// Throws builder::Error listing every input problem; no partial outputs on failure.
PackResult pack(const PackRequest& request);

// The archive entries pack() would write, in archive order, without writing anything (tests,
// dry runs). Throws like pack().
std::vector<TarEntry> plan_pack(const PackRequest& request, PackResult* dereferenced = nullptr);

// `<pkg>-<version>-<target>`, or `<pkg>-<version>` for the target "*".
std::string package_file_stem(std::string_view pkg, std::string_view version,
                              std::string_view target);

// Tarballs a prepared installer directory as is (rust-installer's `tarball --input`): the
// directory's own name becomes the top dir. Writes `<output_prefix>.tar.<ext>`.
struct TarballRequest {
  std::filesystem::path input_dir;
  std::filesystem::path output_prefix;
  std::vector<Format> formats{Format::Gz, Format::Xz};
  Profile profile = Profile::Balanced;
  std::int64_t mtime = k_default_mtime;
  unsigned threads = 0;
};
PackResult tarball_directory(const TarballRequest& request);

} // namespace distbuild::builder
