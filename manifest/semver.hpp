// Semver 2.0 precedence, the order rustup and Rust's releases use: 1.29.0 < 1.30.0-beta.1 <
// 1.30.0-beta.10 < 1.30.0. Build metadata (+...) is ignored; leading zeros are refused.
#pragma once

#include <optional>
#include <string>

namespace distbuild::manifest {

// -1, 0 or 1; nullopt when either side is not a semver version.
std::optional<int> compare_versions(const std::string& a, const std::string& b);
bool is_semver(const std::string& version);

} // namespace distbuild::manifest
