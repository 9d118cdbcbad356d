// The one rule for every path that comes from outside distbuild: the tail of a manifest URL, a
// name in SHA256SUMS or a .sha256 line, a tarball entry, a manifest's `date`, an HTTP request
// path. Such a path is normalised and must stay inside the tree, or the input is refused naming
// the file and the value. Fetching (mirror, overlay), extracting, verifying and serving all call
// this, so what one of them accepts the others accept too, and nothing reaches a path join (where
// an absolute right-hand side silently replaces the tree root) without having passed it.
//
// The rule, segment by segment after splitting on '/':
//   - empty and "." segments are dropped ("a//./b" is "a/b"); nothing at all left is refused;
//   - a leading '/' (absolute) and any ".." are refused, never resolved: no input distbuild
//     reads has a reason to climb, so "a/../b" is as suspect as "../b";
//   - NUL, other control characters and '\' are refused (another system's separator);
//   - a segment starting with '.' is refused unless allowed: dot-names in a tree are
//     distbuild's own (the lock, staging and work dirs, .part files);
//   - from a URL, '%', '?' and '#' are refused as well: a server decodes or strips them, so the
//     file written and the file later served under that URL would differ.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::builder {

struct PathRules {
  bool allow_hidden = false;  // tarball entries and HTTP paths (serve hides them itself)
  bool from_url = false;      // '%', '?', '#' refused
  bool single_name = false;   // one file name: SHA256SUMS and .sha256 names, dates
};

enum class PathFault { None, Empty, Absolute, ParentStep, BadCharacter, Hidden, NotAName };

struct CheckedPath {
  std::vector<std::string> segments;  // normalised; complete only when fault == None
  PathFault fault = PathFault::None;
  bool ok() const { return fault == PathFault::None; }
  std::string normal() const;         // segments joined with '/'
};

// Structural faults (Absolute, ParentStep, BadCharacter) win over Hidden wherever they sit, so
// "/.git/../x" is a climb, not merely a hidden name.
CheckedPath check_outside_path(std::string_view text, const PathRules& rules = {});

// "is absolute", "climbs out of the tree with '..'", ... for messages.
std::string fault_text(PathFault fault);

// root / the normalised path; throws builder::Error(source, "<what> '<text>' <fault>") naming the
// input that held it. `what` says what the value is ("URL path", "SHA256SUMS name", ...).
std::filesystem::path path_inside(const std::filesystem::path& root, std::string_view text,
                                  const std::string& source, std::string_view what,
                                  const PathRules& rules = {});

// The part of `url` after `base` + "/" (base without a trailing '/'), or nullopt when the URL
// is not below base. The result still has to pass check_outside_path with from_url.
std::optional<std::string> url_tail(std::string_view url, std::string_view base);

// Creates root/rel_dir (rel_dir already checked) refusing to pass through a symlink or a
// non-directory on the way, so a link planted inside a tree cannot carry a write outside it.
void create_directories_inside(const std::filesystem::path& root,
                               const std::filesystem::path& rel_dir);

} // namespace distbuild::builder
