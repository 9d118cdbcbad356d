// Release names, the one home of their grammar (spec 3.2) and of the files named after them:
//
//   channel      stable | beta | nightly
//   pin          1.95.0, 1.95 (stable); 1.96.0-beta.3, 1.96.0-beta, 1.96-beta (beta)
//   dated name   <channel or pin>-YYYY-MM-DD        (rustup's toolchain names, host left off)
//   files        channel-rust-<name>.toml, channel-rust-<name>-date.txt,
//                channel-rust-<name>-git-commit-hash.txt
//   label        the version part of a tarball name: 1.95.0, 1.96.0-beta.3, beta, nightly
//   version      what a release is: 1.95.0 (stable), 1.96.0-beta, 1.96.0-beta.3 (beta),
//                1.97.0-nightly (nightly)
//
// A release is published under its channel and every pin of its version (pins_for); the top level
// of a tree only ever moves forward in release_order. No I/O here: the clock is the caller's.
#pragma once

#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace distbuild::manifest {

struct Channel;

bool is_channel(const std::string& name);  // stable, beta or nightly

// "stable", "1.95", "1.96.0-beta.3", each optionally "-YYYY-MM-DD" (a real date).
struct ReleaseName {
  std::string name;                 // "stable", "1.95.0", "nightly"
  std::optional<std::string> date;  // set for "<name>-<date>"
};
std::optional<ReleaseName> parse_release_name(const std::string& text);

// The channel a manifest name belongs to: 1.95 -> stable, 1.96.0-beta.3 -> beta; nullopt when
// the name is neither a channel nor a pin.
std::optional<std::string> channel_of_name(const std::string& name);

// The channel a release version belongs to (1.95.0 -> stable, 1.96.0-beta.3 -> beta,
// 1.97.0-nightly -> nightly); nullopt when `version` is not a release version ("v1.95.0",
// "1.95", "1.95.0 (abc 2026-04-14)": the version text's first word is the version).
std::optional<std::string> channel_of_version(const std::string& version);

// The names a release is published under: stable 1.95.0 -> stable, 1.95.0, 1.95; beta
// 1.96.0-beta.3 -> beta, 1.96.0-beta.3, 1.96.0-beta, 1.96-beta; nightly -> nightly.
std::vector<std::string> pins_for(const std::string& channel, const std::string& version);

// A pin that names exactly one release (1.95.0, 1.96.0-beta.3): it may always be rewritten.
bool is_exact_pin(const std::string& name);
// A stable pin (1.95, 1.95.0) or a beta pin (1.96-beta, 1.96.0-beta.3): a dated dir's copy of it
// must equal the dated channel manifest.
bool is_stable_pin(const std::string& name);
bool is_beta_pin(const std::string& name);

// "<label>-<rest>" -> rest, where label is a release label (1.95.0, 1.96.0-beta.3, beta,
// nightly, 1.97.0-dev): how a tarball name's target is found.
std::optional<std::string> after_release_label(const std::string& text);

// File names of a manifest name.
std::string manifest_file(const std::string& name);   // channel-rust-<name>.toml
std::string date_file(const std::string& name);       // channel-rust-<name>-date.txt
std::string git_hash_file(const std::string& name);   // channel-rust-<name>-git-commit-hash.txt
// The text files of one name in publishing order, the manifest last.
std::vector<std::string> release_files(const std::string& name, bool with_git_hash);
// channel-rust-<name>.toml -> name; nullopt for any other file name.
std::optional<std::string> name_of_manifest_file(const std::string& file);

// YYYY-MM-DD and a real calendar date.
bool is_valid_date(const std::string& date);

// Which of two releases of a channel is newer: stable and beta compare by version then date,
// nightly by date then version. Compare with <, ==.
using ReleaseOrder = std::tuple<std::string, int, int, int, std::string>;
ReleaseOrder release_order(const Channel& channel, const std::string& channel_name);

} // namespace distbuild::manifest
