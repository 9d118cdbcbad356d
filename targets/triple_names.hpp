// The other names a triple goes by, and what a user most likely meant by a triple the inputs do
// not hold. Distributions name their architectures with GNU multiarch tuples
// ("aarch64-linux-gnu", "arm-linux-gnueabihf", the lib/<tuple>/ directories of a Debian prefix)
// and Debian architecture names ("arm64", "armhf"); rustc's triples for the same systems are
// "aarch64-unknown-linux-gnu" and "armv7-unknown-linux-gnueabihf". This is the one place that
// knows the correspondence; every comparison of requested and held triples is made here.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distbuild::targets {

// The rustc triple a distribution's name stands for: a multiarch tuple ("aarch64-linux-gnu",
// "x86_64-pc-linux-gnu"), or a Debian architecture ("arm64"). nullopt for rustc's own triples
// and for names nobody uses.
std::optional<std::string> triple_for_distro_name(std::string_view name);

// The rustc triple of a Debian multiarch directory name (the <tuple> of lib/<tuple>/); nullopt
// when `dir` is not one (lib/rustlib, lib/llvm-14, lib/cargo).
std::optional<std::string> triple_for_multiarch_dir(std::string_view dir);

// One requested triple judged against the triples the inputs hold.
struct TripleMatch {
  std::string requested;
  bool held = false;
  // When not held: the triple of the distribution name given, if it is one ("" otherwise) ...
  std::string distro_meaning;
  // ... and near misses, closest first: held triples first, then triples of the target table
  // (each is said to be held or not by `held_suggestion`).
  std::vector<std::string> suggestions;
  std::vector<bool> held_suggestion;
};

std::vector<TripleMatch> match_requested_triples(const std::vector<std::string>& requested,
                                                 const std::vector<std::string>& held);

// Whether `triple` is among `held` (spelled exactly as rustc does).
bool holds_triple(const std::vector<std::string>& held, std::string_view triple);

} // namespace distbuild::targets
