// The path rules for an installed prefix without manifest lists, written from bootstrap's dist
// steps (rust-lang/rust src/bootstrap/src/core/build_steps/dist.rs). First match wins:
//
//   lib/rustlib/{components,rust-installer-version,manifest-*,multirust-*,install.log,
//                uninstall.sh}                      -> nothing (installer/rustup bookkeeping)
//   bin/cargo, etc/bash_completion.d/cargo, share/zsh/site-functions/_cargo,
//   share/man/man1/cargo*, share/doc/cargo/**       -> cargo            (dist::Cargo)
//   bin/{cargo-clippy,clippy-driver}, share/doc/clippy/**    -> clippy-preview  (dist::Clippy)
//   bin/{rustfmt,cargo-fmt}, share/doc/rustfmt/**    -> rustfmt-preview  (dist::Rustfmt)
//   bin/rust-analyzer, share/doc/rust-analyzer/**    -> rust-analyzer-preview
//   bin/{miri,cargo-miri}, share/doc/miri/**         -> miri-preview
//   share/doc/rust/html/**                          -> rust-docs        (dist::Docs, bulk dir)
//   share/doc/rust/json/**                          -> rust-docs-json-preview
//   lib/rustlib/src/**                              -> rust-src, target "*" (dist::Src)
//   lib/rustlib/rustc-src/**                        -> rustc-dev (host)
//   lib/rustlib/<t>/target.json                     -> rust-std-<t>     (a custom target's spec)
//   lib/rustlib/<t>/lib/**                          -> rust-std-<t>     (dist::Std), except
//                                                      compiler crates -> rustc-dev-<t>
//   lib/rustlib/<t>/analysis/**                     -> rust-analysis-<t>
//   lib/rustlib/<t>/bin/llvm-*                      -> llvm-tools-preview-<t>
//   lib/rustlib/<t>/bin/**                          -> rustc-<t> (rust-lld, gcc-ld, rust-objcopy)
//   everything else (bin/*, lib/*.so, lib/rustlib/etc, libexec, share/doc/rust, man pages,
//   etc/target-spec-json-schema.json)               -> rustc (host)   (dist::Rustc)
#include "cross/prefix_rules.hpp"

#include "targets/triple.hpp"

#include <array>
#include <vector>

namespace distbuild::cross {

namespace {

std::vector<std::string_view> split_path(std::string_view rel) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= rel.size()) {
    std::size_t slash = rel.find('/', start);
    if (slash == std::string_view::npos) {
      slash = rel.size();
    }
    if (slash > start) {
      parts.push_back(rel.substr(start, slash - start));
    }
    start = slash + 1;
  }
  return parts;
}

// bin/ names with or without ".exe".
bool is_bin(std::string_view file, std::string_view name) {
  return file == name || (file.size() == name.size() + 4 && file.starts_with(name) &&
                          file.ends_with(".exe"));
}

// Crates of the standard library's dependency graph whose names start with rustc_.
constexpr std::array<std::string_view, 5> k_std_rustc_crates = {
    "rustc_demangle", "rustc_std_workspace_core", "rustc_std_workspace_alloc",
    "rustc_std_workspace_std", "rustc_literal_escaper"};

} // namespace

bool is_compiler_crate_file(std::string_view file_name) {
  if (!file_name.starts_with("librustc_")) {
    return false;
  }
  std::string_view crate = file_name.substr(3);
  crate = crate.substr(0, crate.find('-'));
  crate = crate.substr(0, crate.find('.'));
  for (auto std_crate : k_std_rustc_crates) {
    if (crate == std_crate) {
      return false;
    }
  }
  return true;
}

std::optional<Owner> owner_of_prefix_file(std::string_view rel) {
  const auto parts = split_path(rel);
  if (parts.empty()) {
    return std::nullopt;
  }
  const std::string_view file = parts.back();
  auto under = [&](std::initializer_list<std::string_view> dirs) {
    if (parts.size() <= dirs.size()) {
      return false;
    }
    std::size_t i = 0;
    for (auto dir : dirs) {
      if (parts[i++] != dir) {
        return false;
      }
    }
    return true;
  };
  auto host = [](const char* package) { return Owner{package, ""}; };

  if (under({"lib", "rustlib"}) && parts.size() == 3) {
    if (file == "components" || file == "rust-installer-version" || file == "install.log" ||
        file == "uninstall.sh" || file.starts_with("manifest-") || file.starts_with("multirust-")) {
      return std::nullopt;
    }
  }
  if (parts.size() == 2 && parts[0] == "bin") {
    if (is_bin(file, "cargo")) {
      return host("cargo");
    }
    if (is_bin(file, "cargo-clippy") || is_bin(file, "clippy-driver")) {
      return host("clippy-preview");
    }
    if (is_bin(file, "rustfmt") || is_bin(file, "cargo-fmt")) {
      return host("rustfmt-preview");
    }
    if (is_bin(file, "rust-analyzer")) {
      return host("rust-analyzer-preview");
    }
    if (is_bin(file, "miri") || is_bin(file, "cargo-miri")) {
      return host("miri-preview");
    }
    return host("rustc");
  }
  if (rel == "etc/bash_completion.d/cargo" || rel == "share/zsh/site-functions/_cargo" ||
      (under({"share", "man", "man1"}) && file.starts_with("cargo")) ||
      under({"share", "doc", "cargo"})) {
    return host("cargo");
  }
  if (under({"share", "doc", "clippy"})) {
    return host("clippy-preview");
  }
  if (under({"share", "doc", "rustfmt"})) {
    return host("rustfmt-preview");
  }
  if (under({"share", "doc", "rust-analyzer"})) {
    return host("rust-analyzer-preview");
  }
  if (under({"share", "doc", "miri"})) {
    return host("miri-preview");
  }
  if (under({"share", "doc", "rust", "html"})) {
    return host("rust-docs");
  }
  if (under({"share", "doc", "rust", "json"})) {
    return host("rust-docs-json-preview");
  }
  if (under({"lib", "rustlib", "src"})) {
    return Owner{"rust-src", "*"};
  }
  if (under({"lib", "rustlib", "rustc-src"})) {
    return host("rustc-dev");
  }
  if (parts.size() == 4 && under({"lib", "rustlib"}) && file == "target.json" &&
      targets::parse_triple(parts[2])) {
    return Owner{"rust-std", std::string(parts[2])};
  }
  if (parts.size() >= 5 && under({"lib", "rustlib"}) && targets::parse_triple(parts[2])) {
    const std::string target(parts[2]);
    if (parts[3] == "lib") {
      return Owner{is_compiler_crate_file(file) ? "rustc-dev" : "rust-std", target};
    }
    if (parts[3] == "analysis") {
      return Owner{"rust-analysis", target};
    }
    if (parts[3] == "bin" && parts.size() == 5 && file.starts_with("llvm-")) {
      return Owner{"llvm-tools-preview", target};
    }
    if (parts[3] == "bin") {
      return Owner{"rustc", target};
    }
  }
  return host("rustc");
}

} // namespace distbuild::cross
