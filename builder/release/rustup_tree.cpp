// Publishing a rustup-init into the self-update tree (layout and rules in rustup_tree.hpp).
// Order of writes, so a client polling mid-run never sees release-stable.toml name a binary
// that is not there yet: archive/<v>/<triple>/ (binary, .sha256, .asc), then dist/<triple>/
// (hard links to the archived files), then release-stable.toml, then index.html.
#include "builder/release/rustup_tree.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/release/publisher.hpp"  // the same lock as dist, so the two never interleave
#include "builder/tree/rustup_release.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/output_path.hpp"
#include "builder/web/index_page.hpp"
#include "builder/tree/tree_signing.hpp"
#include "manifest/semver.hpp"
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


// AtomicFile commits with mode 0644, so the binary is committed under a hidden name, made
// executable there, and only then renamed to its final name: it never appears non-executable.
void write_executable(const fs::path& path, const fs::path& source, RustupPublishedFile& out) {
  std::ifstream in(source, std::ios::binary);
  if (!in) {
    throw Error(source, "cannot read");
  }
  check_replaceable(path);  // before the work, as AtomicFile does for its own final name
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
  try {
    if (::chmod(staged.c_str(), 0755) != 0) {
      throw Error(path, errno_text("cannot make executable"));
    }
    rename_into_place(staged, path);
  } catch (...) {
    std::error_code ignored;
    fs::remove(staged, ignored);
    throw;
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
    if (!manifest::is_semver(version) || !fs::is_regular_file(entry.path() / target / name, ec)) {
      continue;
    }
    if (!best || manifest::compare_versions(version, *best).value_or(0) > 0) {
      best = version;
    }
  }
  return best;
}

void sign_recorded(const Publisher& tree, const fs::path& file, RustupPublishedFile& record) {
  tree.sign(file);
  record.signed_file = tree.signer() != nullptr;
}
} // namespace

std::string rustup_init_name(const std::string& target) {
  return "rustup-init" + targets::exe_suffix(target);
}


RustupPublishResult publish_rustup(const RustupPublishOptions& options) {
  // 1. Inputs, before anything is written.
  if (!manifest::is_semver(options.version)) {
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
  check_tree_root(root, TreeKind::DistOrRustup);
  // The Publisher checks the key against the tree's (tree/tree_keys.hpp) before any write.
  PublisherOptions publisher{root, options.signer, ".distbuild-work-", TreeKind::DistOrRustup, {}};
  publisher.rotate_keys = options.rotate_keys;
  Publisher tree(publisher);
  // Refused before anything is written, naming the file in the tree.
  const std::string name = rustup_init_name(options.target);
  const fs::path published =
      root / "rustup" / "archive" / options.version / options.target / name;
  if (fs::exists(published, ec) &&
      signing::sha256_file_hex(published) != signing::sha256_file_hex(options.binary)) {
    throw Error(published, "already holds another rustup-init for " + options.version +
                               "; a published version never changes, publish a new version");
  }
  // Written in the tree's next generation and swapped in whole (tree/publish.hpp
  // TreeGeneration), as dist does: a run that dies or fills the disk leaves the tree as it was.
  tree.begin_publish();
  const fs::path written = tree.target();
  // dist/ too: it is what marks a tree for dist, sign and verify, even before a toolchain.
  fs::create_directories(tree.dist(), ec);
  if (ec) {
    throw Error(root, "cannot create: " + ec.message());
  }

  const fs::path rustup_dir = written / "rustup";
  const fs::path archived_dir = rustup_dir / "archive" / options.version / options.target;
  const fs::path archived = archived_dir / name;

  RustupPublishResult result;
  result.tree = root;
  result.version = options.version;
  result.target = options.target;

  // 2. The archived binary, complete with sidecars.
  fs::create_directories(archived_dir);
  write_executable(archived, options.binary, result.archived);
  write_sha256_sidecar(archived, result.archived.sha256);
  sign_recorded(tree, archived, result.archived);

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
  if (!current || manifest::compare_versions(options.version, *current).value_or(1) >= 0) {
    write_with_sha256(rustup_dir, k_rustup_release_file, render_rustup_release(options.version));
    tree.sign(release_path);
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

  // 5. The key (first signed publish of a fresh tree, or a key change) and the page.
  if (tree.changes_keys() || !fs::exists(written / k_fingerprint_file, ec)) {
    tree.write_key_files();
  }
  result.signing_fingerprint = tree.fingerprint();
  tree.refresh_index_page();
  tree.refresh_tuf();
  tree.commit_publish();
  // The files are now at the same places under the tree's root.
  const auto live = [&](fs::path& path) { path = root / path.lexically_relative(written); };
  live(result.archived.path);
  if (result.latest) {
    live(result.latest->path);
  }
  live(result.release_file.path);
  return result;
}

} // namespace distbuild::builder
