// run_mirror(): one overlay run per channel spec, with nothing to add.
#include "builder/upstream/mirror.hpp"

#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/upstream/upstream_tuf.hpp"
#include "manifest/release_name.hpp"


namespace distbuild::builder {

std::string ChannelSpec::manifest_path() const {
  return "dist/" + (date ? *date + "/" : std::string()) + manifest::manifest_file(name);
}

ChannelSpec parse_channel_spec(const std::string& spec) {
  auto name = manifest::parse_release_name(spec);
  if (!name) {
    throw Error(std::string("--channels"),
                "'" + spec + "' is not a channel (stable, beta, nightly, 1.95.0, 1.95, "
                "1.96.0-beta.3, optionally followed by -YYYY-MM-DD)");
  }
  return {name->name, name->date};
}

MirrorResult run_mirror(const MirrorOptions& options, Fetcher& fetcher) {
  if (options.channels.empty()) {
    throw Error(std::string("--channels"), "name at least one channel to mirror");
  }
  std::vector<ChannelSpec> specs;
  for (const auto& text : options.channels) {
    specs.push_back(parse_channel_spec(text));  // all checked before anything is fetched
  }
  MirrorResult result;
  std::optional<UpstreamTuf> upstream_tuf;
  if (options.upstream_tuf_root) {
    upstream_tuf.emplace(options.upstream, *options.upstream_tuf_root, options.out, fetcher);
    result.upstream_tuf = upstream_tuf->summary();
  }
  for (const auto& spec : specs) {
    OverlayOptions overlay;
    overlay.upstream = join_location(options.upstream, spec.manifest_path());
    overlay.upstream_key = options.upstream_key;
    overlay.selection = options.selection;
    overlay.update_top_level = !spec.date.has_value();
    overlay.base_url = options.base_url;
    overlay.out = options.out;
    overlay.signer = options.signer;
    overlay.rotate_keys = options.rotate_keys;
    overlay.log = options.log;
    if (upstream_tuf) {
      overlay.check_upstream_manifest = [&upstream_tuf, target = spec.manifest_path()](
                                            const std::string& bytes) {
        upstream_tuf->check(target, bytes);
      };
    }
    result.channels.push_back(run_overlay(overlay, fetcher));
  }
  if (upstream_tuf) {
    upstream_tuf->remember();
  }
  result.fetch = fetcher.stats();
  return result;
}

} // namespace distbuild::builder
