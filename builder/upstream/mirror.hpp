// `distbuild mirror`: overlay's machinery (overlay.hpp) with nothing added, once per channel
// asked for. A channel is named as rustup names toolchains (spec 3.2):
//   stable, beta, nightly        dist/channel-rust-<c>.toml, published with its pins
//   1.95.0, 1.95, 1.96.0-beta.3  dist/channel-rust-<v>.toml, that name only
//   nightly-2026-04-16 (any -<date>)  dist/<date>/channel-rust-<c>.toml, dated dir only
// One Fetcher serves every channel, so files shared by two channels are fetched once and its
// statistics tell what a run downloaded (nothing, the second time).
#pragma once

#include "builder/upstream/overlay.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder {

struct ChannelSpec {
  std::string name;                 // "stable", "1.95.0", "nightly"
  std::optional<std::string> date;  // set for "<name>-<date>"
  // Below the server root: "dist/channel-rust-stable.toml", "dist/<date>/channel-rust-nightly.toml".
  std::string manifest_path() const;
};

// Throws builder::Error naming the spec when it is not one of the forms above.
ChannelSpec parse_channel_spec(const std::string& spec);

struct MirrorOptions {
  std::string upstream;    // server root as RUSTUP_DIST_SERVER names it (…/dist is appended), or a tree path
  std::vector<std::string> channels;
  manifest::TargetSelection selection;
  std::optional<std::filesystem::path> upstream_key;
  // The upstream's TUF root to trust (upstream_tuf.hpp): every manifest is checked against the
  // upstream's TUF targets, and older metadata than a previous run trusted is refused.
  std::optional<std::filesystem::path> upstream_tuf_root;
  std::string base_url = k_default_base_url;
  std::filesystem::path out;
  signing::Signer* signer = nullptr;
  bool rotate_keys = false;  // the signer's keys may replace the tree's (tree/tree_keys.hpp)
  std::function<void(const std::string&)> log;
};

struct MirrorResult {
  std::vector<OverlayResult> channels;  // in the order asked
  FetchStats fetch;
  std::string upstream_tuf;  // with upstream_tuf_root: what was verified (UpstreamTuf::summary)
};

MirrorResult run_mirror(const MirrorOptions& options, Fetcher& fetcher);

} // namespace distbuild::builder
