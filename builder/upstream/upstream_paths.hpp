// Where a file an upstream manifest lists is fetched from, and where it lands in our tree. Both
// come from a URL a possibly hostile upstream wrote, so both go through the one rule for outside
// paths (builder/tree/safe_path.hpp): a URL whose path is absolute after "/dist/"
// ("…/dist//etc/x"), climbs ("…/dist/../x"), hides ("…/dist/.distbuild.lock") or carries URL
// syntax ('%', '?', '#') is refused naming the manifest and the URL, before anything is fetched.
// A remote upstream may not point at local files (file:// or a path) either.
#pragma once

#include <optional>
#include <string>

namespace distbuild::builder {

// Where upstream's files live: the part of the manifest's location before "/dist/". URLs on
// https://static.rust-lang.org are rewritten to it, as rustup rewrites them (spec 3.1).
struct UpstreamServer {
  std::optional<std::string> root;
  bool remote = false;  // the manifest came over http(s)

  // The location to fetch `url` from; throws builder::Error naming `manifest` when the URL's
  // path breaks the rule, or when a remote upstream names a local file.
  std::string source_of(const std::string& url, const std::string& manifest) const;
};

UpstreamServer server_of(const std::string& manifest_location);

// The file's place below dist/ (upstream's layout is kept: "<date>/<name>"); a URL without
// "/dist/" lands in dist/<date>/ under its last segment. Throws builder::Error naming `manifest`
// and the URL when the path breaks the rule.
std::string mirror_path_of(const std::string& url, const std::string& date,
                           const std::string& manifest);

} // namespace distbuild::builder
