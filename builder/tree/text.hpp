// Small text helpers for the files a tree and an installer hold (version, components,
// manifest.in, fingerprints), so each rule is written once.
#pragma once

#include <string>
#include <vector>

namespace distbuild::builder {

// Without leading and trailing spaces, tabs, CRs and LFs.
std::string trim(const std::string& text);

// The lines of text without their "\n" (and a "\r" before it); a final line without "\n" counts,
// an empty text has no lines. Blank lines are kept.
std::vector<std::string> split_lines(const std::string& text);

} // namespace distbuild::builder
