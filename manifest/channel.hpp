// The channel manifest v2 model (`channel-rust-<channel>.toml`, spec section 2) and its TOML
// form. Sketch of what to_toml() writes, in this order:
//
//   manifest-version = "2"                      # a string: rustup rejects the integer 2
//   date = "2026-04-16"
//
//   [pkg.<name>]                                # sorted by name
//   version = "1.95.0 (59807616e 2026-04-14)"   # content of the tarball's `version` file
//   git_commit_hash = "<40 hex>"                # optional; rustup ignores it
//
//   [pkg.<name>.target.<triple>]                # "*" for rust-src; quoted when it holds a '.'
//   available = true
//   url = "https://.../x.tar.gz"      hash = "<64 lowercase hex>"    # each pair optional
//   xz_url = ".../x.tar.xz"           xz_hash = "..."
//   zst_url = ".../x.tar.zst"         zst_hash = "..."
//
//   [[pkg.rust.target.<host>.components]]       # also .extensions; only on `rust` upstream
//   pkg = "rustc"
//   target = "<host>"
//
//   [renames.<old>]
//   to = "<new>"
//
//   [profiles]
//   minimal = ["rustc", "cargo", "rust-std", "rust-mingw"]   # then default, complete
//
//   [[artifacts.<name>.target.<triple>]]        # upstream-only extras (source tarballs, msi)
//   url = "..."
//   hash-sha256 = "..."
//
// The model keeps what the file says, including broken input (a url without its hash, an
// unknown profile key), so that validate() can name every problem instead of the parser
// stopping at the first one. The parser also reads rustup's re-serialisation stored in
// `lib/rustlib/multirust-channel-manifest.toml` (extra `is_extension`, `components = []`).
#pragma once

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::manifest {

// One url/hash pair. Either half may be empty when read from a broken file.
struct ArtifactRef {
  std::string url;
  std::string hash;
  bool operator==(const ArtifactRef&) const = default;
};

struct ComponentRef {
  std::string pkg;
  std::string target;
  bool operator==(const ComponentRef&) const = default;
};

struct TargetEntry {
  bool available = false;
  std::optional<ArtifactRef> gz, xz, zst; // url/hash, xz_url/xz_hash, zst_url/zst_hash
  std::vector<ComponentRef> components, extensions;
  bool operator==(const TargetEntry&) const = default;
};

struct Package {
  std::string version;
  std::optional<std::string> git_commit_hash;
  std::map<std::string, TargetEntry> targets;
  bool operator==(const Package&) const = default;
};

struct ArtifactFile {
  std::string url;
  std::string hash_sha256;
  bool operator==(const ArtifactFile&) const = default;
};

struct Channel {
  std::string date;                                          // YYYY-MM-DD
  std::map<std::string, Package> packages;
  std::map<std::string, std::string> renames;                // old -> new
  std::map<std::string, std::vector<std::string>> profiles;  // minimal/default/complete
  std::map<std::string, std::map<std::string, std::vector<ArtifactFile>>> artifacts; // name -> target -> files
  bool operator==(const Channel&) const = default;
};

// The one exception type of manifest/: "<origin>: <what>", origin being a file name or the
// manifest location ("pkg.rust-std.target.x86_64-unknown-linux-gnu") the problem is about.
class Error : public std::runtime_error {
public:
  Error(const std::string& origin, const std::string& what)
      : std::runtime_error(origin.empty() ? what : origin + ": " + what) {}
};

// Deterministic, byte-stable TOML text (layout in the comment above).
std::string to_toml(const Channel& channel);

// Reads TOML text; throws manifest::Error naming `origin` (and the line, when known). Untrusted
// text is fine: it passes check_toml_input() first (toml_input.hpp: at most
// k_max_manifest_bytes, UTF-8, no code point toml++ mishandles).
Channel parse_channel(std::string_view text, const std::string& origin);

} // namespace distbuild::manifest
