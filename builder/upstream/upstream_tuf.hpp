// `mirror --upstream-tuf-root FILE`: the upstream's TUF metadata (served at <upstream>/tuf/)
// walked as a client would (builder/tuf/client.hpp) before anything is mirrored, and every
// upstream channel manifest checked against the targets it vouches for. The manifest pins the
// SHA-256 of every file it references, and each mirrored file is checked against that while it
// downloads, so the whole copy is as fresh and complete as upstream's TUF metadata says.
//
// What the mirror trusted last time is kept in <tree>/.distbuild-tuf/upstream-<id>/ (id: the
// first 16 hex digits of the SHA-256 of the upstream location) once a mirror run has succeeded,
// so an upstream (or whoever sits in between) that serves older metadata than it served before
// is refused: a rollback or freeze relative to what this mirror already holds.
#pragma once

#include "builder/tuf/client.hpp"
#include "builder/upstream/fetch.hpp"

#include <filesystem>
#include <string>

namespace distbuild::builder {

class UpstreamTuf {
public:
  // Throws builder::Error naming <upstream>/tuf and listing every problem of the walk.
  UpstreamTuf(const std::string& upstream, const std::filesystem::path& trusted_root,
              const std::filesystem::path& tree, Fetcher& fetcher);

  // Throws builder::Error naming the target unless `bytes` are what targets.json says it is.
  void check(const std::string& target, const std::string& bytes) const;

  // Keeps this walk as the new "seen before"; called after the mirror succeeded.
  void remember() const;

  // "root version 2, timestamp version 7 (expires …)"
  std::string summary() const;

private:
  std::string m_location;
  std::filesystem::path m_tree;
  std::filesystem::path m_state_dir;
  tuf::ClientResult m_result;
};

} // namespace distbuild::builder
