// The check step of `dist`: every option checked against what the inputs are, before anything
// is packed, with every problem reported at once and nothing written. Gathering (release_
// inputs.hpp) already checks the sources and the --targets triples; here the release's identity
// is settled: --version must be a Rust version, the inputs' version (input_version.hpp) and fit
// --channel; --version, --channel and --date default to what the inputs say (a toolchain's
// stored manifest, version files, `rustc -vV`, rlib metadata, tarball names), so
// `dist --toolchain` dates a release with the toolchain's own date and `stable-<date>` resolves.
#pragma once

#include "builder/release/release_inputs.hpp"

#include <string>
#include <vector>

namespace distbuild::builder {

// What the user asked for; empty fields are taken from the inputs.
struct ReleaseRequest {
  std::string channel;  // stable | beta | nightly
  std::string version;  // 1.95.0, 1.96.0-beta.3, 1.97.0-nightly
  std::string date;     // YYYY-MM-DD
};

struct CheckedInputs {
  std::vector<ComponentSource> sources;
  std::string channel, version, date;
  std::vector<std::string> notes;     // where a default came from, libraries packed
  std::vector<std::string> warnings;  // files left out of the input
};

// Throws builder::Error listing every problem, one per line.
CheckedInputs gather_and_check(const GatherOptions& inputs, const ReleaseRequest& request);

} // namespace distbuild::builder
