// See input_checks.hpp. The order matters only for messages: the channel is settled first
// (given, else the inputs' version's), then the version against it, then the date.
#include "builder/release/input_checks.hpp"

#include "builder/release/input_version.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "manifest/release_name.hpp"


namespace distbuild::builder {

namespace {

const char* k_version_forms = "X.Y.Z for stable, X.Y.Z-beta.N for beta, X.Y.Z-nightly for nightly";

std::string what_channel_needs(const std::string& channel) {
  if (channel == "beta") {
    return "a beta version is X.Y.Z-beta or X.Y.Z-beta.N";
  }
  if (channel == "nightly") {
    return "a nightly version is X.Y.Z-nightly";
  }
  return "a stable version is X.Y.Z";
}

// "" when `version` is a release version, else why it is not (with the likely meant one).
std::string rust_version_problem(const std::string& version) {
  if (manifest::channel_of_version(version)) {
    return "";
  }
  std::string text = "'" + version + "' is not a Rust version (" + k_version_forms + ")";
  const auto start = version.find_first_not_of("vV");
  const std::string trimmed = start == std::string::npos ? version : version.substr(start);
  if (trimmed != version && manifest::channel_of_version(trimmed)) {
    text += "; did you mean " + trimmed + "?";
  }
  return text;
}

std::string channel_of_version(const std::string& version) {
  if (version == "nightly") {
    return "nightly";
  }
  return manifest::channel_of_version(version).value_or("stable");
}

} // namespace

CheckedInputs gather_and_check(const GatherOptions& inputs, const ReleaseRequest& request) {
  CheckedInputs checked;
  std::vector<std::string> problems;
  GatherFacts facts;
  checked.sources = collect_sources(inputs, facts, problems);
  check_has_rustc(checked.sources, problems);
  checked.warnings = facts.warnings;
  checked.notes = facts.notes;
  const auto found = find_input_version(checked.sources);
  const std::string found_number = found ? found->number() : "";
  const bool found_valid = found && rust_version_problem(found_number).empty();

  // --channel
  checked.channel = request.channel;
  if (checked.channel.empty()) {
    checked.channel = found_valid ? channel_of_version(found_number) : "stable";
    if (found_valid) {
      checked.notes.push_back("--channel " + checked.channel + ": from " + found->where);
    }
  } else if (checked.channel != "stable" && checked.channel != "beta" &&
             checked.channel != "nightly") {
    problems.push_back("--channel: '" + checked.channel + "' is not one of stable, beta, nightly");
  }

  // --version
  checked.version = request.version;
  if (!checked.version.empty()) {
    if (auto problem = rust_version_problem(checked.version); !problem.empty()) {
      problems.push_back("--version: " + problem);
    } else if (channel_of_version(checked.version) != checked.channel) {
      problems.push_back("--version " + checked.version + " does not fit --channel " +
                         checked.channel + " (" + what_channel_needs(checked.channel) + ")");
    } else if (found_valid && found_number != checked.version) {
      problems.push_back("--version " + checked.version + ": the inputs are " + found_number +
                         " (" + found->where + ")");
    }
  } else if (found && !found_valid) {
    problems.push_back("--version: not given, and the inputs' version '" + found->text + "' (" +
                       found->where + ") is not a Rust version; pass --version");
  } else if (found_valid) {
    checked.version = found_number;
    checked.notes.push_back("--version " + checked.version + ": from " + found->where);
    if (channel_of_version(checked.version) != checked.channel) {
      problems.push_back("--channel " + checked.channel + ": the inputs are " + checked.version +
                         " (" + found->where + "), a " + channel_of_version(checked.version) +
                         " release (" + what_channel_needs(checked.channel) + ")");
    }
  } else if (checked.channel == "nightly") {
    checked.version = "nightly";
  } else {
    problems.push_back("--version: not given, and the inputs do not say their version (no "
                       "version file, no host rustc that runs here, no std rlib); pass --version");
  }

  // --date
  checked.date = request.date;
  if (!checked.date.empty()) {
    if (!manifest::is_valid_date(checked.date)) {
      problems.push_back("--date: '" + checked.date + "' is not a YYYY-MM-DD date");
    }
  } else if (facts.toolchain_date && manifest::is_valid_date(*facts.toolchain_date)) {
    checked.date = *facts.toolchain_date;
    checked.notes.push_back("--date " + checked.date + ": from " + facts.toolchain_date_origin);
  } else if (found && manifest::is_valid_date(found->commit_date())) {
    checked.date = found->commit_date();
    checked.notes.push_back("--date " + checked.date + ": from " + found->where);
  } else {
    checked.date = today_utc();
  }

  if (!problems.empty()) {
    throw Error(std::string(), problem_list(problems));
  }
  return checked;
}

} // namespace distbuild::builder
