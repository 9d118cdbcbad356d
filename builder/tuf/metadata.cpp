// JSON of the four roles both ways (metadata.hpp).
#include "builder/tuf/metadata.hpp"

#include "builder/tree/error.hpp"
#include "builder/tuf/expiry.hpp"

namespace distbuild::builder::tuf {

using nlohmann::json;

std::string role_name(Role role) {
  switch (role) {
    case Role::Root:
      return "root";
    case Role::Targets:
      return "targets";
    case Role::Snapshot:
      return "snapshot";
    case Role::Timestamp:
      return "timestamp";
  }
  return "?";
}

Role parse_role(const std::string& name, const std::string& what) {
  for (Role role : k_roles) {
    if (role_name(role) == name) {
      return role;
    }
  }
  throw Error(what, "'" + name + "' is not a role (root, targets, snapshot, timestamp)");
}

std::string role_file(Role role) { return role_name(role) + ".json"; }

namespace {

json common(const std::string& type, std::uint64_t version, const std::string& expires) {
  return {{"_type", type}, {"spec_version", k_spec_version}, {"version", version},
          {"expires", expires}};
}

json file_info_json(const FileInfo& info) {
  json out = json::object();
  if (info.length) {
    out["length"] = *info.length;
  }
  if (!info.hashes.empty()) {
    out["hashes"] = info.hashes;
  }
  return out;
}

json meta_file_json(const MetaFile& meta) {
  json out = file_info_json(meta.file);
  out["version"] = meta.version;
  return out;
}

// Reads fields of one JSON object, every failure naming the file and the field's path.
class Reader {
public:
  Reader(const json& value, std::string file, std::string where)
      : m_value(value), m_file(std::move(file)), m_where(std::move(where)) {
    if (!m_value.is_object()) {
      fail("is not an object");
    }
  }

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(m_file, (m_where.empty() ? std::string() : m_where + " ") + what);
  }
  const json& field(const std::string& name) const {
    auto it = m_value.find(name);
    if (it == m_value.end()) {
      throw Error(m_file, "has no " + path(name));
    }
    return *it;
  }
  bool has(const std::string& name) const { return m_value.contains(name); }
  std::string path(const std::string& name) const {
    return m_where.empty() ? name : m_where + "." + name;
  }
  std::string string(const std::string& name) const {
    const json& value = field(name);
    if (!value.is_string()) {
      throw Error(m_file, path(name) + " is not a string");
    }
    return value.get<std::string>();
  }
  std::uint64_t count(const std::string& name, std::uint64_t minimum) const {
    const json& value = field(name);
    bool non_negative = value.is_number_unsigned() ||
                        (value.is_number_integer() && value.get<std::int64_t>() >= 0);
    if (!non_negative) {
      throw Error(m_file, path(name) + " is not a non-negative integer");
    }
    auto result = value.get<std::uint64_t>();
    if (result < minimum) {
      throw Error(m_file, path(name) + " is " + std::to_string(result) + ", less than " +
                              std::to_string(minimum));
    }
    return result;
  }
  Reader object(const std::string& name) const { return Reader(field(name), m_file, path(name)); }
  const json& value() const { return m_value; }
  const std::string& file() const { return m_file; }

private:
  const json& m_value;
  std::string m_file;
  std::string m_where;
};

struct Common {
  std::uint64_t version;
  std::string expires;
};

Common read_common(const Reader& in, const std::string& type) {
  std::string actual = in.string("_type");
  if (actual != type) {
    in.fail("is " + actual + " metadata, not " + type);
  }
  std::string spec = in.string("spec_version");
  if (!(spec == "1" || spec.starts_with("1."))) {
    throw Error(in.file(), "spec_version " + spec + " is not TUF 1.x");
  }
  Common common{in.count("version", 1), in.string("expires")};
  if (!parse_expires(common.expires)) {
    throw Error(in.file(), "expires '" + common.expires + "' is not YYYY-MM-DDTHH:MM:SSZ");
  }
  return common;
}

FileInfo read_file_info(const Reader& in, bool length_required) {
  FileInfo info;
  if (length_required || in.has("length")) {
    info.length = in.count("length", 0);
  }
  if (in.has("hashes")) {
    Reader hashes = in.object("hashes");
    for (const auto& [algorithm, digest] : hashes.value().items()) {
      if (!digest.is_string()) {
        throw Error(in.file(), hashes.path(algorithm) + " is not a string");
      }
      info.hashes[algorithm] = digest.get<std::string>();
    }
  } else if (length_required) {
    throw Error(in.file(), "has no " + in.path("hashes"));
  }
  return info;
}

MetaFile read_meta_file(const Reader& in) {
  MetaFile meta;
  meta.version = in.count("version", 1);
  meta.file = read_file_info(in, false);
  return meta;
}

} // namespace

json to_json(const RootMeta& root) {
  json out = common("root", root.version, root.expires);
  out["consistent_snapshot"] = root.consistent_snapshot;
  json keys = json::object();
  for (const auto& [keyid, public_hex] : root.keys) {
    keys[keyid] = {{"keytype", "ed25519"}, {"scheme", "ed25519"},
                   {"keyval", {{"public", public_hex}}}};
  }
  out["keys"] = keys;
  json roles = json::object();
  for (const auto& [role, keys_of_role] : root.roles) {
    roles[role_name(role)] = {{"keyids", keys_of_role.keyids},
                              {"threshold", keys_of_role.threshold}};
  }
  out["roles"] = roles;
  return out;
}

json to_json(const TargetsMeta& targets) {
  json out = common("targets", targets.version, targets.expires);
  json files = json::object();
  for (const auto& [path, info] : targets.targets) {
    files[path] = file_info_json(info);
  }
  out["targets"] = files;
  return out;
}

json to_json(const SnapshotMeta& snapshot) {
  json out = common("snapshot", snapshot.version, snapshot.expires);
  json meta = json::object();
  for (const auto& [name, file] : snapshot.meta) {
    meta[name] = meta_file_json(file);
  }
  out["meta"] = meta;
  return out;
}

json to_json(const TimestampMeta& timestamp) {
  json out = common("timestamp", timestamp.version, timestamp.expires);
  out["meta"] = {{"snapshot.json", meta_file_json(timestamp.snapshot)}};
  return out;
}

RootMeta root_from_json(const json& signed_part, const std::string& file) {
  Reader in(signed_part, file, "signed");
  auto [version, expires] = read_common(in, "root");
  RootMeta root;
  root.version = version;
  root.expires = expires;
  const json& consistent = in.field("consistent_snapshot");
  if (!consistent.is_boolean()) {
    in.fail("consistent_snapshot is not a boolean");
  }
  root.consistent_snapshot = consistent.get<bool>();
  Reader keys = in.object("keys");
  for (const auto& [keyid, key] : keys.value().items()) {
    Reader one(key, file, keys.path(keyid));
    // Keys of other types may sit in a root (another tool's); they just never count here.
    if (one.string("keytype") != "ed25519" || one.string("scheme") != "ed25519") {
      continue;
    }
    root.keys[keyid] = one.object("keyval").string("public");
  }
  Reader roles = in.object("roles");
  for (Role role : k_roles) {
    Reader entry = roles.object(role_name(role));
    RoleKeys keys_of_role;
    keys_of_role.threshold = entry.count("threshold", 1);
    const json& ids = entry.field("keyids");
    if (!ids.is_array()) {
      entry.fail("keyids is not an array");
    }
    for (const auto& id : ids) {
      if (!id.is_string()) {
        entry.fail("keyids holds something that is not a string");
      }
      keys_of_role.keyids.push_back(id.get<std::string>());
    }
    root.roles[role] = keys_of_role;
  }
  return root;
}

TargetsMeta targets_from_json(const json& signed_part, const std::string& file) {
  Reader in(signed_part, file, "signed");
  auto [version, expires] = read_common(in, "targets");
  TargetsMeta targets{version, expires, {}};
  Reader files = in.object("targets");
  for (const auto& [path, info] : files.value().items()) {
    targets.targets[path] = read_file_info(Reader(info, file, files.path(path)), true);
  }
  return targets;
}

SnapshotMeta snapshot_from_json(const json& signed_part, const std::string& file) {
  Reader in(signed_part, file, "signed");
  auto [version, expires] = read_common(in, "snapshot");
  SnapshotMeta snapshot{version, expires, {}};
  Reader meta = in.object("meta");
  for (const auto& [name, entry] : meta.value().items()) {
    snapshot.meta[name] = read_meta_file(Reader(entry, file, meta.path(name)));
  }
  return snapshot;
}

TimestampMeta timestamp_from_json(const json& signed_part, const std::string& file) {
  Reader in(signed_part, file, "signed");
  auto [version, expires] = read_common(in, "timestamp");
  Reader meta = in.object("meta");
  return {version, expires, read_meta_file(meta.object("snapshot.json"))};
}

FileInfo file_info_of(const signing::Digests& digests) {
  return {digests.length, {{"sha256", digests.sha256}, {"sha512", digests.sha512}}};
}

std::string file_info_mismatch(const FileInfo& expected, const signing::Digests& actual) {
  if (expected.length && *expected.length != actual.length) {
    return "length " + std::to_string(actual.length) + ", not " +
           std::to_string(*expected.length) + " as recorded";
  }
  bool checked = false;
  for (const auto& [algorithm, digest] : expected.hashes) {
    const std::string* ours = algorithm == "sha256"   ? &actual.sha256
                              : algorithm == "sha512" ? &actual.sha512
                                                      : nullptr;
    if (ours == nullptr) {
      continue;
    }
    checked = true;
    if (*ours != digest) {
      return algorithm + " differs from the recorded one";
    }
  }
  if (!checked && !expected.hashes.empty()) {
    return "no sha256 or sha512 is recorded, so it cannot be checked";
  }
  return {};
}

} // namespace distbuild::builder::tuf
