// The rustup self-update tree (spec 3.5), next to dist/ in the same root, so a mirror pins
// rustup itself as well as the toolchains:
//
//   <root>/rustup/release-stable.toml                  schema-version = "1"\nversion = "<v>"\n
//   <root>/rustup/archive/<v>/<triple>/rustup-init[.exe]   what `rustup self update` fetches
//   <root>/rustup/dist/<triple>/rustup-init[.exe]          the newest one, for rustup-init.sh
//   each with <file>.sha256 (and <file>.asc when signed)
//
// `rustup self update` reads RUSTUP_UPDATE_ROOT/release-stable.toml and, when the version there
// differs from its own, downloads archive/<version>/<its build triple>/rustup-init and runs it;
// it checks no hash or signature (those are for people and mirrors). So the rules here are:
//   - an archived version never changes: republishing it with other bytes is refused;
//   - release-stable.toml and dist/<triple>/ only ever move forward (semver order), so
//     publishing an older rustup for another triple cannot downgrade anyone;
//   - release-stable.toml is written last, when the binary it names is in place.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::signing {
class Signer;
}

namespace distbuild::builder {

struct RustupPublishOptions {
  std::filesystem::path tree;
  std::filesystem::path binary;       // the rustup-init to publish (a copy of rustup works)
  std::string version;                // semver: 1.29.0, 1.30.0-beta.1
  std::string target;                 // its build triple
  signing::Signer* signer = nullptr;  // must be the tree's key when the tree is signed
  bool rotate_keys = false;           // ... unless the keys change (tree/tree_keys.hpp)
};

struct RustupPublishedFile {
  std::filesystem::path path;
  std::uint64_t size = 0;
  std::string sha256;
  bool signed_file = false;  // <path>.asc written
};

struct RustupPublishResult {
  std::filesystem::path tree;
  std::string version, target;
  RustupPublishedFile archived;                 // archive/<v>/<triple>/rustup-init
  std::optional<RustupPublishedFile> latest;    // dist/<triple>/rustup-init, when it moved
  RustupPublishedFile release_file;             // release-stable.toml as it now is
  std::string release_version;                  // the version release-stable.toml names
  bool release_updated = false;
  std::vector<std::string> notes;
  std::string signing_fingerprint;
};

// Places the binary and its sidecars, moves release-stable.toml forward when this version is
// the newest, and refreshes index.html. Throws builder::Error naming the file or option at
// fault; nothing is written when an input is wrong.
RustupPublishResult publish_rustup(const RustupPublishOptions& options);

// "rustup-init" or "rustup-init.exe" for a triple.
std::string rustup_init_name(const std::string& target);

} // namespace distbuild::builder
