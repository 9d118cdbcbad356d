// What `distbuild overlay` and `distbuild mirror` (cmd_overlay.cpp, cmd_mirror.cpp) share: the
// upstream options and the JSON form of their results, which both print.
#pragma once

#include "builder/cli/commands.hpp"
#include "builder/upstream/mirror.hpp"
#include "builder/upstream/overlay.hpp"

#include <nlohmann/json.hpp>

namespace distbuild::cli {


nlohmann::json overlay_result_json(const builder::OverlayResult& result);
nlohmann::json fetch_stats_json(const builder::FetchStats& stats);

// --hosts/--targets/--upstream-key/--base-url/--retries, shared by both commands.
struct UpstreamCli {
  std::vector<std::string> hosts, targets;
  std::optional<std::filesystem::path> upstream_key;
  std::string base_url = builder::k_default_base_url;
  int attempts = 4;
};
void add_upstream_options(CLI::App* sub, UpstreamCli& cli);
builder::FetchOptions fetch_options(const UpstreamCli& cli, const Context& ctx);

} // namespace distbuild::cli
