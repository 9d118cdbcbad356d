// <tree>/.distbuild-tuf/config.json (tree_config.hpp).
#include "builder/tuf/tree_config.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tuf/expiry.hpp"
#include "builder/tuf/key_store.hpp"

#include <nlohmann/json.hpp>

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

std::map<Role, std::chrono::seconds> default_expiry() {
  return {{Role::Root, 365 * 24h}, {Role::Targets, 90 * 24h}, {Role::Snapshot, 7 * 24h},
          {Role::Timestamp, 24h}};
}

TreeConfig load_tree_config(const fs::path& tree) {
  TreeConfig config{default_keys_dir(), {}, default_expiry()};
  const fs::path file = tree / k_state_dir / "config.json";
  std::error_code ec;
  if (fs::exists(file, ec)) {
    json doc;
    try {
      doc = json::parse(read_file(file));
      if (doc.contains("keys_dir")) {
        config.keys_dir = doc["keys_dir"].get<std::string>();
      }
      if (doc.contains("root_keys_dir")) {
        config.root_keys_dir = doc["root_keys_dir"].get<std::string>();
      }
      if (doc.contains("expires")) {
        for (const auto& [name, period] : doc["expires"].items()) {
          config.expires[parse_role(name, file.string())] =
              parse_period(period.get<std::string>(), file.string());
        }
      }
    } catch (const json::exception& e) {
      throw Error(file, std::string("is not a distbuild TUF config: ") + e.what());
    }
  }
  if (config.root_keys_dir.empty()) {
    config.root_keys_dir = config.keys_dir;
  }
  return config;
}

void save_tree_config(const fs::path& tree, const TreeConfig& config) {
  json expires = json::object();
  for (const auto& [role, period] : config.expires) {
    expires[role_name(role)] = format_period(period);
  }
  json doc{{"keys_dir", config.keys_dir.string()},
           {"root_keys_dir", config.root_keys_dir.string()},
           {"expires", expires}};
  fs::create_directories(tree / k_state_dir);
  write_file_atomically(tree / k_state_dir / "config.json", doc.dump(2) + "\n");
}

} // namespace distbuild::builder::tuf
