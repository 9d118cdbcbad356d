// What every TUF writing run (repository.hpp) is told, and what it reports back: shared by the
// runs and the steps they are made of (repository_steps.hpp).
#pragma once

#include "builder/tuf/expiry.hpp"
#include "builder/tuf/metadata.hpp"

#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distbuild::builder::tuf {

struct RepoOptions {
  // Where the keys are; unset: what the tree recorded at `tuf init` (tree_config.hpp). A given
  // directory or period is recorded for later runs.
  std::optional<std::filesystem::path> keys_dir;
  std::optional<std::filesystem::path> root_keys_dir;  // unset: the recorded one, else keys_dir
  std::map<Role, std::chrono::seconds> expires;
  std::string root_passphrase;  // for encrypted root keys (init, rotate)
  std::function<void(const std::string&)> log;
  Clock::time_point now = Clock::now();
};

struct CreatedKey {
  Role role;
  std::string keyid;
  std::filesystem::path file;
};

// What the tree's metadata is after a run.
struct TufStatus {
  std::filesystem::path tree;
  std::filesystem::path keys_dir, root_keys_dir;
  std::map<Role, std::uint64_t> versions;
  std::map<Role, std::string> expires;
  std::vector<Role> written;  // the roles whose metadata this run wrote
  std::size_t targets = 0;    // files listed in targets.json
  std::size_t hashed = 0;     // of them, hashed this run (the rest came from the cache)
  std::vector<CreatedKey> created_keys;
};

} // namespace distbuild::builder::tuf
