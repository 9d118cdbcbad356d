// See debian_rust_fixture.hpp. The packages are extracted once per machine (the script keeps a
// stamp); each test gets its own prefix of hard links, cheap even for 300 MB of rlibs.
#include "tests/e2e/debian_rust_fixture.hpp"

#include "cross/elf_dynamic.hpp"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <stdexcept>

namespace distbuild::testutil {

namespace {

constexpr const char* k_rust_packages[] = {"rustc", "cargo", "libstd-rust-1.63",
                                           "libstd-rust-dev"};

std::string arch_suffix(DebianArch arch) {
  switch (arch) {
  case DebianArch::Amd64: return "_amd64";
  case DebianArch::Armhf: return "_armhf";
  case DebianArch::Arm64: return "_arm64";
  }
  return "";
}

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

// Places each shared library of a package's lib dirs once, under the name the loader looks
// for: its DT_SONAME (libcurl-gnutls.so.4, not the compatibility link libcurl-gnutls.so.3 that
// points at the same file). Packing one file per library keeps the tarballs small.
void place_libraries(const fs::path& package_root, const std::string& multiarch,
                     const fs::path& lib_dest) {
  std::set<fs::path> placed;  // real files
  for (const fs::path& dir : {package_root / "lib" / multiarch, package_root / "usr/lib" / multiarch}) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.find(".so.") == std::string::npos || !fs::exists(entry.path())) {
        continue;
      }
      const fs::path real = fs::canonical(entry.path());
      const auto dynamic = cross::read_elf_dynamic(real);
      if (!dynamic || dynamic->soname.empty() || !placed.insert(real).second) {
        continue;
      }
      place(real, lib_dest / dynamic->soname);
    }
  }
}

} // namespace

std::string multiarch_dir(DebianArch arch) {
  switch (arch) {
  case DebianArch::Amd64: return "x86_64-linux-gnu";
  case DebianArch::Armhf: return "arm-linux-gnueabihf";
  case DebianArch::Arm64: return "aarch64-linux-gnu";
  }
  return "";
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
  return m_root / (package + arch_suffix(arch));
}

std::vector<std::string> DebianRust::runtime_packages(DebianArch arch) const {
  std::vector<std::string> names;
  const std::string suffix = arch_suffix(arch);
  for (const auto& entry : fs::directory_iterator(m_root)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_directory() || !name.ends_with(suffix)) {
      continue;
    }
    const std::string package = name.substr(0, name.size() - suffix.size());
    if (std::find(std::begin(k_rust_packages), std::end(k_rust_packages), package) ==
        std::end(k_rust_packages)) {
      names.push_back(package);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void DebianRust::unpack_as_debian(const fs::path& root, DebianArch arch) const {
  std::vector<std::string> packages(std::begin(k_rust_packages), std::end(k_rust_packages));
  for (const auto& library : runtime_packages(arch)) {
    packages.push_back(library);
  }
  for (const auto& package : packages) {
    const fs::path from = package_dir(package, arch);
    for (auto it = fs::recursive_directory_iterator(from); it != fs::recursive_directory_iterator();
         ++it) {
      const fs::path dest = root / it->path().lexically_relative(from);
      std::error_code ec;
      if (it->is_symlink()) {
        if (!fs::exists(fs::symlink_status(dest, ec))) {
          fs::create_directories(dest.parent_path());
          fs::create_symlink(fs::read_symlink(it->path()), dest);
        }
      } else if (it->is_directory()) {
        fs::create_directories(dest);
      } else if (!fs::exists(dest, ec)) {
        fs::create_directories(dest.parent_path());
        fs::create_hard_link(it->path(), dest, ec);
        if (ec) {
          fs::copy_file(it->path(), dest);
        }
      }
    }
  }
}

void DebianRust::add_host(const fs::path& prefix, DebianArch arch, bool with_cargo) const {
  const fs::path rustc = package_dir("rustc", arch) / "usr";
  for (const char* tool : {"rustc", "rustdoc"}) {
    place(rustc / "bin" / tool, prefix / "bin" / tool);
  }
  place_dir_files(rustc / "lib/rustlib/etc", prefix / "lib/rustlib/etc");
  place_dir_files(package_dir("libstd-rust-1.63", arch) / "usr/lib" / multiarch_dir(arch),
                  prefix / "lib");
  for (const auto& package : runtime_packages(arch)) {
    place_libraries(package_dir(package, arch), multiarch_dir(arch), prefix / "lib");
  }
  if (!with_cargo) {
    return;
  }
  if (arch == DebianArch::Armhf) {
    throw std::logic_error("the fixture fetches no cargo for armhf");
  }
  place(package_dir("cargo", arch) / "usr/bin/cargo", prefix / "bin/cargo");
}

void DebianRust::add_std(const fs::path& prefix, const std::string& triple, DebianArch arch) const {
  const std::string debian_triple = arch == DebianArch::Amd64   ? k_x86_64_linux
                                    : arch == DebianArch::Armhf ? k_armv7_linux
                                                                : k_aarch64_linux;
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
