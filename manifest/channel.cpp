// Small queries on the channel model that every user of it needs the same way.
#include "manifest/channel.hpp"

namespace distbuild::manifest {

namespace {

bool is_complete(const std::optional<ArtifactRef>& ref) {
  return ref && !ref->url.empty() && !ref->hash.empty();
}

} // namespace

bool is_available(const TargetEntry& entry) {
  return entry.available && (is_complete(entry.gz) || is_complete(entry.xz) || is_complete(entry.zst));
}

} // namespace distbuild::manifest
