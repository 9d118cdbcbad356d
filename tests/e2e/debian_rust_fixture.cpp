// See debian_rust_fixture.hpp. The packages are extracted once per machine (the script keeps a
// stamp); each test gets its own prefix of hard links, cheap even for 300 MB of rlibs.
#include "tests/e2e/debian_rust_fixture.hpp"

#include <cstdlib>
#include <map>
#include <stdexcept>

namespace distbuild::testutil {

namespace {

// Packages whose shared objects cargo needs beside it; the system has none of them.
constexpr const char* k_cargo_libraries[] = {"libgit2-1.5", "libhttp-parser2.9", "libmbedcrypto7",
                                             "libmbedtls14", "libmbedx509-1"};
// libLLVM-14 for armhf and the libraries it links that the cross sysroot
// (/usr/arm-linux-gnueabihf: libc, libgcc_s, libstdc++) does not have.
constexpr const char* k_armhf_llvm_libraries[] = {
    "libllvm14", "libedit2", "libffi8", "libtinfo6", "libxml2", "libz3-4",
    "zlib1g",    "libbsd0",  "libmd0",  "libicu72",  "liblzma5"};

fs::path cache_dir() {
  if (const char* dir = std::getenv("DISTBUILD_TEST_CACHE"); dir != nullptr && *dir != '\0') {
    return dir;
  }
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "distbuild-test";
  }
  const char* home = std::getenv("HOME");
  return fs::path(home != nullptr ? home : "/tmp") / ".cache" / "distbuild-test";
}

// Places `source` (a symlink is followed) at `dest` as a hard link, else a copy.
void place(const fs::path& source, const fs::path& dest) {
  const fs::path real = fs::canonical(source);
  fs::create_directories(dest.parent_path());
  std::error_code ec;
  fs::create_hard_link(real, dest, ec);
  if (ec) {
    fs::copy_file(real, dest);
  }
}

// True for a symlink whose target does not exist (Debian's links to system LLVM tools).
bool dangles(const fs::path& path) {
  std::error_code ec;
  return fs::is_symlink(fs::symlink_status(path, ec)) && !fs::exists(path, ec);
}

void place_dir_files(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(from, ec)) {
    if (entry.is_regular_file() && !dangles(entry.path())) {
      place(entry.path(), to / entry.path().filename());
    }
  }
}

// Places each shared library of a package's lib dirs once, under its loader name: of the names
// a file has (libicuuc.so.72.1, and the links libicuuc.so.72 and libicuuc.so), the shortest
// with a version (".so.") is the soname. Packing one file per library keeps the tarballs small.
void place_libraries(const fs::path& package_root, const std::string& multiarch,
                     const fs::path& lib_dest) {
  std::map<fs::path, fs::path> name_of; // real file -> loader name
  for (const fs::path dir : {package_root / "lib" / multiarch, package_root / "usr/lib" / multiarch}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find(".so.") == std::string::npos || !fs::exists(entry.path())) {
        continue;
      }
      const fs::path real = fs::canonical(entry.path());
      auto [it, inserted] = name_of.emplace(real, entry.path());
      if (!inserted && name.size() < it->second.filename().string().size()) {
        it->second = entry.path();
      }
    }
  }
  for (const auto& [real, named] : name_of) {
    place(real, lib_dest / named.filename());
  }
}

} // namespace

std::string multiarch_dir(DebianArch arch) {
  return arch == DebianArch::Amd64 ? "x86_64-linux-gnu" : "arm-linux-gnueabihf";
}

const DebianRust& DebianRust::get() {
  static const DebianRust instance = [] {
    DebianRust rust;
    const fs::path cache = cache_dir() / "debian-rust-1.63";
    rust.m_root = cache / "root";
    const fs::path script = source_dir() / "scripts" / "fetch-debian-rust.sh";
    ProcessResult fetched;
    try {
      fetched = run_process({"bash", script.string(), cache.string()});
    } catch (const std::exception& e) {
      fetched.err = e.what();
    }
    if (fetched.exit_code != 0) {
      rust.m_problem = "Debian's Rust 1.63 packages (" + script.string() + " " + cache.string() +
                       " failed: " + fetched.err + ")";
    }
    return rust;
  }();
  return instance;
}

fs::path DebianRust::package_dir(const std::string& package, DebianArch arch) const {
  return m_root / (package + (arch == DebianArch::Amd64 ? "_amd64" : "_armhf"));
}

void DebianRust::add_host(const fs::path& prefix, DebianArch arch, bool with_cargo) const {
  const fs::path rustc = package_dir("rustc", arch) / "usr";
  for (const char* tool : {"rustc", "rustdoc"}) {
    place(rustc / "bin" / tool, prefix / "bin" / tool);
  }
  place_dir_files(rustc / "lib/rustlib/etc", prefix / "lib/rustlib/etc");
  place_dir_files(package_dir("libstd-rust-1.63", arch) / "usr/lib" / multiarch_dir(arch),
                  prefix / "lib");
  if (!with_cargo) {
    return;
  }
  if (arch != DebianArch::Amd64) {
    throw std::logic_error("the fixture fetches cargo for amd64 only");
  }
  place(package_dir("cargo", arch) / "usr/bin/cargo", prefix / "bin/cargo");
  for (const char* package : k_cargo_libraries) {
    place_libraries(package_dir(package, arch), multiarch_dir(arch), prefix / "lib");
  }
}

void DebianRust::add_armhf_runtime(const fs::path& prefix) const {
  for (const char* package : k_armhf_llvm_libraries) {
    place_libraries(package_dir(package, DebianArch::Armhf), multiarch_dir(DebianArch::Armhf),
                    prefix / "lib");
  }
}

void DebianRust::add_std(const fs::path& prefix, const std::string& triple, DebianArch arch) const {
  const std::string debian_triple = arch == DebianArch::Amd64 ? k_x86_64_linux : k_armv7_linux;
  const fs::path from = package_dir("libstd-rust-dev", arch) / "usr/lib/rustlib" / debian_triple / "lib";
  const fs::path to = prefix / "lib/rustlib" / triple / "lib";
  fs::create_directories(to);
  // The links' targets are in another package (libstd-rust-1.63), under the same name.
  const fs::path shared = package_dir("libstd-rust-1.63", arch) / "usr/lib" / multiarch_dir(arch);
  for (const auto& entry : fs::directory_iterator(from)) {
    const fs::path name = entry.path().filename();
    if (!fs::is_symlink(entry.symlink_status())) {
      place(entry.path(), to / name);
    } else if (fs::exists(prefix / "lib" / name)) {
      fs::create_symlink(fs::path("../../..") / name, to / name);
    } else {
      place(shared / name, to / name);
    }
  }
}

} // namespace distbuild::testutil
