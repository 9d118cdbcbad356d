// The mirror's TUF client (upstream_tuf.hpp).
#include "builder/upstream/upstream_tuf.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/publish.hpp"
#include "builder/tuf/tree_config.hpp"
#include "signing/digests.hpp"
#include "signing/sha256.hpp"

namespace distbuild::builder {

namespace fs = std::filesystem;

UpstreamTuf::UpstreamTuf(const std::string& upstream, const fs::path& trusted_root,
                         const fs::path& tree, Fetcher& fetcher)
    : m_location(join_location(upstream, "tuf")),
      m_tree(fs::absolute(tree)),
      m_state_dir(m_tree / tuf::k_state_dir /
                  ("upstream-" + signing::sha256_hex(upstream).substr(0, 16))) {
  tuf::ClientOptions options;
  options.trusted_root = read_file(trusted_root);
  options.trusted_root_label = trusted_root.string();
  options.state_dir = m_state_dir;
  m_result = tuf::run_client(options, [&](const std::string& name) {
    return fetcher.get_optional(join_location(m_location, name));
  });
  if (!m_result.ok()) {
    std::string text = "the upstream's TUF metadata does not verify from " +
                       trusted_root.string() + "; nothing was mirrored:";
    for (const auto& problem : m_result.problems) {
      text += "\n  " + (problem.file == options.trusted_root_label
                            ? problem.file
                            : join_location(m_location, problem.file)) +
              ": " + problem.problem;
    }
    throw Error(m_location, text);
  }
}

void UpstreamTuf::check(const std::string& target, const std::string& bytes) const {
  const auto& targets = m_result.targets->targets;
  auto entry = targets.find(target);
  if (entry == targets.end()) {
    throw Error(target, "is not among the upstream's TUF targets (" +
                            join_location(m_location, "targets.json") + ")");
  }
  std::string mismatch = tuf::file_info_mismatch(entry->second, signing::digest_bytes(bytes));
  if (!mismatch.empty()) {
    throw Error(target, "as served: " + mismatch + " in the upstream's TUF targets (" +
                            join_location(m_location, "targets.json") + ")");
  }
}

void UpstreamTuf::remember() const {
  TreeLock lock(m_tree);
  tuf::save_client_state(m_state_dir, m_result);
}

std::string UpstreamTuf::summary() const {
  return "root version " + std::to_string(m_result.root->version) + ", timestamp version " +
         std::to_string(m_result.timestamp->version) + " (expires " +
         m_result.timestamp->expires + ")";
}

} // namespace distbuild::builder
