// Writes the channel manifest by hand rather than through toml++'s table printer: toml++ sorts
// keys alphabetically, and the order here (manifest-version, date, pkg, renames, profiles,
// artifacts; url before hash) is the one upstream and rustup write, which keeps diffs against
// real manifests readable. Values and keys still go through toml++'s escaping (toml_text.cpp).
#include "manifest/channel.hpp"
#include "manifest/toml_text.hpp"
#include "manifest/artifact_format.hpp"

#include <array>

namespace distbuild::manifest {

namespace {

void put_string(std::string& out, std::string_view key, std::string_view value) {
  out += key;
  out += " = ";
  out += toml_string(value);
  out += '\n';
}

void put_pair(std::string& out, const std::optional<ArtifactRef>& ref, std::string_view url_key,
              std::string_view hash_key) {
  if (!ref) {
    return;
  }
  // A half-empty pair is written as it is, so that a broken model survives a round trip and
  // validate() can still name it.
  if (!ref->url.empty() || ref->hash.empty()) {
    put_string(out, url_key, ref->url);
  }
  if (!ref->hash.empty()) {
    put_string(out, hash_key, ref->hash);
  }
}

void put_component_list(std::string& out, const std::string& table, std::string_view key,
                        const std::vector<ComponentRef>& refs) {
  for (const ComponentRef& ref : refs) {
    out += "\n[[" + table + "." + std::string(key) + "]]\n";
    put_string(out, "pkg", ref.pkg);
    put_string(out, "target", ref.target);
  }
}

void put_package(std::string& out, const std::string& name, const Package& package) {
  out += "\n[" + toml_path({"pkg", name}) + "]\n";
  put_string(out, "version", package.version);
  if (package.git_commit_hash) {
    put_string(out, "git_commit_hash", *package.git_commit_hash);
  }
  if (package.targets.empty()) {
    // rustup requires the `target` key even when it is empty.
    out += "\n[" + toml_path({"pkg", name, "target"}) + "]\n";
  }
  for (const auto& [triple, entry] : package.targets) {
    std::string table = toml_path({"pkg", name, "target", triple});
    out += "\n[" + table + "]\n";
    out += entry.available ? "available = true\n" : "available = false\n";
    for (const auto& format : artifact_formats()) {
      if (format.entry_ref != nullptr) {
        put_pair(out, entry.*format.entry_ref, format.url_key, format.hash_key);
      }
    }
    put_component_list(out, table, "components", entry.components);
    put_component_list(out, table, "extensions", entry.extensions);
  }
}

std::string string_array(const std::vector<std::string>& values) {
  std::string text = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      text += ", ";
    }
    text += toml_string(values[i]);
  }
  return text + "]";
}

void put_profiles(std::string& out, const std::map<std::string, std::vector<std::string>>& profiles) {
  if (profiles.empty()) {
    return;
  }
  out += "\n[profiles]\n";
  // rustup's order first, so the file reads from the smallest profile up; any other key (which
  // validate() rejects) follows sorted.
  constexpr std::array<std::string_view, 3> k_known{"minimal", "default", "complete"};
  for (std::string_view name : k_known) {
    auto it = profiles.find(std::string(name));
    if (it != profiles.end()) {
      out += std::string(name) + " = " + string_array(it->second) + "\n";
    }
  }
  for (const auto& [name, values] : profiles) {
    if (name != "minimal" && name != "default" && name != "complete") {
      out += toml_key(name) + " = " + string_array(values) + "\n";
    }
  }
}

void put_artifacts(std::string& out,
                   const std::map<std::string, std::map<std::string, std::vector<ArtifactFile>>>& artifacts) {
  for (const auto& [name, targets] : artifacts) {
    // Arrays of tables cannot be empty; those (rare) cases are written as `t = []` in a plain
    // table so that the model still round-trips.
    bool needs_plain_table = targets.empty();
    for (const auto& [triple, files] : targets) {
      needs_plain_table = needs_plain_table || files.empty();
    }
    if (needs_plain_table) {
      out += "\n[" + toml_path({"artifacts", name, "target"}) + "]\n";
      for (const auto& [triple, files] : targets) {
        if (files.empty()) {
          out += toml_key(triple) + " = []\n";
        }
      }
    }
    for (const auto& [triple, files] : targets) {
      for (const ArtifactFile& file : files) {
        out += "\n[[" + toml_path({"artifacts", name, "target", triple}) + "]]\n";
        put_string(out, "url", file.url);
        put_string(out, "hash-sha256", file.hash_sha256);
      }
    }
  }
}

} // namespace

std::string to_toml(const Channel& channel) {
  std::string out;
  put_string(out, "manifest-version", "2");
  put_string(out, "date", channel.date);
  for (const auto& [name, package] : channel.packages) {
    put_package(out, name, package);
  }
  for (const auto& [from, to] : channel.renames) {
    out += "\n[" + toml_path({"renames", from}) + "]\n";
    put_string(out, "to", to);
  }
  put_profiles(out, channel.profiles);
  put_artifacts(out, channel.artifacts);
  return out;
}

} // namespace distbuild::manifest
