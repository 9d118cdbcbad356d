#include "builder/inspect/tree_verify.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/tree/safe_path.hpp"
#include "builder/inspect/installer_reader.hpp"
#include "builder/tree/tree_signing.hpp"
#include "manifest/channel.hpp"
#include "manifest/validate.hpp"
#include "signing/sha256.hpp"
#include "signing/verifier.hpp"
#include "targets/components.hpp"
#include "manifest/release_name.hpp"

#include <algorithm>
#include <map>
#include <memory>
#include <regex>
#include <set>
#include <sstream>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

class Checker {
public:
  Checker(const VerifyOptions& options, VerifyReport& report)
      : m_options(options), m_root(options.tree), m_report(report) {}

  void run() {
    std::error_code ec;
    if (!fs::is_directory(m_root / "dist", ec)) {
      problem(m_root, "is not a distbuild tree (no dist/ directory)");
      return;
    }
    collect_files();
    check_checksums();
    check_manifests();
    check_pins();
    check_signatures();
  }

private:
  std::string rel(const fs::path& path) const {
    return fs::relative(path, m_root).generic_string();
  }
  void problem(const fs::path& path, const std::string& what) {
    m_report.problems.push_back({path == m_root ? std::string() : rel(path), what});
  }
  // Hashes each file once, whatever checks it. Only a regular file is read (never a symlink's
  // target, a fifo or a device, which could be endless); anything else hashes to "", which
  // matches no hash.
  const std::string& hash_of(const fs::path& path) {
    auto it = m_hashes.find(path);
    if (it == m_hashes.end()) {
      std::error_code ec;
      bool regular = fs::symlink_status(path, ec).type() == fs::file_type::regular;
      it = m_hashes.emplace(path, regular ? signing::sha256_file_hex(path) : std::string()).first;
    }
    return it->second;
  }

  // A bounded read of a file of the tree; nullopt (and a problem) when it cannot be had.
  std::optional<std::string> read_small(const fs::path& path, std::uint64_t limit,
                                        std::string_view what) {
    try {
      return read_file_limited(path, limit, what);
    } catch (const std::exception& e) {
      problem(path, reason(e, path));
      return std::nullopt;
    }
  }
  // An error's text without the path it starts with (a problem names its path already).
  static std::string reason(const std::exception& e, const fs::path& path) {
    std::string text = e.what();
    std::string prefix = path.string() + ": ";
    return text.rfind(prefix, 0) == 0 ? text.substr(prefix.size()) : text;
  }

  void collect_files() {
    for (auto it = fs::recursive_directory_iterator(m_root);
         it != fs::recursive_directory_iterator(); ++it) {
      std::string name = it->path().filename().string();
      if (name.starts_with(".")) {
        if (it->is_directory()) {
          it.disable_recursion_pending();
        }
        continue;
      }
      if (it->is_symlink()) {
        problem(it->path(), "is a symlink (a tree holds regular files only)");
      } else if (it->is_regular_file()) {
        m_files.push_back(it->path());
      } else if (!it->is_directory()) {
        problem(it->path(), "is not a regular file (a tree holds regular files only)");
      }
    }
    std::sort(m_files.begin(), m_files.end());
  }

  void check_checksums() {
    for (const auto& file : m_files) {
      std::string name = file.filename().string();
      if (file.extension() == ".sha256") {
        fs::path target = file.parent_path() / file.stem();
        check_sha256_sidecar(file, target);
      } else if (name == "SHA256SUMS") {
        check_sha256sums(file);
      } else if (!is_sidecar(file) && is_signed_file(m_root, file) &&
                 !fs::exists(file.string() + ".sha256")) {
        problem(file, "has no .sha256");
      }
    }
  }

  void check_sha256_sidecar(const fs::path& sidecar, const fs::path& target) {
    ++m_report.checksums;
    if (!fs::exists(target)) {
      problem(sidecar, "belongs to a file that does not exist");
      return;
    }
    auto read = read_small(sidecar, k_max_sha256_sidecar_bytes, "a .sha256 file");
    if (!read) {
      return;
    }
    const std::string& text = *read;
    static const std::regex k_line(R"(^([0-9a-f]{64})( [ *]?(.+))?\n?$)");
    std::smatch match;
    if (!std::regex_match(text, match, k_line)) {
      problem(sidecar, "is not '<64 lowercase hex>  <name>'");
      return;
    }
    if (match[3].matched && match[3].str() != target.filename().string()) {
      problem(sidecar, "names '" + match[3].str() + "', not " + target.filename().string());
    }
    if (match[1].str() != hash_of(target)) {
      problem(target, "SHA-256 does not match its .sha256");
    }
  }

  void check_sha256sums(const fs::path& sums) {
    auto read = read_small(sums, k_max_sha256sums_bytes, "SHA256SUMS");
    if (!read) {
      return;
    }
    std::istringstream lines(*read);
    std::string line;
    while (std::getline(lines, line)) {
      ++m_report.checksums;
      if (line.size() < 67 || line.substr(64, 2) != "  ") {
        problem(sums, "malformed line '" + line + "'");
        continue;
      }
      // A name from the file itself: one plain name of this directory (safe_path.hpp).
      PathRules rules;
      rules.single_name = true;
      CheckedPath name = check_outside_path(line.substr(66), rules);
      if (!name.ok()) {
        problem(sums, "lists '" + line.substr(66) + "', which " + fault_text(name.fault));
        continue;
      }
      fs::path file = sums.parent_path() / name.normal();
      if (!fs::exists(file)) {
        problem(sums, "lists " + line.substr(66) + ", which does not exist");
      } else if (hash_of(file) != line.substr(0, 64)) {
        problem(file, "SHA-256 does not match its SHA256SUMS entry");
      }
    }
  }

  // Where a manifest URL points in the tree: nullopt when it is not below the base URL, else the
  // path through the one rule for outside paths (safe_path.hpp), or its fault.
  struct UrlTarget {
    fs::path path;
    std::string tail;
    PathFault fault = PathFault::None;
  };
  std::optional<UrlTarget> url_to_path(const std::string& url) const {
    auto tail = url_tail(url, m_options.base_url);
    if (!tail) {
      return std::nullopt;
    }
    PathRules rules;
    rules.from_url = true;
    CheckedPath checked = check_outside_path(*tail, rules);
    UrlTarget target{{}, *tail, checked.fault};
    if (checked.ok()) {
      target.path = m_root / "dist" / checked.normal();
    }
    return target;
  }

  void check_tarball(const fs::path& file, const std::string& package, const std::string& target) {
    if (!m_checked_tarballs.insert(file).second) {
      return;
    }
    ++m_report.tarballs;
    try {
      for (const auto& issue : check_installer_structure(file)) {
        problem(file, issue);
      }
      auto info = read_installer(file);
      std::string short_name = package;
      std::string long_name = target == "*" ? package : package + "-" + target;
      bool named = std::any_of(info.components.begin(), info.components.end(),
                               [&](const std::string& c) { return c == short_name || c == long_name; });
      if (!named) {
        problem(file, "its `components` does not name " + long_name + " (rustup: component "
                      "manifest for '" + package + "' is corrupt)");
      }
    } catch (const std::exception& e) {
      problem(file, std::string("unreadable installer: ") + e.what());
    }
  }

  void check_manifests() {
    for (const auto& file : m_files) {
      std::string name = file.filename().string();
      if (!name.starts_with("channel-rust-") || file.extension() != ".toml") {
        continue;
      }
      ++m_report.manifests;
      manifest::Channel channel;
      auto text = read_small(file, k_max_manifest_bytes, "a channel manifest");
      if (!text) {
        continue;
      }
      try {
        channel = manifest::parse_channel(*text, rel(file));
      } catch (const std::exception& e) {
        problem(file, e.what());
        continue;
      }
      // The date names a directory below dist/: only a plain name is ever joined (validate()
      // below reports a date that is not YYYY-MM-DD).
      PathRules date_rules;
      date_rules.single_name = true;
      if (check_outside_path(channel.date, date_rules).ok()) {
        m_dates[file] = channel.date;
      }
      for (const auto& issue : manifest::validate(channel)) {
        problem(file, issue);
      }
      for (const auto& [package, pkg] : channel.packages) {
        for (const auto& [target_name, entry] : pkg.targets) {
          if (!entry.available) {
            continue;
          }
          for (const auto* ref : {&entry.gz, &entry.xz, &entry.zst}) {
            if (!*ref) {
              continue;
            }
            auto target = url_to_path((*ref)->url);
            if (!target) {
              if (m_options.allow_external) {
                m_report.external.push_back((*ref)->url);
              } else {
                problem(file, package + " " + target_name + ": URL " + (*ref)->url +
                                  " is not under " + m_options.base_url +
                                  " (a tree made with overlay --no-mirror: --allow-external)");
              }
              continue;
            }
            if (target->fault != PathFault::None) {
              problem(file, package + " " + target_name + ": URL " + (*ref)->url +
                                " is refused: its path '" + target->tail + "' " +
                                fault_text(target->fault));
              continue;
            }
            const fs::path& path = target->path;
            if (!fs::exists(path)) {
              problem(file, package + " " + target_name + ": " + rel(path) + " is missing");
              continue;
            }
            if (hash_of(path) != (*ref)->hash) {
              problem(path, "SHA-256 differs from the hash in " + rel(file));
            }
            if (package != "rust") {
              check_tarball(path, package, target_name);
            }
          }
        }
      }
    }
  }

  // Top-level manifests equal their dated copies; within a dated dir, pins equal the channel.
  void check_pins() {
    for (const auto& [file, date] : m_dates) {
      std::string name = file.filename().string();
      if (file.parent_path() == m_root / "dist") {
        fs::path dated = m_root / "dist" / date / name;
        if (!fs::exists(dated)) {
          problem(file, "has no dated copy dist/" + date + "/" + name);
        } else if (hash_of(dated) != hash_of(file)) {
          problem(file, "differs from its dated copy dist/" + date + "/" + name);
        }
      }
      const std::string pin = manifest::name_of_manifest_file(name).value_or("");
      std::string channel = manifest::is_stable_pin(pin)  ? "stable"
                            : manifest::is_beta_pin(pin) ? "beta"
                                                         : "";
      if (channel.empty() || file.parent_path() == m_root / "dist") {
        continue;
      }
      fs::path channel_file = file.parent_path() / manifest::manifest_file(channel);
      if (fs::exists(channel_file) && hash_of(channel_file) != hash_of(file)) {
        problem(file, "differs from the " + channel + " manifest it pins (" + rel(channel_file) +
                          ")");
      }
    }
    // A top-level pin must equal the top-level channel manifest when both name the same date.
    for (const auto& [file, date] : m_dates) {
      std::string name = file.filename().string();
      if (file.parent_path() != m_root / "dist") {
        continue;
      }
      const std::string pin = manifest::name_of_manifest_file(name).value_or("");
      std::string channel = manifest::is_stable_pin(pin)  ? "stable"
                            : manifest::is_beta_pin(pin) ? "beta"
                                                         : "";
      fs::path channel_file = m_root / "dist" / manifest::manifest_file(channel);
      if (!channel.empty() && m_dates.count(channel_file) && m_dates[channel_file] == date &&
          hash_of(channel_file) != hash_of(file)) {
        problem(file, "differs from channel-rust-" + channel + ".toml of the same release");
      }
    }
  }

  void check_signatures() {
    std::set<std::string> signed_by;
    std::set<std::string> digests;
    check_signed_files(signed_by, digests);
    m_report.signed_by.assign(signed_by.begin(), signed_by.end());
    m_report.digests.assign(digests.begin(), digests.end());
  }

  void check_signed_files(std::set<std::string>& signed_by, std::set<std::string>& digests) {
    fs::path key_path = m_options.key.value_or(m_root / k_key_file);
    if (!fs::exists(key_path)) {
      if (!m_options.allow_unsigned) {
        problem(m_root, "no public key: the tree has no " + std::string(k_key_file) +
                            " and no --key was given (pass --allow-unsigned to skip signatures)");
      }
      return;
    }
    std::unique_ptr<signing::Verifier> verifier;
    try {
      verifier = std::make_unique<signing::Verifier>(
          read_file_limited(key_path, k_max_key_bytes, "a key file"));
    } catch (const std::exception& e) {
      problem(key_path, std::string("cannot use the key: ") + e.what());
      return;
    }
    auto fingerprints = verifier->fingerprints();
    m_report.key_fingerprint = fingerprints.empty() ? "" : fingerprints.front();
    m_report.key_fingerprints = fingerprints;
    fs::path recorded = m_root / k_fingerprint_file;
    if (!m_options.key && fs::exists(recorded)) {
      // One fingerprint per line: the key the tree signs with, two during a key rotation.
      std::istringstream lines(
          read_small(recorded, k_max_key_bytes, "a fingerprint file").value_or(""));
      std::string text;
      while (std::getline(lines, text)) {
        text.erase(text.find_last_not_of(" \r") + 1);
        if (!text.empty() &&
            std::find(fingerprints.begin(), fingerprints.end(), text) == fingerprints.end()) {
          problem(recorded, "records " + text + ", which is not a key in " + k_key_file);
        }
      }
    }
    for (const auto& file : m_files) {
      if (!is_signed_file(m_root, file)) {
        continue;
      }
      fs::path asc = file.string() + ".asc";
      if (!fs::exists(asc)) {
        // --allow-unsigned: an unsigned mirror still checks the upstream signatures it kept.
        if (!m_options.allow_unsigned) {
          problem(file, "has no signature (.asc)");
        }
        continue;
      }
      ++m_report.signatures;
      auto signature = read_small(asc, k_max_signature_bytes, "a signature (.asc)");
      if (!signature) {
        continue;
      }
      auto check = verifier->verify_file(file, *signature);
      if (!check.valid && !(m_options.key && good_by_given_key(check))) {
        problem(asc, check.problem);
      }
      for (const auto& signature : check.signatures) {
        if (signature.problem.empty()) {
          signed_by.insert(signature.fingerprint);
          digests.insert(signature.digest);
        }
      }
    }
  }

  // With --key, a block counts when one of its signatures is good by the given key and the rest
  // are only by keys not given: during a key rotation each file carries a signature by the old
  // key and one by the new, and a user holding either key checks with it alone.
  static bool good_by_given_key(const signing::SignatureCheck& check) {
    bool good = false;
    for (const auto& signature : check.signatures) {
      if (signature.problem.empty()) {
        good = true;
      } else if (!signature.problem.starts_with("signed by unknown key")) {
        return false;
      }
    }
    return good;
  }

  const VerifyOptions& m_options;
  fs::path m_root;
  VerifyReport& m_report;
  std::vector<fs::path> m_files;
  std::map<fs::path, std::string> m_hashes;
  std::map<fs::path, std::string> m_dates;
  std::set<fs::path> m_checked_tarballs;
};

} // namespace

VerifyReport verify_tree(const VerifyOptions& options) {
  VerifyReport report;
  VerifyOptions normalized = options;
  normalized.tree = fs::absolute(options.tree);
  while (normalized.base_url.ends_with("/")) {
    normalized.base_url.pop_back();
  }
  Checker(normalized, report).run();
  std::sort(report.external.begin(), report.external.end());
  report.external.erase(std::unique(report.external.begin(), report.external.end()),
                        report.external.end());
  return report;
}

} // namespace distbuild::builder
