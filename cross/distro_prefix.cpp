// See distro_prefix.hpp. Multiarch directory names and the triple each stands for come from
// targets/triple_names.hpp; the paths below are Debian's (also Ubuntu's and their derivatives').
#include "cross/distro_prefix.hpp"

#include "targets/triple_names.hpp"

#include <array>
#include <regex>
#include <vector>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

bool has_toolchain(const fs::path& dir) {
  std::error_code ec;
  return fs::exists(dir / "bin" / "rustc", ec) || fs::is_directory(dir / "lib" / "rustlib", ec);
}

bool has_multiarch_dir(const fs::path& prefix) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(prefix / "lib", ec)) {
    if (entry.is_directory() && targets::triple_for_multiarch_dir(entry.path().filename().string())) {
      return true;
    }
  }
  return false;
}

std::vector<std::string> split(const std::string& rel) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start < rel.size()) {
    std::size_t slash = rel.find('/', start);
    if (slash == std::string::npos) {
      slash = rel.size();
    }
    parts.push_back(rel.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// A Rust dylib as bootstrap names them: lib<crate>-<16 hex>.so (libstd, libtest, librustc_driver).
bool is_rust_dylib(const std::string& name) {
  static const std::regex k_dylib(R"(^lib[a-z0-9_]+-[0-9a-f]{16}\.so$)");
  return std::regex_match(name, k_dylib);
}

bool is_shared_library_name(const std::string& name) {
  return name.ends_with(".so") || name.find(".so.") != std::string::npos;
}

// Docs that belong to Rust's own packages; a distro prefix also has each library package's.
bool is_rust_doc_dir(const std::string& name) {
  static const std::array<std::string_view, 8> k_prefixes = {
      "rust", "cargo", "clippy", "rustfmt", "miri", "libstd-rust", "llvm-tools", "rustc"};
  for (auto prefix : k_prefixes) {
    if (name.starts_with(prefix)) {
      return true;
    }
  }
  return false;
}

} // namespace

LocatedPrefix locate_prefix(const fs::path& from) {
  LocatedPrefix located{from, from, false};
  if (!has_toolchain(from) && has_toolchain(from / "usr")) {
    located.prefix = from / "usr";
    located.distro = true;
  }
  located.distro = located.distro || has_multiarch_dir(located.prefix);
  return located;
}

DistroFile place_distro_file(const std::string& rel, const std::string& host) {
  const auto parts = split(rel);
  if (parts.size() >= 3 && parts[0] == "lib" && parts[1] != "rustlib") {
    const auto triple = targets::triple_for_multiarch_dir(parts[1]);
    if (triple && parts.size() == 3) {
      if (is_rust_dylib(parts[2])) {
        // The host's own runtime libraries belong in lib/; another architecture's are reached
        // through lib/rustlib/<target>/lib links and need no copy here.
        return *triple == host ? DistroFile{DistroPlace::Keep, "lib/" + parts[2]}
                               : DistroFile{DistroPlace::LeaveOut, rel};
      }
      if (is_shared_library_name(parts[2])) {
        return {DistroPlace::Library, parts[2]};
      }
    }
    return {DistroPlace::LeaveOut, rel};  // lib/llvm-14/..., pkgconfig, other packages' data
  }
  if (parts.size() >= 3 && parts[0] == "share" && parts[1] == "doc" && !is_rust_doc_dir(parts[2])) {
    return {DistroPlace::LeaveOut, rel};
  }
  if (parts.size() >= 2 && parts[0] == "share" && (parts[1] == "lintian" || parts[1] == "bug")) {
    return {DistroPlace::LeaveOut, rel};
  }
  if (rel == "share/zsh/vendor-completions/_cargo") {
    return {DistroPlace::Keep, "share/zsh/site-functions/_cargo"};
  }
  if (rel == "share/bash-completion/completions/cargo") {
    return {DistroPlace::Keep, "etc/bash_completion.d/cargo"};
  }
  return {DistroPlace::Keep, rel};
}

std::map<std::string, fs::path> library_pool(const LocatedPrefix& located) {
  std::map<std::string, fs::path> pool;
  std::vector<fs::path> lib_dirs{located.prefix / "lib"};
  if (located.root != located.prefix) {
    lib_dirs.push_back(located.root / "lib");
  }
  const fs::path root = fs::weakly_canonical(located.root);
  for (const auto& lib : lib_dirs) {
    std::error_code ec;
    for (const auto& dir : fs::directory_iterator(lib, ec)) {
      if (!dir.is_directory() || !targets::triple_for_multiarch_dir(dir.path().filename().string())) {
        continue;
      }
      for (const auto& entry : fs::directory_iterator(dir.path(), ec)) {
        const std::string name = entry.path().filename().string();
        std::error_code real_ec;
        const fs::path real = fs::canonical(entry.path(), real_ec);
        const fs::path rel = real.lexically_relative(root);
        if (real_ec || !is_shared_library_name(name) || !fs::is_regular_file(real) ||
            rel.empty() || *rel.begin() == "..") {
          continue;
        }
        pool.emplace(name, real);
      }
    }
  }
  return pool;
}

} // namespace distbuild::cross
