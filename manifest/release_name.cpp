// The release-name grammar and the names derived from it (release_name.hpp).
#include "manifest/release_name.hpp"

#include "manifest/channel.hpp"

#include <chrono>
#include <regex>

namespace distbuild::manifest {

namespace {

const std::regex& stable_pin() {
  static const std::regex k_stable(R"(^[0-9]+\.[0-9]+(\.[0-9]+)?$)");
  return k_stable;
}

const std::regex& beta_pin() {
  static const std::regex k_beta(R"(^[0-9]+\.[0-9]+(\.[0-9]+)?-beta(\.[0-9]+)?$)");
  return k_beta;
}

const std::string k_prefix = "channel-rust-";

} // namespace

bool is_channel(const std::string& name) {
  return name == "stable" || name == "beta" || name == "nightly";
}

std::optional<ReleaseName> parse_release_name(const std::string& text) {
  static const std::regex k_name(
      R"(^(stable|beta|nightly|[0-9]+\.[0-9]+(\.[0-9]+)?(-beta(\.[0-9]+)?)?)(-([0-9]{4}-[0-9]{2}-[0-9]{2}))?$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_name)) {
    return std::nullopt;
  }
  ReleaseName name{match[1].str(), std::nullopt};
  if (match[6].matched) {
    if (!is_valid_date(match[6].str())) {
      return std::nullopt;
    }
    name.date = match[6].str();
  }
  return name;
}

std::optional<std::string> channel_of_version(const std::string& version) {
  static const std::regex k_version(
      R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-beta(\.(0|[1-9][0-9]*))?|-nightly)?$)");
  std::smatch match;
  if (!std::regex_match(version, match, k_version)) {
    return std::nullopt;
  }
  if (!match[4].matched) {
    return "stable";
  }
  return match[4].str() == "-nightly" ? "nightly" : "beta";
}

std::optional<std::string> channel_of_name(const std::string& name) {
  if (is_channel(name)) {
    return name;
  }
  if (std::regex_match(name, stable_pin())) {
    return "stable";
  }
  if (std::regex_match(name, beta_pin())) {
    return "beta";
  }
  return std::nullopt;
}

std::vector<std::string> pins_for(const std::string& channel, const std::string& version) {
  std::vector<std::string> names{channel};
  static const std::regex k_release(R"(^([0-9]+)\.([0-9]+)\.([0-9]+)(-beta(\.[0-9]+)?)?$)");
  std::smatch match;
  if (channel == "nightly" || !std::regex_match(version, match, k_release)) {
    return names;
  }
  std::string major_minor = match[1].str() + "." + match[2].str();
  std::string full = major_minor + "." + match[3].str();
  if (channel == "stable") {
    names.push_back(full);
    names.push_back(major_minor);
  } else if (channel == "beta") {
    if (match[5].matched) {
      names.push_back(version);  // 1.96.0-beta.3
    }
    names.push_back(full + "-beta");
    names.push_back(major_minor + "-beta");
  }
  return names;
}

bool is_exact_pin(const std::string& name) {
  static const std::regex k_exact_pin(R"(^[0-9]+\.[0-9]+\.[0-9]+(-beta\.[0-9]+)?$)");
  return std::regex_match(name, k_exact_pin);
}

bool is_stable_pin(const std::string& name) { return std::regex_match(name, stable_pin()); }

bool is_beta_pin(const std::string& name) { return std::regex_match(name, beta_pin()); }

std::optional<std::string> after_release_label(const std::string& text) {
  static const std::regex k_label(
      R"(^(nightly|beta|[0-9]+\.[0-9]+\.[0-9]+(-beta(\.[0-9]+)?)?(-dev)?)-(.+)$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_label)) {
    return std::nullopt;
  }
  return match[5].str();
}

std::string manifest_file(const std::string& name) { return k_prefix + name + ".toml"; }

std::string date_file(const std::string& name) { return k_prefix + name + "-date.txt"; }

std::string git_hash_file(const std::string& name) {
  return k_prefix + name + "-git-commit-hash.txt";
}

std::vector<std::string> release_files(const std::string& name, bool with_git_hash) {
  std::vector<std::string> files{date_file(name)};
  if (with_git_hash) {
    files.push_back(git_hash_file(name));
  }
  files.push_back(manifest_file(name));
  return files;
}

std::optional<std::string> name_of_manifest_file(const std::string& file) {
  static const std::regex k_name(R"(^channel-rust-(.+)\.toml$)");
  std::smatch match;
  if (!std::regex_match(file, match, k_name)) {
    return std::nullopt;
  }
  return match[1].str();
}

bool is_valid_date(const std::string& date) {
  static const std::regex k_date(R"(^([0-9]{4})-([0-9]{2})-([0-9]{2})$)");
  std::smatch match;
  if (!std::regex_match(date, match, k_date)) {
    return false;
  }
  std::chrono::year_month_day ymd{std::chrono::year{std::stoi(match[1].str())},
                                  std::chrono::month{unsigned(std::stoi(match[2].str()))},
                                  std::chrono::day{unsigned(std::stoi(match[3].str()))}};
  return ymd.ok();
}

ReleaseOrder release_order(const Channel& channel, const std::string& channel_name) {
  int major = 0, minor = 0, patch = 0;
  auto rust = channel.packages.find("rust");
  if (rust != channel.packages.end()) {
    static const std::regex k_version(R"(^([0-9]+)\.([0-9]+)\.([0-9]+))");
    std::smatch match;
    if (std::regex_search(rust->second.version, match, k_version)) {
      major = std::stoi(match[1].str());
      minor = std::stoi(match[2].str());
      patch = std::stoi(match[3].str());
    }
  }
  if (channel_name == "nightly") {
    return {channel.date, major, minor, patch, ""};
  }
  return {"", major, minor, patch, channel.date};
}

} // namespace distbuild::manifest
