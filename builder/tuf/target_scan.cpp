// scan_targets() and its hash cache (target_scan.hpp).
#include "builder/tuf/target_scan.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tuf/tree_config.hpp"
#include "signing/digests.hpp"

#include <nlohmann/json.hpp>
#include <sys/stat.h>

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string cache_key(const struct stat& info) {
  auto ns = [](const timespec& t) {
    return std::to_string(static_cast<long long>(t.tv_sec) * 1000000000LL + t.tv_nsec);
  };
  return std::to_string(info.st_dev) + ":" + std::to_string(info.st_ino) + ":" +
         std::to_string(info.st_size) + ":" + ns(info.st_mtim) + ":" + ns(info.st_ctim);
}

json load_cache(const fs::path& file) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    return json::object();
  }
  try {
    json cache = json::parse(read_file(file));
    return cache.is_object() ? cache : json::object();
  } catch (const std::exception&) {
    return json::object();  // a damaged cache is only a slower run
  }
}

} // namespace

bool is_excluded_target(const fs::path& relative) {
  auto first = relative.begin();
  if (first == relative.end() || *first == k_metadata_dir) {
    return true;
  }
  for (const auto& part : relative) {
    if (part.string().starts_with(".")) {
      return true;
    }
  }
  return false;
}

std::map<std::string, fs::path> target_files(const fs::path& tree) {
  std::map<std::string, fs::path> files;
  for (auto it = fs::recursive_directory_iterator(tree); it != fs::recursive_directory_iterator();
       ++it) {
    const fs::path relative = it->path().lexically_relative(tree);
    if (is_excluded_target(relative)) {
      if (it->is_directory()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file()) {
      files[relative.generic_string()] = it->path();
    }
  }
  return files;
}

std::map<std::string, FileInfo> scan_targets(const fs::path& tree, ScanStats* stats) {
  const fs::path cache_file = tree / k_state_dir / "hashes.json";
  const json old_cache = load_cache(cache_file);
  json new_cache = json::object();
  std::map<std::string, FileInfo> targets;
  ScanStats counts;
  for (const auto& [target, file] : target_files(tree)) {
    struct stat info {};
    if (::stat(file.c_str(), &info) != 0) {
      throw Error(file, errno_text("cannot stat"));
    }
    const std::string key = cache_key(info);
    signing::Digests digests;
    auto cached = old_cache.find(key);
    if (cached != old_cache.end() && cached->is_object() && cached->contains("sha256") &&
        cached->contains("sha512")) {
      digests = {static_cast<std::uint64_t>(info.st_size), (*cached)["sha256"].get<std::string>(),
                 (*cached)["sha512"].get<std::string>()};
    } else {
      digests = signing::digest_file(file);
      ++counts.hashed;
    }
    new_cache[key] = {{"sha256", digests.sha256}, {"sha512", digests.sha512}};
    targets[target] = file_info_of(digests);
    ++counts.files;
  }
  fs::create_directories(cache_file.parent_path());
  write_file_atomically(cache_file, new_cache.dump() + "\n");
  if (stats != nullptr) {
    *stats = counts;
  }
  return targets;
}

} // namespace distbuild::builder::tuf
