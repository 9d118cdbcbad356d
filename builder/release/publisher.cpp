// The publishing recipe's steps (publisher.hpp has the order and why).
#include "builder/release/publisher.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/tree_keys.hpp"
#include "builder/tree/tree_signing.hpp"
#include "builder/tuf/repository.hpp"
#include "builder/web/index_page.hpp"
#include "signing/signer.hpp"
#include "manifest/release_name.hpp"

#include <unistd.h>

#include <algorithm>
#include <set>
#include <sstream>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// The root, checked and created, before the lock and the work dir inside it exist.
fs::path open_root(const PublisherOptions& options) {
  fs::path root = fs::absolute(options.out);
  check_tree_root(root, options.kind);
  std::error_code ec;
  fs::create_directories(root, ec);
  if (ec) {
    throw Error(root, "cannot create: " + ec.message());
  }
  return root;
}

std::string pid_suffix() { return std::to_string(::getpid()); }

// The lock, then what dead runs left (nobody else can hold the tree now), before this run's
// own work dir exists.
std::unique_ptr<TreeLock> lock_and_clean(const fs::path& root,
                                         const std::function<void(const std::string&)>& log) {
  auto lock = std::make_unique<TreeLock>(root);
  std::size_t removed = clean_dead_runs(root);
  if (removed > 0 && log) {
    log("removed " + std::to_string(removed) + " leftovers of interrupted runs");
  }
  return lock;
}

} // namespace

Publisher::Publisher(const PublisherOptions& options)
    : m_root(open_root(options)),
      m_target(m_root),
      m_signer(options.signer),
      m_log(options.log),
      m_lock(lock_and_clean(m_root, options.log)),
      m_work(m_root / (options.work_prefix + pid_suffix())) {
  // Under the lock, before anything is written.
  m_changes_keys = check_key_continuity(m_root, m_signer, options.rotate_keys);
}

void Publisher::publish_both_keys() const {
  if (!m_changes_keys || m_both_keys_published) {
    return;
  }
  m_both_keys_published = true;
  std::error_code ec;
  if (!fs::is_regular_file(m_target / k_key_file, ec)) {
    return;  // the tree was not signed: no older signature to keep verifiable
  }
  log("key change: " + std::string(k_key_file) + " holds the old and the new keys");
  write_file_atomically(m_target / k_key_file,
                        read_file(m_target / k_key_file) + "\n" + m_signer->export_public_key());
}

std::string Publisher::fingerprint() const {
  return m_signer == nullptr ? std::string() : m_signer->fingerprint();
}

void Publisher::log(const std::string& line) const {
  if (m_log) {
    m_log(line);
  }
}

void Publisher::begin_publish() {
  if (m_generation) {
    return;
  }
  // The generation lists the canonical root: compare canonical paths.
  const fs::path work = fs::canonical(m_work.path());
  const fs::path staging = m_staging ? fs::canonical(m_staging->path()) : fs::path();
  auto own = [&](const fs::path& path) { return path == work || path == staging; };
  m_generation = std::make_unique<TreeGeneration>(m_root, own, m_log);
  m_target = m_generation->path();
}

void Publisher::commit_publish() {
  if (m_generation) {
    m_generation->commit();
  }
  m_target = m_root;
}

const fs::path& Publisher::stage(const std::string& date) {
  fs::create_directories(dist());
  m_staging.emplace(dist() / (".staging-" + date + "-" + pid_suffix()));
  return m_staging->path();
}

void Publisher::sign(const fs::path& file) const {
  if (m_signer != nullptr) {
    publish_both_keys();
    sign_one_file(*m_signer, file);
    return;
  }
  // The file was just written: a signature left from before (upstream's, kept by an unsigned
  // mirror) would no longer match it.
  std::error_code ec;
  fs::remove(file.string() + ".asc", ec);
}

void Publisher::sign_files_in(const fs::path& dir) const {
  if (m_signer == nullptr) {
    return;
  }
  log("sign with " + m_signer->fingerprint());
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && !is_sidecar(entry.path())) {
      sign_one_file(*m_signer, entry.path());
    }
  }
}

std::string Publisher::write_signed(const fs::path& dir, const std::string& name,
                                    const std::string& bytes,
                                    const std::optional<std::string>& kept_signature) const {
  fs::path path = dir / name;
  if (m_signer != nullptr) {
    publish_both_keys();
  }
  if (kept_signature) {
    write_file_atomically(path.string() + ".asc", *kept_signature);
  } else if (m_signer != nullptr) {
    write_file_atomically(path.string() + ".asc", m_signer->sign_bytes(bytes));
  } else {
    std::error_code ec;
    fs::remove(path.string() + ".asc", ec);  // never a stale signature beside new bytes
  }
  return write_with_sha256(dir, name, bytes);
}

void Publisher::write_sums(const fs::path& dir) const {
  write_sha256sums(dir);
  sign(dir / "SHA256SUMS");
}

void Publisher::move_dated(const fs::path& staging, const fs::path& dated,
                           const std::vector<std::string>& names, bool with_git_hash) {
  if (m_signer != nullptr) {
    publish_both_keys();
  }
  std::error_code ec;
  if (!fs::exists(dated, ec)) {
    fs::rename(staging, dated, ec);
    if (ec) {
      throw Error(dated, "cannot rename the staged release into place: " + ec.message());
    }
    if (m_staging && m_staging->path() == staging) {
      m_staging->release();
    }
    return;
  }
  std::set<std::string> manifest_set;
  for (const auto& name : names) {
    for (const auto& file : manifest::release_files(name, with_git_hash)) {
      manifest_set.insert(file);
    }
  }
  std::vector<std::string> ordinary;
  for (const auto& entry : fs::directory_iterator(staging)) {
    std::string file = entry.path().filename().string();
    if (!is_sidecar(entry.path()) && file != "SHA256SUMS" && !manifest_set.count(file)) {
      ordinary.push_back(file);
    }
  }
  std::sort(ordinary.begin(), ordinary.end());
  for (const auto& file : ordinary) {
    move_with_sidecars(staging, dated, file);
  }
  for (const auto& name : names) {
    for (const auto& file : manifest::release_files(name, with_git_hash)) {
      move_with_sidecars(staging, dated, file);
    }
  }
  write_sums(dated);
}

std::vector<std::string> Publisher::update_top_level(const fs::path& dated,
                                                     const TopLevel& release,
                                                     std::vector<std::string>& notes) const {
  const fs::path top = dist();
  std::vector<std::string> moved;
  for (const auto& name : release.names) {
    if (should_update_top_level(top / manifest::manifest_file(name), *release.channel,
                                release.channel_name, name)) {
      moved.push_back(name);
    } else {
      notes.push_back("dist/" + manifest::manifest_file(name) +
                      " kept: it already points at a newer release");
    }
  }
  if (std::find(moved.begin(), moved.end(), release.channel_name) != moved.end()) {
    for (const auto& tarball : release.tarballs) {
      link_with_sidecars(dated, top, tarball);
    }
  }
  for (const auto& name : moved) {
    for (const auto& file : manifest::release_files(name, release.with_git_hash)) {
      link_with_sidecars(dated, top, file);
    }
  }
  write_sums(top);
  return moved;
}

void Publisher::write_key_files(const std::vector<std::string>& extra_keys) {
  if (m_signer == nullptr) {
    return;
  }
  if (m_changes_keys && !m_resigned) {
    resign_tree();
  }
  std::string keys = m_signer->export_public_key();
  for (const auto& key : extra_keys) {
    keys += "\n" + key;
  }
  write_file_atomically(m_target / k_key_file, keys);
  write_fingerprint_file(*m_signer, m_target);
}

std::size_t Publisher::resign_tree() {
  if (m_signer == nullptr) {
    return 0;
  }
  publish_both_keys();
  if (m_changes_keys) {
    log("key change: re-sign every file with " + m_signer->fingerprint());
  }
  write_fingerprint_file(*m_signer, m_target);
  builder::refresh_index_page(m_target);
  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(m_target);
       it != fs::recursive_directory_iterator(); ++it) {
    if (it->path().filename().string().starts_with(".")) {
      if (it->is_directory()) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (it->is_regular_file() && is_signed_file(m_target, it->path())) {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    sign_one_file(*m_signer, file);
  }
  m_resigned = true;
  return files.size();
}

void Publisher::append_manifests_txt(const std::string& base_url, const std::string& date,
                                     const std::vector<std::string>& names) const {
  std::string prefix = base_url;
  auto scheme = prefix.find("://");
  if (scheme != std::string::npos) {
    prefix = prefix.substr(scheme + 3);
  }
  fs::path path = m_target / "manifests.txt";
  std::vector<std::string> lines;
  std::error_code ec;
  if (fs::exists(path, ec)) {
    std::istringstream existing(read_file(path));
    for (std::string line; std::getline(existing, line);) {
      if (!line.empty()) {
        lines.push_back(line);
      }
    }
  }
  for (const auto& name : names) {
    std::string line = prefix + "/" + date + "/" + manifest::manifest_file(name);
    if (std::find(lines.begin(), lines.end(), line) == lines.end()) {
      lines.push_back(line);
    }
  }
  std::string text;
  for (const auto& line : lines) {
    text += line + "\n";
  }
  write_with_sha256(m_target, "manifests.txt", text);
  sign(path);
}

void Publisher::refresh_index_page() const {
  builder::refresh_index_page(m_target);
  sign(m_target / k_index_file);
}

void Publisher::refresh_tuf() const { tuf::refresh_if_present(m_target, m_log); }

} // namespace distbuild::builder
