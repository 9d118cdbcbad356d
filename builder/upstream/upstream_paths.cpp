// UpstreamServer and mirror_path_of(): upstream URLs through the rule of safe_path.hpp.
#include "builder/upstream/upstream_paths.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/safe_path.hpp"
#include "builder/upstream/fetch.hpp"

#include <string_view>

namespace distbuild::builder {

namespace {

// rustup rewrites this prefix to RUSTUP_DIST_SERVER (spec 3.1); so do we, to the upstream server.
constexpr std::string_view k_static_server = "https://static.rust-lang.org";

// The normalised `path`, or an error naming the manifest, the URL and what is wrong.
std::string checked(std::string_view path, const std::string& url, const std::string& manifest,
                    PathRules rules) {
  rules.from_url = true;
  CheckedPath result = check_outside_path(path, rules);
  if (!result.ok()) {
    throw Error(manifest, "URL " + url + " is refused: its path '" + std::string(path) + "' " +
                              fault_text(result.fault));
  }
  return result.normal();
}

} // namespace

std::string UpstreamServer::source_of(const std::string& url, const std::string& manifest) const {
  if (root && url.rfind(std::string(k_static_server) + "/", 0) == 0) {
    // The whole path, not only the part below /dist/: it is joined to our upstream's root.
    std::string_view path = std::string_view(url).substr(k_static_server.size() + 1);
    return *root + "/" + checked(path, url, manifest, {});
  }
  if (remote && local_path_of(url)) {
    throw Error(manifest, "URL " + url + " is refused: a remote upstream may not point at local "
                          "files");
  }
  return url;
}

UpstreamServer server_of(const std::string& manifest_location) {
  UpstreamServer server;
  server.remote = !local_path_of(manifest_location).has_value();
  auto pos = manifest_location.rfind("/dist/");
  if (pos != std::string::npos) {
    server.root = manifest_location.substr(0, pos);
  }
  return server;
}

std::string mirror_path_of(const std::string& url, const std::string& date,
                           const std::string& manifest) {
  auto pos = url.find("/dist/");
  if (pos == std::string::npos) {
    std::string name = url.substr(url.find_last_of('/') + 1);
    PathRules rules;
    rules.single_name = true;
    return checked(date, url, manifest, rules) + "/" + checked(name, url, manifest, rules);
  }
  return checked(std::string_view(url).substr(pos + 6), url, manifest, {});
}

} // namespace distbuild::builder
