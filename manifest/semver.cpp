// Semver 2.0 parsing and precedence (semver.hpp).
#include "manifest/semver.hpp"

#include <cstdint>
#include <regex>
#include <tuple>
#include <vector>

namespace distbuild::manifest {

namespace {

struct Semver {
  std::uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // dot-separated pre-release identifiers
};

std::optional<Semver> parse_semver(const std::string& text) {
  static const std::regex k_semver(
      R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_semver) || text.size() > 64) {
    return std::nullopt;
  }
  Semver version;
  version.major = std::stoull(match[1].str());
  version.minor = std::stoull(match[2].str());
  version.patch = std::stoull(match[3].str());
  std::string pre = match[4].str();
  for (std::size_t start = 0; !pre.empty() && start <= pre.size();) {
    std::size_t dot = pre.find('.', start);
    if (dot == std::string::npos) {
      dot = pre.size();
    }
    version.pre.push_back(pre.substr(start, dot - start));
    start = dot + 1;
  }
  return version;
}

bool is_number(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Semver 2.0 rule 11: numeric identifiers compare as numbers and sort before alphanumeric ones.
int compare_identifiers(const std::string& a, const std::string& b) {
  if (is_number(a) && is_number(b)) {
    if (a.size() != b.size()) {
      return a.size() < b.size() ? -1 : 1;
    }
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (is_number(a) != is_number(b)) {
    return is_number(a) ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

} // namespace

bool is_semver(const std::string& version) {
  return parse_semver(version).has_value();
}

std::optional<int> compare_versions(const std::string& a, const std::string& b) {
  auto left = parse_semver(a);
  auto right = parse_semver(b);
  if (!left || !right) {
    return std::nullopt;
  }
  auto core = [](const Semver& v) { return std::tuple(v.major, v.minor, v.patch); };
  if (core(*left) != core(*right)) {
    return core(*left) < core(*right) ? -1 : 1;
  }
  if (left->pre.empty() || right->pre.empty()) {
    // A release outranks its pre-releases.
    return left->pre.empty() == right->pre.empty() ? 0 : (left->pre.empty() ? 1 : -1);
  }
  for (std::size_t i = 0; i < std::min(left->pre.size(), right->pre.size()); ++i) {
    if (int order = compare_identifiers(left->pre[i], right->pre[i]); order != 0) {
      return order;
    }
  }
  if (left->pre.size() == right->pre.size()) {
    return 0;
  }
  return left->pre.size() < right->pre.size() ? -1 : 1;
}

} // namespace distbuild::manifest
