// The client's update walk (client.hpp), one method per step of the specification.
#include "builder/tuf/client.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "builder/tuf/envelope.hpp"
#include "signing/digests.hpp"

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

namespace {

// How many root versions one walk follows at most (tuf-js: 256 as well).
constexpr std::uint64_t k_max_root_rotations = 256;

class Walk {
public:
  Walk(const ClientOptions& options, const MetadataSource& source)
      : m_options(options), m_source(source) {}

  ClientResult run() {
    if (!load_trusted_root()) {
      return std::move(m_result);
    }
    update_root();
    load_seen();
    if (update_timestamp() && update_snapshot()) {
      update_targets();
    }
    return std::move(m_result);
  }

private:
  void problem(const std::string& file, const std::string& what) {
    m_result.problems.push_back({file, what});
  }

  std::optional<std::string> fetch(const std::string& name) {
    try {
      return m_source(name);
    } catch (const std::exception& e) {
      problem(name, std::string("cannot be fetched: ") + e.what());
      return std::nullopt;
    }
  }

  // Parses a role file; a problem (and false) when it is not valid metadata of that role.
  template <typename Meta, typename Parse>
  bool parse(const std::string& name, const std::string& bytes, Parse parse_signed,
             Envelope& envelope, Meta& meta) {
    try {
      envelope = parse_envelope(bytes, name);
      meta = parse_signed(envelope.signed_part, name);
      return true;
    } catch (const std::exception& e) {
      problem(name, strip_name(e.what(), name));
      return false;
    }
  }

  // builder::Error starts with "<name>: "; the report already names the file.
  static std::string strip_name(const std::string& text, const std::string& name) {
    return text.starts_with(name + ": ") ? text.substr(name.size() + 2) : text;
  }

  bool self_signed(const std::string& name, const Envelope& envelope, const RootMeta& root) {
    std::string issue = threshold_problem(envelope, root, Role::Root);
    if (!issue.empty()) {
      problem(name, "is not signed by its own root keys: " + issue);
      return false;
    }
    return true;
  }

  // 5.2: the root the user trusts (an expired one still starts the chain), or a newer root this
  // client trusted on an earlier walk.
  bool load_trusted_root() {
    Envelope envelope;
    RootMeta root;
    const std::string& label = m_options.trusted_root_label;
    if (!parse(label, m_options.trusted_root, root_from_json, envelope, root) ||
        !self_signed(label, envelope, root)) {
      return false;
    }
    m_root = root;
    m_root_name = label;
    m_result.bytes["root.json"] = m_options.trusted_root;
    if (auto seen = read_seen("root.json")) {
      Envelope seen_envelope;
      RootMeta seen_root;
      try {
        seen_envelope = parse_envelope(*seen, "root.json");
        seen_root = root_from_json(seen_envelope.signed_part, "root.json");
      } catch (const std::exception&) {
        return true;  // a damaged state file only loses what it remembered
      }
      if (seen_root.version > m_root.version &&
          threshold_problem(seen_envelope, seen_root, Role::Root).empty()) {
        m_root = seen_root;
        m_root_name = std::to_string(seen_root.version) + ".root.json";
        m_result.bytes["root.json"] = *seen;
      }
    }
    return true;
  }

  // 5.3: every newer root, each vouched for by the one before.
  void update_root() {
    for (std::uint64_t n = 1; n <= k_max_root_rotations; ++n) {
      const std::uint64_t version = m_root.version + 1;
      const std::string name = std::to_string(version) + ".root.json";
      auto bytes = fetch(name);
      if (!bytes) {
        break;
      }
      Envelope envelope;
      RootMeta next;
      if (!parse(name, *bytes, root_from_json, envelope, next)) {
        break;
      }
      std::string issue = threshold_problem(envelope, m_root, Role::Root);
      if (!issue.empty()) {
        problem(name, "is not signed by the previous root's keys: " + issue);
        break;
      }
      if (next.version != version) {
        problem(name, "holds version " + std::to_string(next.version) + ", not " +
                          std::to_string(version));
        break;
      }
      if (!self_signed(name, envelope, next)) {
        break;
      }
      m_root = next;
      m_root_name = name;
      m_result.bytes["root.json"] = *bytes;
    }
    if (is_expired(m_root.expires, m_options.now)) {
      problem(m_root_name, "root version " + std::to_string(m_root.version) + " expired on " +
                               m_root.expires);
    }
    m_result.root = m_root;
  }

  std::optional<std::string> read_seen(const std::string& name) const {
    if (!m_options.state_dir) {
      return std::nullopt;
    }
    std::error_code ec;
    const fs::path file = *m_options.state_dir / name;
    if (!fs::exists(file, ec)) {
      return std::nullopt;
    }
    return read_file(file);
  }

  // What an earlier walk trusted, kept only while the current root's keys still vouch for it (a
  // rotated timestamp or snapshot key discards it, 5.3.11).
  void load_seen() {
    auto seen = [&](const std::string& name, Role role, auto parse_signed, auto& out) {
      auto bytes = read_seen(name);
      if (!bytes) {
        return;
      }
      try {
        Envelope envelope = parse_envelope(*bytes, name);
        auto meta = parse_signed(envelope.signed_part, name);
        if (valid_signatures(envelope, m_root, role) >= m_root.roles.at(role).threshold) {
          out = meta;
        }
      } catch (const std::exception&) {
      }
    };
    seen("timestamp.json", Role::Timestamp, timestamp_from_json, m_seen_timestamp);
    seen("snapshot.json", Role::Snapshot, snapshot_from_json, m_seen_snapshot);
    if (!m_seen_timestamp) {
      m_seen_snapshot.reset();
    }
  }

  void check_role(const std::string& name, const Envelope& envelope, Role role) {
    std::string issue = threshold_problem(envelope, m_root, role);
    if (!issue.empty()) {
      problem(name, issue);
    }
  }

  void check_expiry(const std::string& name, const std::string& expires) {
    if (is_expired(expires, m_options.now)) {
      problem(name, "expired on " + expires);
    }
  }

  // 5.4
  bool update_timestamp() {
    const std::string name = "timestamp.json";
    auto bytes = fetch(name);
    if (!bytes) {
      problem(name, "is missing");
      return false;
    }
    Envelope envelope;
    TimestampMeta timestamp;
    if (!parse(name, *bytes, timestamp_from_json, envelope, timestamp)) {
      return false;
    }
    check_role(name, envelope, Role::Timestamp);
    if (m_seen_timestamp) {
      if (timestamp.version < m_seen_timestamp->version) {
        problem(name, "version " + std::to_string(timestamp.version) + " is older than version " +
                          std::to_string(m_seen_timestamp->version) +
                          " seen before (a rollback)");
      }
      if (timestamp.snapshot.version < m_seen_timestamp->snapshot.version) {
        problem(name, "names snapshot version " + std::to_string(timestamp.snapshot.version) +
                          ", older than version " +
                          std::to_string(m_seen_timestamp->snapshot.version) +
                          " seen before (a rollback)");
      }
    }
    check_expiry(name, timestamp.expires);
    m_result.timestamp = timestamp;
    m_result.bytes[name] = *bytes;
    return true;
  }

  std::string versioned(const std::string& role_file_name, std::uint64_t version) const {
    return m_root.consistent_snapshot ? std::to_string(version) + "." + role_file_name
                                      : role_file_name;
  }

  void check_against(const std::string& name, const std::string& bytes, const FileInfo& info,
                     const std::string& parent) {
    std::string mismatch = file_info_mismatch(info, signing::digest_bytes(bytes));
    if (!mismatch.empty()) {
      problem(name, mismatch + " (as " + parent + " records it)");
    }
  }

  // 5.5
  bool update_snapshot() {
    const MetaFile& expected = m_result.timestamp->snapshot;
    const std::string name = versioned("snapshot.json", expected.version);
    auto bytes = fetch(name);
    if (!bytes) {
      problem(name, "is missing");
      return false;
    }
    check_against(name, *bytes, expected.file, "timestamp.json");
    Envelope envelope;
    SnapshotMeta snapshot;
    if (!parse(name, *bytes, snapshot_from_json, envelope, snapshot)) {
      return false;
    }
    check_role(name, envelope, Role::Snapshot);
    if (snapshot.version != expected.version) {
      problem(name, "is version " + std::to_string(snapshot.version) +
                        ", but timestamp.json names version " + std::to_string(expected.version));
    }
    if (m_seen_snapshot) {
      for (const auto& [file, seen] : m_seen_snapshot->meta) {
        auto now = snapshot.meta.find(file);
        if (now == snapshot.meta.end()) {
          problem(name, "no longer lists " + file + ", which it listed before");
        } else if (now->second.version < seen.version) {
          problem(name, "names " + file + " version " + std::to_string(now->second.version) +
                            ", older than version " + std::to_string(seen.version) +
                            " seen before (a rollback)");
        }
      }
    }
    check_expiry(name, snapshot.expires);
    m_result.snapshot = snapshot;
    m_result.bytes["snapshot.json"] = *bytes;
    return true;
  }

  // 5.6
  void update_targets() {
    auto entry = m_result.snapshot->meta.find("targets.json");
    if (entry == m_result.snapshot->meta.end()) {
      problem(versioned("snapshot.json", m_result.snapshot->version), "does not list targets.json");
      return;
    }
    const std::string name = versioned("targets.json", entry->second.version);
    auto bytes = fetch(name);
    if (!bytes) {
      problem(name, "is missing");
      return;
    }
    check_against(name, *bytes, entry->second.file, "snapshot.json");
    Envelope envelope;
    TargetsMeta targets;
    if (!parse(name, *bytes, targets_from_json, envelope, targets)) {
      return;
    }
    check_role(name, envelope, Role::Targets);
    if (targets.version != entry->second.version) {
      problem(name, "is version " + std::to_string(targets.version) +
                        ", but snapshot.json names version " +
                        std::to_string(entry->second.version));
    }
    check_expiry(name, targets.expires);
    m_result.targets = targets;
    m_result.bytes["targets.json"] = *bytes;
  }

  const ClientOptions& m_options;
  const MetadataSource& m_source;
  ClientResult m_result;
  RootMeta m_root;
  std::string m_root_name;
  std::optional<TimestampMeta> m_seen_timestamp;
  std::optional<SnapshotMeta> m_seen_snapshot;
};

} // namespace

ClientResult run_client(const ClientOptions& options, const MetadataSource& source) {
  return Walk(options, source).run();
}

void save_client_state(const fs::path& dir, const ClientResult& result) {
  if (!result.ok()) {
    throw Error(dir, "a walk with problems is never remembered as trusted");
  }
  fs::create_directories(dir);
  for (const char* name : {"root.json", "timestamp.json", "snapshot.json", "targets.json"}) {
    write_file_atomically(dir / name, result.bytes.at(name));
  }
}

} // namespace distbuild::builder::tuf
