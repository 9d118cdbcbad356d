// See setup_lines.hpp.
#include "builder/web/setup_lines.hpp"

#include <algorithm>

namespace distbuild::builder {

bool offers_self_update(const TreeSummary& summary) {
  if (!summary.rustup || summary.rustup->version.empty()) {
    return false;
  }
  const auto& archive = summary.rustup->archive;
  return std::any_of(archive.begin(), archive.end(), [&](const auto& entry) {
    return entry.first == summary.rustup->version && !entry.second.empty();
  });
}

namespace {

// A name printed into a line the user pastes into a shell: nothing a shell would interpret.
bool is_plain_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
  });
}

} // namespace

std::string main_toolchain(const TreeSummary& summary) {
  for (const char* channel : {"stable", "beta", "nightly"}) {
    for (const auto& release : summary.top_level) {
      if (release.error.empty() &&
          std::find(release.names.begin(), release.names.end(), channel) != release.names.end()) {
        return channel;
      }
    }
  }
  for (const auto& release : summary.top_level) {
    if (release.error.empty() && !release.names.empty() &&
        is_plain_name(release.names.front())) {
      return release.names.front();
    }
  }
  return "";
}

SetupLines rustup_setup_lines(const TreeSummary& summary, const std::string& origin) {
  SetupLines setup;
  setup.dist_server = origin;
  setup.lines.push_back("export RUSTUP_DIST_SERVER=" + origin);
  const bool self_update = offers_self_update(summary);
  if (self_update) {
    setup.update_root = origin + "/rustup";
    setup.lines.push_back("export RUSTUP_UPDATE_ROOT=" + setup.update_root);
  }
  const std::string toolchain = main_toolchain(summary);
  if (!toolchain.empty()) {
    setup.install = "rustup toolchain install " + toolchain + " --profile minimal" +
                    (self_update ? "" : " --no-self-update");
    setup.lines.push_back(setup.install);
  }
  return setup;
}

} // namespace distbuild::builder
