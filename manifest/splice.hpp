// Editing an upstream channel manifest instead of composing a new one, for overlay and mirror:
//
//   select_targets()  entries outside the hosts/targets a mirror serves become
//                     `available = false` (they stay, so every (pkg, target) the `rust` lists
//                     name still exists: rustup's parse-time rule, spec 2.8); `rust` entries of
//                     unserved hosts are removed (nothing would install there) and so are
//                     [artifacts] of unserved targets.
//   splice_packages() puts locally built packages in: an `available = false` entry is filled, a
//                     target upstream never had (any triple) is added, an available one is
//                     replaced only when asked. Each added target is listed in the `rust` lists
//                     of every host (rust-std: `rustup target add` accepts only listed targets,
//                     spec 2.4), preview tools get their rename.
// Everything else (date, version strings, profiles, renames, the order of upstream's lists) is
// kept as upstream wrote it.
#pragma once

#include "manifest/built_component.hpp"
#include "manifest/channel.hpp"

#include <optional>
#include <string>
#include <vector>

namespace distbuild::manifest {

struct TargetSelection {
  std::vector<std::string> hosts;    // empty: every host
  std::vector<std::string> targets;  // empty: every target; hosts are always targets too
  bool everything() const { return hosts.empty() && targets.empty(); }
};

// (package, target) pairs whose entries were made unavailable, in manifest order.
std::vector<ComponentRef> select_targets(Channel& channel,
                                                   const TargetSelection& selection);

// A built component (a tarball name such as "rustfmt" is accepted as its package; its version
// may be empty) and where it came from, for messages and provenance.
struct AddedPackage : BuiltComponent {
  std::string origin;
};

enum class SpliceAction {
  Added,     // upstream had no entry for this target
  Filled,    // upstream had it as available = false
  Replaced,  // upstream had it available; only with replace
};

std::string_view splice_action_name(SpliceAction action);  // "added", "filled", "replaced"

struct SpliceChange {
  std::string package;
  std::string target;
  SpliceAction action;
  std::string origin;
};

struct SpliceResult {
  Channel channel;
  std::vector<SpliceChange> changes;
  std::vector<std::string> notes;
};

// Throws manifest::Error listing every package that is available upstream when !replace, and
// an upstream manifest without [pkg.rust].
SpliceResult splice_packages(const Channel& upstream,
                             const std::vector<AddedPackage>& added, bool replace);

} // namespace distbuild::manifest
