// Reads a channel manifest with toml++ and maps it onto the model, checking the types rustup's
// serde model insists on (spec 2.1-2.3): a wrong type or a missing required key is an error
// naming the file, the line and the TOML path. Semantic rules (references, hashes, URLs) are
// left to validate(), which reports all of them at once.
#include "manifest/channel.hpp"
#include "manifest/toml_input.hpp"
#include "manifest/toml_text.hpp"
#include "manifest/artifact_format.hpp"

#include <toml++/toml.h>

namespace distbuild::manifest {

namespace {

class Reader {
public:
  explicit Reader(const std::string& origin) : m_origin(origin) {}

  [[noreturn]] void fail(const toml::node& node, const std::string& path, const std::string& what) const {
    std::string where = m_origin;
    if (node.source().begin.line > 0) {
      where += ":" + std::to_string(node.source().begin.line);
    }
    throw Error(where, path.empty() ? what : path + ": " + what);
  }

  const toml::table& table(const toml::node& node, const std::string& path) const {
    if (!node.is_table()) {
      fail(node, path, "expected a table");
    }
    return *node.as_table();
  }

  std::string string(const toml::table& parent, std::string_view key, const std::string& path) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      fail(parent, path, "missing key '" + std::string(key) + "'");
    }
    return string_value(*node, join(path, key));
  }

  std::optional<std::string> optional_string(const toml::table& parent, std::string_view key,
                                             const std::string& path) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      return std::nullopt;
    }
    return string_value(*node, join(path, key));
  }

  std::string string_value(const toml::node& node, const std::string& path) const {
    if (!node.is_string()) {
      fail(node, path, "expected a string");
    }
    return node.as_string()->get();
  }

  bool boolean(const toml::table& parent, std::string_view key, const std::string& path) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      fail(parent, path, "missing key '" + std::string(key) + "'");
    }
    if (!node->is_boolean()) {
      fail(*node, join(path, key), "expected a boolean");
    }
    return node->as_boolean()->get();
  }

  const toml::array* optional_array(const toml::table& parent, std::string_view key,
                                    const std::string& path) const {
    const toml::node* node = parent.get(key);
    if (node == nullptr) {
      return nullptr;
    }
    if (!node->is_array()) {
      fail(*node, join(path, key), "expected an array");
    }
    return node->as_array();
  }

  static std::string join(const std::string& path, std::string_view key) {
    return path.empty() ? toml_key(key) : path + "." + toml_key(key);
  }

private:
  const std::string& m_origin;
};

std::optional<ArtifactRef> read_pair(const Reader& in, const toml::table& table, std::string_view url_key,
                                     std::string_view hash_key, const std::string& path) {
  std::optional<std::string> url = in.optional_string(table, url_key, path);
  std::optional<std::string> hash = in.optional_string(table, hash_key, path);
  if (!url && !hash) {
    return std::nullopt;
  }
  return ArtifactRef{url.value_or(""), hash.value_or("")};
}

std::vector<ComponentRef> read_component_list(const Reader& in, const toml::table& table, std::string_view key,
                                              const std::string& path) {
  std::vector<ComponentRef> refs;
  const toml::array* array = in.optional_array(table, key, path);
  if (array == nullptr) {
    return refs;
  }
  std::string array_path = Reader::join(path, key);
  for (std::size_t i = 0; i < array->size(); ++i) {
    std::string item_path = array_path + "[" + std::to_string(i) + "]";
    const toml::table& item = in.table(*array->get(i), item_path);
    // `is_extension`, written by rustup's re-serialisation, is implied by the list it is in.
    refs.push_back(ComponentRef{in.string(item, "pkg", item_path), in.string(item, "target", item_path)});
  }
  return refs;
}

TargetEntry read_target(const Reader& in, const toml::table& table, const std::string& path) {
  TargetEntry entry;
  entry.available = in.boolean(table, "available", path);
  for (const auto& format : artifact_formats()) {
    if (format.entry_ref != nullptr) {
      entry.*format.entry_ref = read_pair(in, table, std::string(format.url_key),
                                          std::string(format.hash_key), path);
    }
  }
  entry.components = read_component_list(in, table, "components", path);
  entry.extensions = read_component_list(in, table, "extensions", path);
  return entry;
}

Package read_package(const Reader& in, const toml::table& table, const std::string& path) {
  Package package;
  package.version = in.string(table, "version", path);
  package.git_commit_hash = in.optional_string(table, "git_commit_hash", path);
  const toml::node* targets = table.get("target");
  if (targets == nullptr) {
    in.fail(table, path, "missing key 'target'");
  }
  std::string targets_path = Reader::join(path, "target");
  for (auto&& [triple, node] : in.table(*targets, targets_path)) {
    std::string target_path = Reader::join(targets_path, triple.str());
    package.targets.emplace(std::string(triple.str()), read_target(in, in.table(node, target_path), target_path));
  }
  return package;
}

void read_artifacts(const Reader& in, const toml::node& node, Channel& channel) {
  for (auto&& [name, artifact_node] : in.table(node, "artifacts")) {
    std::string path = toml_path({"artifacts", name.str()});
    const toml::table& artifact = in.table(artifact_node, path);
    auto& targets = channel.artifacts[std::string(name.str())];
    const toml::node* target_node = artifact.get("target");
    if (target_node == nullptr) {
      in.fail(artifact, path, "missing key 'target'");
    }
    std::string targets_path = Reader::join(path, "target");
    for (auto&& [triple, files_node] : in.table(*target_node, targets_path)) {
      std::string files_path = Reader::join(targets_path, triple.str());
      if (!files_node.is_array()) {
        in.fail(files_node, files_path, "expected an array");
      }
      auto& files = targets[std::string(triple.str())];
      const toml::array& array = *files_node.as_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        std::string item_path = files_path + "[" + std::to_string(i) + "]";
        const toml::table& item = in.table(*array.get(i), item_path);
        files.push_back(ArtifactFile{in.string(item, "url", item_path), in.string(item, "hash-sha256", item_path)});
      }
    }
  }
}

} // namespace

Channel parse_channel(std::string_view text, const std::string& origin) {
  check_toml_input(text, origin);  // size, UTF-8, and what toml++ 3.3 cannot read safely
  toml::table root;
  try {
    root = toml::parse(text, std::string_view(origin));
  } catch (const toml::parse_error& error) {
    const toml::source_position& at = error.source().begin;
    throw Error(origin + ":" + std::to_string(at.line) + ":" + std::to_string(at.column),
                std::string(error.description()));
  }

  Reader in(origin);
  Channel channel;
  const toml::node* version = root.get("manifest-version");
  if (version == nullptr) {
    in.fail(root, "", "missing key 'manifest-version'");
  }
  if (!version->is_string() || version->as_string()->get() != "2") {
    in.fail(*version, "manifest-version", "must be the string \"2\"");
  }
  channel.date = in.string(root, "date", "");

  if (const toml::node* pkg = root.get("pkg")) {
    for (auto&& [name, node] : in.table(*pkg, "pkg")) {
      std::string path = toml_path({"pkg", name.str()});
      channel.packages.emplace(std::string(name.str()), read_package(in, in.table(node, path), path));
    }
  }
  if (const toml::node* renames = root.get("renames")) {
    for (auto&& [from, node] : in.table(*renames, "renames")) {
      std::string path = toml_path({"renames", from.str()});
      channel.renames.emplace(std::string(from.str()), in.string(in.table(node, path), "to", path));
    }
  }
  if (const toml::node* profiles = root.get("profiles")) {
    for (auto&& [name, node] : in.table(*profiles, "profiles")) {
      std::string path = toml_path({"profiles", name.str()});
      if (!node.is_array()) {
        in.fail(node, path, "expected an array");
      }
      auto& names = channel.profiles[std::string(name.str())];
      const toml::array& array = *node.as_array();
      for (std::size_t i = 0; i < array.size(); ++i) {
        names.push_back(in.string_value(*array.get(i), path + "[" + std::to_string(i) + "]"));
      }
    }
  }
  if (const toml::node* artifacts = root.get("artifacts")) {
    read_artifacts(in, *artifacts, channel);
  }
  return channel;
}

} // namespace distbuild::manifest
