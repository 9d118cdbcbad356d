// The facts file pack writes beside its tarballs and dist --tarballs checks before it believes
// it; see installer_facts.hpp for the file and the rules.
#include "builder/inspect/installer_facts.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/disk_usage.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/text.hpp"
#include "signing/sha256.hpp"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

constexpr int k_facts_version = 1;

// An overlay file of the request as the installer will hold it, trimmed as read_installer does.
std::optional<std::string> overlay_text(const PackRequest& request, const std::string& name) {
  auto generated = request.overlay_files.find(name);
  if (generated != request.overlay_files.end()) {
    return trim(generated->second);
  }
  std::error_code ec;
  if (request.overlay_dir && fs::is_regular_file(*request.overlay_dir / name, ec)) {
    return trim(read_file(*request.overlay_dir / name));
  }
  return std::nullopt;
}

} // namespace

fs::path facts_path(const fs::path& dir, const std::string& stem) {
  return dir / (stem + ".facts.json");
}

void write_installer_facts(const PackRequest& request, const PackResult& result) {
  nlohmann::json components = nlohmann::json::array();
  for (const ComponentImage& component : request.components) {
    components.push_back(component.component);
  }
  nlohmann::json doc{{"distbuild_facts", k_facts_version},
                     {"installer", request.package_name},
                     {"components", components}};
  if (auto version = overlay_text(request, "version")) {
    doc["version"] = *version;
  }
  if (auto hash = overlay_text(request, "git-commit-hash")) {
    doc["git_commit_hash"] = *hash;
  }
  nlohmann::json tarballs = nlohmann::json::array();
  for (const PackedFile& file : result.files) {
    // Taken now, after pack() linked the file into the cache: a later link or write changes ctime.
    std::optional<StatKey> key = stat_key(file.path);
    if (!key) {
      throw Error(file.path, errno_text("cannot stat the tarball just written"));
    }
    tarballs.push_back({{"file", file.path.filename().string()},
                        {"format", std::string(format_name(file.format))},
                        {"size", file.size},
                        {"sha256", file.sha256},
                        {"stat",
                         {{"dev", key->dev},
                          {"ino", key->ino},
                          {"mtime_ns", key->mtime_ns},
                          {"ctime_ns", key->ctime_ns}}}});
  }
  doc["tarballs"] = tarballs;
  write_file_atomically(facts_path(request.output_dir, request.package_name), doc.dump(2) + "\n");
}

std::optional<UsedFacts> use_installer_facts(const fs::path& dir, const std::string& stem,
                                             const std::map<Format, fs::path>& files,
                                             std::vector<std::string>& problems) {
  const fs::path path = facts_path(dir, stem);
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return std::nullopt;
  }
  const std::string hint = " (pack it again, or delete " + path.filename().string() +
                           " to have the tarballs read as they are)";
  UsedFacts used;
  used.path = path;
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(read_file(path));
    if (doc.at("distbuild_facts").get<int>() != k_facts_version) {
      problems.push_back(path.string() + ": facts version " + doc.at("distbuild_facts").dump() +
                         " is not one this distbuild reads" + hint);
      return std::nullopt;
    }
    if (doc.at("installer").get<std::string>() != stem) {
      problems.push_back(path.string() + ": describes the installer '" +
                         doc.at("installer").get<std::string>() + "', not '" + stem + "'" + hint);
      return std::nullopt;
    }
    used.components = doc.at("components").get<std::vector<std::string>>();
    if (doc.contains("version")) {
      used.version = doc.at("version").get<std::string>();
    }
    if (doc.contains("git_commit_hash")) {
      used.git_commit_hash = doc.at("git_commit_hash").get<std::string>();
    }
    for (const auto& [format, tarball] : files) {
      const nlohmann::json* recorded = nullptr;
      for (const auto& entry : doc.at("tarballs")) {
        if (entry.at("file").get<std::string>() == tarball.filename().string()) {
          recorded = &entry;
        }
      }
      if (recorded == nullptr) {
        continue;  // not made by that pack: read as any tarball is
      }
      const auto& stat = recorded->at("stat");
      KnownTarball known;
      known.size = recorded->at("size").get<std::uint64_t>();
      known.sha256 = recorded->at("sha256").get<std::string>();
      const StatKey expected{stat.at("dev").get<std::uint64_t>(), stat.at("ino").get<std::uint64_t>(),
                             known.size, stat.at("mtime_ns").get<std::int64_t>(),
                             stat.at("ctime_ns").get<std::int64_t>()};
      std::optional<StatKey> now = stat_key(tarball);
      if (!now) {
        problems.push_back(tarball.string() + ": " + std::strerror(errno));
        return std::nullopt;
      }
      if (now->size != known.size) {
        problems.push_back(tarball.string() + ": is " + std::to_string(now->size) +
                           " bytes, but " + path.string() + " says pack wrote " +
                           std::to_string(known.size) + hint);
        return std::nullopt;
      }
      if (!(*now == expected)) {
        known.read = true;
        if (signing::sha256_file_hex(tarball) != known.sha256) {
          problems.push_back(tarball.string() + ": its SHA-256 is not the one " + path.string() +
                             " recorded: the tarball changed after pack wrote it" + hint);
          return std::nullopt;
        }
      }
      used.tarballs.emplace(format, std::move(known));
    }
    if (used.tarballs.empty()) {  // its component facts would vouch for bytes it never saw
      problems.push_back(path.string() + ": lists none of the tarballs beside it" + hint);
      return std::nullopt;
    }
  } catch (const nlohmann::json::exception& e) {
    problems.push_back(path.string() + ": not a facts file distbuild can read: " + e.what() + hint);
    return std::nullopt;
  } catch (const std::exception& e) {
    problems.push_back(e.what());
    return std::nullopt;
  }
  return used;
}

} // namespace distbuild::builder
