// Publishing a rustup-init into the self-update tree (layout and rules in rustup_tree.hpp).
// Order of writes, so a client polling mid-run never sees release-stable.toml name a binary
// that is not there yet: archive/<v>/<triple>/ (binary, .sha256, .asc), then dist/<triple>/
// (hard links to the archived files), then release-stable.toml, then index.html.
#include "builder/rustup_tree.hpp"

#include "builder/dist.hpp"  // TreeLock: the same lock as dist, so the two never interleave

#include "builder/atomic_file.hpp"
#include "builder/dist_tree.hpp"
#include "builder/error.hpp"
#include "builder/index_page.hpp"
#include "builder/tree_signing.hpp"
#include "signing/sha256.hpp"
#include "signing/signer.hpp"
#include "targets/target_table.hpp"
#include "targets/triple.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {


struct Semver {
  std::uint64_t major = 0, minor = 0, patch = 0;
  std::vector<std::string> pre;  // dot-separated pre-release identifiers
};

std::optional<Semver> parse_semver(const std::string& text) {
  static const std::regex k_semver(
      R"(^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z.-]+)?$)");
  std::smatch match;
  if (!std::regex_match(text, match, k_semver) || text.size() > 64) {
    return std::nullopt;
  }
  Semver version;
  version.major = std::stoull(match[1].str());
  version.minor = std::stoull(match[2].str());
  version.patch = std::stoull(match[3].str());
  std::string pre = match[4].str();
  for (std::size_t start = 0; !pre.empty() && start <= pre.size();) {
    std::size_t dot = pre.find('.', start);
    if (dot == std::string::npos) {
      dot = pre.size();
    }
    version.pre.push_back(pre.substr(start, dot - start));
    start = dot + 1;
  }
  return version;
}

bool is_number(const std::string& text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
}

// Semver 2.0 rule 11: numeric identifiers compare as numbers and sort before alphanumeric ones.
int compare_identifiers(const std::string& a, const std::string& b) {
  if (is_number(a) && is_number(b)) {
    if (a.size() != b.size()) {
      return a.size() < b.size() ? -1 : 1;
    }
    return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
  }
  if (is_number(a) != is_number(b)) {
    return is_number(a) ? -1 : 1;
  }
  return a.compare(b) < 0 ? -1 : (a == b ? 0 : 1);
}

// AtomicFile commits with mode 0644, so the binary is committed under a hidden name, made
// executable there, and only then renamed to its final name: it never appears non-executable.
void write_executable(const fs::path& path, const fs::path& source, RustupPublishedFile& out) {
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    throw Error(source, "cannot read");
  }
  const fs::path staged = path.parent_path() / ("." + path.filename().string() + ".staged");
  AtomicFile file(staged);
  signing::Sha256 hash;
  std::vector<char> buffer(1 << 20);
  std::uint64_t size = 0;
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    std::size_t got = static_cast<std::size_t>(in.gcount());
    if (got == 0) {
      break;
    }
    file.write(buffer.data(), got);
    hash.update(buffer.data(), got);
    size += got;
  }
  if (in.bad()) {
    throw Error(source, "read failed");
  }
  file.commit();
  if (::chmod(staged.c_str(), 0755) != 0 || ::rename(staged.c_str(), path.c_str()) != 0) {
    std::string reason = errno_text("cannot make executable and rename into place");
    std::error_code ignored;
    fs::remove(staged, ignored);
    throw Error(path, reason);
  }
  out.path = path;
  out.size = size;
  out.sha256 = hash.finish_hex();
}

// The highest archived version that has a binary for `target`.
std::optional<std::string> newest_archived(const fs::path& archive, const std::string& name,
                                           const std::string& target) {
  std::optional<std::string> best;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(archive, ec)) {
    std::string version = entry.path().filename().string();
    if (!is_semver(version) || !fs::is_regular_file(entry.path() / target / name, ec)) {
      continue;
    }
    if (!best || compare_versions(version, *best).value_or(0) > 0) {
      best = version;
    }
  }
  return best;
}

// A signed tree is re-signed only with its own key; an unsigned tree with content stays
// unsigned here (sign it whole with `distbuild sign`), or verify would find it half-signed.
void check_signing_state(const fs::path& root, const signing::Signer* signer) {
  std::error_code ec;
  const fs::path fingerprint_file = root / k_fingerprint_file;
  if (fs::is_regular_file(fingerprint_file, ec)) {
    std::string fingerprint = read_file(fingerprint_file);
    fingerprint = fingerprint.substr(0, fingerprint.find_first_of("\r\n"));
    if (signer == nullptr) {
      throw Error(root, "the tree is signed with " + fingerprint +
                            "; give --sign-key so the rustup files are signed too");
    }
    if (signer->fingerprint() != fingerprint) {
      throw Error(root, "the tree is signed with " + fingerprint + ", not with " +
                            signer->fingerprint() +
                            "; use that key, or re-sign the whole tree with `distbuild sign`");
    }
    return;
  }
  if (signer == nullptr) {
    return;
  }
  for (const char* dir : {"dist", "rustup"}) {
    if (fs::is_directory(root / dir, ec) && !fs::is_empty(root / dir, ec)) {
      throw Error(root, std::string("the tree is not signed but already has ") + dir +
                            "/; publish rustup without a key and sign the whole tree with "
                            "`distbuild sign`");
    }
  }
}

// Like dist's check, but a tree may also start with rustup/ alone.
void check_rustup_tree_root(const fs::path& root) {
  std::error_code ec;
  if (fs::exists(root, ec) && !fs::is_directory(root, ec)) {
    throw Error(root, "is not a directory");
  }
  if (!fs::exists(root, ec) || fs::is_empty(root, ec)) {
    return;
  }
  for (const auto& entry : fs::directory_iterator(root)) {
    if (entry.path().filename().string().starts_with("channel-rust-")) {
      throw Error(root, "holds channel manifests itself: it looks like the dist/ directory of a "
                        "tree; give the tree's root (the directory that contains dist/)");
    }
  }
  if (!fs::is_directory(root / "dist", ec) && !fs::is_directory(root / "rustup", ec)) {
    throw Error(root, "is not empty and is not a distbuild tree (no dist/ or rustup/ directory)");
  }
}

void sign_if_asked(signing::Signer* signer, const fs::path& file, RustupPublishedFile* record) {
  if (signer != nullptr) {
    sign_one_file(*signer, file);
    if (record != nullptr) {
      record->signed_file = true;
    }
  }
}

} // namespace

bool is_semver(const std::string& version) {
  return parse_semver(version).has_value();
}

std::optional<int> compare_versions(const std::string& a, const std::string& b) {
  auto left = parse_semver(a);
  auto right = parse_semver(b);
  if (!left || !right) {
    return std::nullopt;
  }
  auto core = [](const Semver& v) { return std::tuple(v.major, v.minor, v.patch); };
  if (core(*left) != core(*right)) {
    return core(*left) < core(*right) ? -1 : 1;
  }
  if (left->pre.empty() || right->pre.empty()) {
    // A release outranks its pre-releases.
    return left->pre.empty() == right->pre.empty() ? 0 : (left->pre.empty() ? 1 : -1);
  }
  for (std::size_t i = 0; i < std::min(left->pre.size(), right->pre.size()); ++i) {
    if (int order = compare_identifiers(left->pre[i], right->pre[i]); order != 0) {
      return order;
    }
  }
  if (left->pre.size() == right->pre.size()) {
    return 0;
  }
  return left->pre.size() < right->pre.size() ? -1 : 1;
}

std::string rustup_init_name(const std::string& target) {
  return "rustup-init" + targets::exe_suffix(target);
}

std::string render_rustup_release(const std::string& version) {
  return "schema-version = \"1\"\nversion = \"" + version + "\"\n";
}

std::optional<std::string> parse_rustup_release(const std::string& text) {
  static const std::regex k_line(R"re(^\s*([A-Za-z-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*(#.*)?$)re");
  std::optional<std::string> schema, version;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      end = text.size();
    }
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::smatch match;
    if (!std::regex_match(line, match, k_line)) {
      continue;
    }
    std::string value = match[2].matched ? match[2].str() : match[3].str();
    if (match[1] == "schema-version") {
      schema = value;
    } else if (match[1] == "version") {
      version = value;
    }
  }
  if (schema != "1" || !version || !is_semver(*version)) {
    return std::nullopt;
  }
  return version;
}

RustupPublishResult publish_rustup(const RustupPublishOptions& options) {
  // 1. Inputs, before anything is written.
  if (!is_semver(options.version)) {
    throw Error(std::string("--version"),
                "'" + options.version + "' is not a semver version like 1.29.0");
  }
  if (!targets::parse_triple(options.target)) {
    throw Error(std::string("--target"), "'" + options.target + "' is not a target triple");
  }
  std::error_code ec;
  if (!fs::is_regular_file(options.binary, ec)) {
    throw Error(options.binary, "is not a file");
  }
  const fs::path root = fs::absolute(options.tree);
  check_rustup_tree_root(root);
  check_signing_state(root, options.signer);
  // dist/ too: it is what marks a tree for dist, sign and verify, even before a toolchain.
  fs::create_directories(root / "dist", ec);
  if (ec) {
    throw Error(root, "cannot create: " + ec.message());
  }
  TreeLock lock(root);

  const std::string name = rustup_init_name(options.target);
  const fs::path rustup_dir = root / "rustup";
  const fs::path archived_dir = rustup_dir / "archive" / options.version / options.target;
  const fs::path archived = archived_dir / name;
  if (fs::exists(archived, ec)) {
    std::string existing = signing::sha256_file_hex(archived);
    if (existing != signing::sha256_file_hex(options.binary)) {
      throw Error(archived, "already holds another rustup-init for " + options.version +
                                "; a published version never changes, publish a new version");
    }
  }

  RustupPublishResult result;
  result.tree = root;
  result.version = options.version;
  result.target = options.target;

  // 2. The archived binary, complete with sidecars.
  fs::create_directories(archived_dir);
  write_executable(archived, options.binary, result.archived);
  write_sha256_sidecar(archived, result.archived.sha256);
  sign_if_asked(options.signer, archived, &result.archived);

  // 3. dist/<triple>/ follows the newest archived version for this triple.
  auto newest = newest_archived(rustup_dir / "archive", name, options.target);
  if (newest == options.version) {
    const fs::path latest_dir = rustup_dir / "dist" / options.target;
    fs::create_directories(latest_dir);
    for (const char* suffix : {"", ".sha256", ".asc"}) {
      fs::path from = archived.string() + suffix;
      if (fs::exists(from, ec)) {
        link_or_copy_atomically(from, latest_dir / (name + suffix));
      }
    }
    result.latest = result.archived;
    result.latest->path = latest_dir / name;
  } else {
    result.notes.push_back("rustup/dist/" + options.target + "/" + name + " kept: " +
                           newest.value_or("?") + " is newer");
  }

  // 4. release-stable.toml only moves forward.
  const fs::path release_path = rustup_dir / k_rustup_release_file;
  std::optional<std::string> current;
  if (fs::exists(release_path, ec)) {
    current = parse_rustup_release(read_file(release_path));
    if (!current) {
      result.notes.push_back("rustup/release-stable.toml was unreadable and is replaced");
    }
  }
  if (!current || compare_versions(options.version, *current).value_or(1) >= 0) {
    write_with_sha256(rustup_dir, k_rustup_release_file, render_rustup_release(options.version));
    sign_if_asked(options.signer, release_path, nullptr);
    result.release_updated = true;
    result.release_version = options.version;
  } else {
    result.release_version = *current;
    result.notes.push_back("rustup/release-stable.toml kept: it offers " + *current +
                           ", newer than " + options.version);
  }
  result.release_file.path = release_path;
  result.release_file.size = fs::file_size(release_path);
  result.release_file.sha256 = signing::sha256_file_hex(release_path);
  result.release_file.signed_file = fs::exists(release_path.string() + ".asc", ec);

  // 5. The key (first signed publish of a fresh tree) and the page.
  if (options.signer != nullptr) {
    if (!fs::exists(root / k_fingerprint_file, ec)) {
      write_key_files(*options.signer, root);
    }
    result.signing_fingerprint = options.signer->fingerprint();
  }
  write_index_page(root);
  sign_if_asked(options.signer, root / k_index_file, nullptr);
  return result;
}

} // namespace distbuild::builder
