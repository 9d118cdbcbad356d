// Distribution names of triples and "did you mean" for triples (see triple_names.hpp). The table
// is Debian's list of release architectures and ports (dpkg-architecture -L with their GNU
// tuples), each with the triple rustup's host detection picks on such a system (armhf is
// ARMv7, armel ARMv5TE, riscv64 the GC profile).
#include "targets/triple_names.hpp"

#include "targets/target_table.hpp"
#include "targets/triple.hpp"

#include <algorithm>
#include <array>

namespace distbuild::targets {

namespace {

struct DistroName {
  std::string_view tuple;        // GNU multiarch tuple, the lib/<tuple>/ directory
  std::string_view debian_arch;  // dpkg's architecture name
  std::string_view triple;       // rustc's triple
};

constexpr std::array<DistroName, 16> k_distro_names = {{
    {"x86_64-linux-gnu", "amd64", "x86_64-unknown-linux-gnu"},
    {"aarch64-linux-gnu", "arm64", "aarch64-unknown-linux-gnu"},
    {"arm-linux-gnueabihf", "armhf", "armv7-unknown-linux-gnueabihf"},
    {"arm-linux-gnueabi", "armel", "armv5te-unknown-linux-gnueabi"},
    {"i386-linux-gnu", "i386", "i686-unknown-linux-gnu"},
    {"powerpc64le-linux-gnu", "ppc64el", "powerpc64le-unknown-linux-gnu"},
    {"powerpc64-linux-gnu", "ppc64", "powerpc64-unknown-linux-gnu"},
    {"powerpc-linux-gnu", "powerpc", "powerpc-unknown-linux-gnu"},
    {"s390x-linux-gnu", "s390x", "s390x-unknown-linux-gnu"},
    {"riscv64-linux-gnu", "riscv64", "riscv64gc-unknown-linux-gnu"},
    {"mips64el-linux-gnuabi64", "mips64el", "mips64el-unknown-linux-gnuabi64"},
    {"mipsel-linux-gnu", "mipsel", "mipsel-unknown-linux-gnu"},
    {"loongarch64-linux-gnu", "loong64", "loongarch64-unknown-linux-gnu"},
    {"sparc64-linux-gnu", "sparc64", "sparc64-unknown-linux-gnu"},
    {"x86_64-linux-gnux32", "x32", "x86_64-unknown-linux-gnux32"},
    {"m68k-linux-gnu", "m68k", "m68k-unknown-linux-gnu"},
}};

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// Near enough to be a typo: a few edits, fewer for short names.
bool is_near(std::string_view given, std::string_view candidate) {
  const std::size_t limit = std::max<std::size_t>(2, std::min(given.size(), candidate.size()) / 8);
  return edit_distance(given, candidate) <= limit;
}

} // namespace

std::optional<std::string> triple_for_multiarch_dir(std::string_view dir) {
  for (const auto& name : k_distro_names) {
    if (name.tuple == dir) {
      return std::string(name.triple);
    }
  }
  return std::nullopt;
}

std::optional<std::string> triple_for_distro_name(std::string_view name) {
  if (find_target(name)) {
    return std::nullopt;
  }
  for (const auto& entry : k_distro_names) {
    if (entry.tuple == name || entry.debian_arch == name) {
      return std::string(entry.triple);
    }
  }
  // GCC's other spellings of the same systems: <arch>-pc-linux-gnu, <arch>-redhat-linux,
  // <arch>-linux-<env>: rustc's vendor is "unknown".
  auto parsed = parse_triple(name);
  if (!parsed || parsed->os != "linux") {
    return std::nullopt;
  }
  const std::string env = parsed->env.empty() ? "gnu" : parsed->env;
  const std::string candidate = parsed->arch + "-unknown-linux-" + env;
  if (find_target(candidate)) {
    return candidate;
  }
  return std::nullopt;
}

bool holds_triple(const std::vector<std::string>& held, std::string_view triple) {
  return std::find(held.begin(), held.end(), triple) != held.end();
}

std::vector<TripleMatch> match_requested_triples(const std::vector<std::string>& requested,
                                                 const std::vector<std::string>& held) {
  std::vector<TripleMatch> matches;
  for (const auto& given : requested) {
    TripleMatch match;
    match.requested = given;
    match.held = holds_triple(held, given);
    if (!match.held) {
      auto add = [&](const std::string& triple) {
        if (std::find(match.suggestions.begin(), match.suggestions.end(), triple) ==
            match.suggestions.end()) {
          match.suggestions.push_back(triple);
          match.held_suggestion.push_back(holds_triple(held, triple));
        }
      };
      if (auto meant = triple_for_distro_name(given)) {
        match.distro_meaning = *meant;
        add(*meant);
      }
      std::vector<std::pair<std::size_t, std::string>> near;
      for (const auto& triple : held) {
        if (is_near(given, triple)) {
          near.emplace_back(edit_distance(given, triple), triple);
        }
      }
      if (near.empty()) {
        for (const auto& row : known_targets()) {
          if (is_near(given, row.triple)) {
            near.emplace_back(edit_distance(given, row.triple), row.triple);
          }
        }
      }
      std::stable_sort(near.begin(), near.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      for (const auto& [distance, triple] : near) {
        add(triple);
      }
    }
    matches.push_back(std::move(match));
  }
  return matches;
}

} // namespace distbuild::targets
