// Builders for the shared compose inputs (see example_input.hpp).
#include "tests/manifest/example_input.hpp"

#include "signing/sha256.hpp"
#include "targets/components.hpp"

namespace distbuild::manifest::example {

namespace {

ArtifactRef artifact(const std::string& stem, const std::string& ext) {
  std::string file = stem + ".tar." + ext;
  return ArtifactRef{"https://example.org/dist/2026-04-16/" + file, signing::sha256_hex(file)};
}

} // namespace

BuiltComponent built(const std::string& package, const std::string& target, const std::string& version,
                     const std::vector<std::string>& formats) {
  auto kind = targets::find_component(package);
  std::string stem = kind ? targets::tarball_stem(*kind, "1.95.0", target) : package + "-1.95.0-" + target;
  BuiltComponent component{package, target, version, std::nullopt, std::nullopt, std::nullopt, std::nullopt};
  for (const std::string& ext : formats) {
    if (ext == "gz") {
      component.gz = artifact(stem, ext);
    } else if (ext == "xz") {
      component.xz = artifact(stem, ext);
    } else {
      component.zst = artifact(stem, ext);
    }
  }
  return component;
}

ComposeInput two_host_input() {
  ComposeInput input;
  input.date = "2026-04-16";
  input.channel = "stable";
  input.rust_version = k_rust_version;
  input.git_commit_hash = "59807616e1234567890abcdef1234567890abcde";
  const std::string cargo_version = "0.96.0 (f2d3ce0bd 2026-03-21)";
  input.components = {
      built("rustc", k_x86_64, k_rust_version, {"gz", "xz"}),
      built("rustc", k_armv7, k_rust_version, {"xz"}),
      built("cargo", k_x86_64, cargo_version, {"gz", "xz"}),
      built("cargo", k_armv7, cargo_version, {"xz"}),
      built("rust-std", k_x86_64, k_rust_version, {"gz", "xz"}),
      built("rust-std", k_armv7, k_rust_version, {"xz", "zst"}),
      built("rust-std", k_thumb, k_rust_version, {"xz"}),
      built("rust-docs", k_x86_64, k_rust_version, {"xz"}),
      built("clippy-preview", k_x86_64, "0.1.95", {"xz", "zst"}),
      built("clippy-preview", k_armv7, "0.1.95", {}),
      built("rustfmt", k_x86_64, "1.9.0", {"xz"}), // by tarball name
      built("rust-src", "*", k_rust_version, {"gz", "xz"}),
  };
  input.components[0].git_commit_hash = input.git_commit_hash;
  input.rust_combined[k_x86_64].xz = ArtifactRef{
      "https://example.org/dist/2026-04-16/rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz",
      signing::sha256_hex("rust-1.95.0-x86_64-unknown-linux-gnu.tar.xz")};
  input.artifacts["source-code"]["*"] = {
      ArtifactFile{"https://example.org/dist/2026-04-16/rustc-1.95.0-src.tar.xz",
                   signing::sha256_hex("rustc-1.95.0-src.tar.xz")},
  };
  return input;
}

ComposeInput one_host_input() {
  ComposeInput input;
  input.date = "2026-04-16";
  input.channel = "stable";
  input.rust_version = k_rust_version;
  input.components = {
      built("rustc", k_x86_64, k_rust_version, {"xz"}),
      built("cargo", k_x86_64, "0.96.0 (f2d3ce0bd 2026-03-21)", {"xz"}),
      built("rust-std", k_x86_64, k_rust_version, {"xz"}),
      built("rust-std", k_thumb, k_rust_version, {"xz"}),
      built("rust-docs", k_x86_64, k_rust_version, {"xz"}),
      built("clippy-preview", k_x86_64, "0.1.95", {"xz"}),
      built("rustfmt-preview", k_x86_64, "1.9.0", {"xz"}),
      built("rust-src", "*", k_rust_version, {"xz"}),
  };
  return input;
}

} // namespace distbuild::manifest::example
