// Each rule is one small function appending to the problem list; the comment on each says
// which rustup behaviour it guards against (spec sections 2.3-2.8 and checklist 6).
#include "manifest/validate.hpp"
#include "manifest/toml_text.hpp"
#include "manifest/artifact_format.hpp"

#include <algorithm>

namespace distbuild::manifest {

namespace {

using Problems = std::vector<std::string>;

std::string quoted(std::string_view text) {
  return toml_string(text);
}

bool is_sha256_hex(std::string_view hash) {
  return hash.size() == 64 &&
         std::all_of(hash.begin(), hash.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// rustup parses URLs with the `url` crate, which rejects anything without a scheme
// ("relative URL without a base").
bool is_absolute_url(std::string_view url) {
  std::size_t colon = url.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == url.size()) {
    return false;
  }
  auto scheme_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '-' ||
           c == '.';
  };
  char first = url[0];
  bool alpha = (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
  return alpha && std::all_of(url.begin(), url.begin() + static_cast<std::ptrdiff_t>(colon), scheme_char);
}

bool is_date(std::string_view date) {
  if (date.size() != 10 || date[4] != '-' || date[7] != '-') {
    return false;
  }
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (date[i] < '0' || date[i] > '9') {
      return false;
    }
  }
  int month = (date[5] - '0') * 10 + (date[6] - '0');
  int day = (date[8] - '0') * 10 + (date[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string entry_path(std::string_view pkg, std::string_view target) {
  return toml_path({"pkg", pkg, "target", target});
}

// The entry rustup would use for (pkg, target): a package whose only target is "*" matches
// every target (spec 2.2).
const TargetEntry* find_entry(const Channel& channel, const std::string& pkg, const std::string& target) {
  auto package = channel.packages.find(pkg);
  if (package == channel.packages.end()) {
    return nullptr;
  }
  const auto& targets = package->second.targets;
  if (targets.size() == 1 && targets.begin()->first == "*") {
    return &targets.begin()->second;
  }
  auto entry = targets.find(target);
  return entry == targets.end() ? nullptr : &entry->second;
}

bool lists(const TargetEntry& entry, const std::string& pkg, const std::string& target) {
  auto match = [&](const ComponentRef& ref) { return ref.pkg == pkg && ref.target == target; };
  return std::any_of(entry.components.begin(), entry.components.end(), match) ||
         std::any_of(entry.extensions.begin(), entry.extensions.end(), match);
}

void check_pair(Problems& out, const std::string& path, const std::optional<ArtifactRef>& ref,
                std::string_view url_key, std::string_view hash_key) {
  if (!ref) {
    return;
  }
  std::string url_name(url_key);
  std::string hash_name(hash_key);
  if (ref->url.empty() && ref->hash.empty()) {
    out.push_back(path + ": " + url_name + " and " + hash_name + " are empty");
    return;
  }
  // rustup uses a pair only when both halves are there, so a lone half is silently useless.
  if (ref->hash.empty()) {
    out.push_back(path + ": " + url_name + " without " + hash_name);
  }
  if (ref->url.empty()) {
    out.push_back(path + ": " + hash_name + " without " + url_name);
  }
  if (!ref->url.empty() && !is_absolute_url(ref->url)) {
    out.push_back(path + ": " + url_name + " " + quoted(ref->url) + " is not an absolute URL");
  }
  // rustup compares hashes as strings with its own lowercase hex: uppercase fails the download.
  if (!ref->hash.empty() && !is_sha256_hex(ref->hash)) {
    out.push_back(path + ": " + hash_name + " " + quoted(ref->hash) + " is not 64 lowercase hex digits");
  }
}

void check_refs(Problems& out, const Channel& channel, const std::string& path, std::string_view what,
                const std::vector<ComponentRef>& refs) {
  // rustup's Manifest::validate: "missing package for component ...".
  for (const ComponentRef& ref : refs) {
    std::string prefix = path + ": " + std::string(what) + " " + ref.pkg + " for " + ref.target + ": ";
    if (channel.packages.count(ref.pkg) == 0) {
      out.push_back(prefix + "there is no [" + toml_path({"pkg", ref.pkg}) + "]");
    } else if (find_entry(channel, ref.pkg, ref.target) == nullptr) {
      out.push_back(prefix + "there is no [" + entry_path(ref.pkg, ref.target) + "]");
    }
  }
}

void check_entry(Problems& out, const Channel& channel, const std::string& path, const TargetEntry& entry) {
  for (const auto& format : artifact_formats()) {
    if (format.entry_ref != nullptr) {
      check_pair(out, path, entry.*format.entry_ref, format.url_key, format.hash_key);
    }
  }
  if (entry.available && !is_available(entry)) {
    out.push_back(path + ": available = true without any url/hash pair");
  }
  check_refs(out, channel, path, "component", entry.components);
  check_refs(out, channel, path, "extension", entry.extensions);
}

void check_package(Problems& out, const Channel& channel, const std::string& name, const Package& package) {
  std::string path = toml_path({"pkg", name});
  if (package.targets.empty()) {
    out.push_back(path + ": has no targets");
  }
  if (package.targets.count("*") > 0 && package.targets.size() > 1) {
    out.push_back(path + ": target \"*\" must be the only target");
  }
  for (const auto& [triple, entry] : package.targets) {
    if (name == "rust-src" && triple != "*") {
      out.push_back(path + ": has target " + triple + "; rust-src must have the single target \"*\"");
    }
    check_entry(out, channel, entry_path(name, triple), entry);
  }
}

void check_renames(Problems& out, const Channel& channel) {
  for (const auto& [from, to] : channel.renames) {
    if (channel.packages.count(to) == 0) {
      out.push_back(toml_path({"renames", from}) + ": renamed to " + to + ", but there is no [" +
                    toml_path({"pkg", to}) + "]");
    }
  }
}

void check_profiles(Problems& out, const Channel& channel) {
  // rustup's Profile enum has exactly these variants: any other key fails the whole parse.
  for (const auto& [name, components] : channel.profiles) {
    if (name != "minimal" && name != "default" && name != "complete") {
      out.push_back(toml_path({"profiles", name}) +
                    ": rustup accepts only the profiles minimal, default and complete");
    }
  }
}

// rustup installs every component of the default profile that a host lists and refuses the
// whole install when one of them is unavailable; unlisted ones are silently skipped.
void check_default_profile(Problems& out, const Channel& channel, const std::string& host,
                           const TargetEntry& rust_entry) {
  auto profile = channel.profiles.find("default");
  if (profile == channel.profiles.end()) {
    return;
  }
  for (const std::string& name : profile->second) {
    for (const std::string& target : {host, std::string("*")}) {
      if (!lists(rust_entry, name, target)) {
        continue;
      }
      const TargetEntry* entry = find_entry(channel, name, target);
      if (entry != nullptr && !is_available(*entry)) {
        out.push_back(entry_path("rust", host) + ": default-profile component " + name +
                      " is listed but [" + entry_path(name, target) +
                      "] is not available, so a plain rustup toolchain install fails");
      }
    }
  }
}

void check_rust(Problems& out, const Channel& channel) {
  auto rust = channel.packages.find("rust");
  if (rust == channel.packages.end()) {
    out.push_back("pkg.rust: missing; rustup installs nothing without it (package not found: 'rust')");
    return;
  }
  const auto& hosts = rust->second.targets;
  // Every host that has a compiler must be served, else "target '<host>' not found in channel".
  if (auto rustc = channel.packages.find("rustc"); rustc != channel.packages.end()) {
    for (const auto& [triple, entry] : rustc->second.targets) {
      if (triple != "*" && is_available(entry) && hosts.count(triple) == 0) {
        out.push_back("pkg.rust: no target " + triple + ", although rustc is available for it");
      }
    }
  }
  auto std_package = channel.packages.find("rust-std");
  for (const auto& [host, rust_entry] : hosts) {
    check_default_profile(out, channel, host, rust_entry);
    if (std_package == channel.packages.end() || (rust_entry.components.empty() && rust_entry.extensions.empty())) {
      continue;
    }
    // `rustup target add` only accepts targets the installed manifest lists for the host.
    for (const auto& [target, std_entry] : std_package->second.targets) {
      if (is_available(std_entry) && !lists(rust_entry, "rust-std", target)) {
        out.push_back(entry_path("rust", host) + ": rust-std for " + target +
                      " is available but not listed, so rustup target add " + target + " refuses it");
      }
    }
  }
}

void check_artifacts(Problems& out, const Channel& channel) {
  for (const auto& [name, targets] : channel.artifacts) {
    for (const auto& [triple, files] : targets) {
      for (std::size_t i = 0; i < files.size(); ++i) {
        std::string path = toml_path({"artifacts", name, "target", triple}) + "[" + std::to_string(i) + "]";
        if (!is_absolute_url(files[i].url)) {
          out.push_back(path + ": url " + quoted(files[i].url) + " is not an absolute URL");
        }
        if (!is_sha256_hex(files[i].hash_sha256)) {
          out.push_back(path + ": hash-sha256 " + quoted(files[i].hash_sha256) + " is not 64 lowercase hex digits");
        }
      }
    }
  }
}

} // namespace

std::vector<std::string> validate(const Channel& channel) {
  Problems out;
  if (!is_date(channel.date)) {
    out.push_back("date: " + quoted(channel.date) + " is not YYYY-MM-DD");
  }
  for (const auto& [name, package] : channel.packages) {
    check_package(out, channel, name, package);
  }
  check_rust(out, channel);
  check_renames(out, channel);
  check_profiles(out, channel);
  check_artifacts(out, channel);
  return out;
}

} // namespace distbuild::manifest
