// See component_names.hpp. Preference order for the split point: the rest is a triple in the
// target table; else the head is a known package and the rest parses as a triple; else the
// shortest head whose rest parses (a custom target); else the whole name with target "*".
#include "cross/component_names.hpp"

#include "targets/components.hpp"
#include "targets/target_table.hpp"
#include "targets/triple.hpp"

#include <optional>
#include <vector>

namespace distbuild::cross {

namespace {

// A manifest package name (not a tarball name: "clippy" is not a component rustup records).
bool is_known_package(std::string_view package) {
  const auto kind = targets::find_component(package);
  return kind && kind->package == package;
}

} // namespace

PackageTarget parse_component_name(std::string_view name) {
  std::vector<std::size_t> dashes;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] == '-') {
      dashes.push_back(i);
    }
  }
  auto split_at = [&](std::size_t dash) {
    return PackageTarget{std::string(name.substr(0, dash)), std::string(name.substr(dash + 1))};
  };
  for (std::size_t dash : dashes) {
    if (targets::find_target(name.substr(dash + 1))) {
      return split_at(dash);
    }
  }
  for (std::size_t dash : dashes) {
    if (is_known_package(name.substr(0, dash)) && targets::parse_triple(name.substr(dash + 1))) {
      return split_at(dash);
    }
  }
  if (is_known_package(name)) {
    return PackageTarget{std::string(name), "*"};
  }
  for (std::size_t dash : dashes) {
    if (targets::parse_triple(name.substr(dash + 1))) {
      return split_at(dash);
    }
  }
  return PackageTarget{std::string(name), "*"};
}

} // namespace distbuild::cross
