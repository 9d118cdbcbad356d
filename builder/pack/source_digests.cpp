// source_digests (source_digests.hpp): the stat index, and hashing what it cannot vouch for.
#include "builder/pack/source_digests.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/disk_usage.hpp"
#include "builder/tree/error.hpp"
#include "builder/tree/fd.hpp"
#include "signing/sha256.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <exception>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <unordered_map>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// Coarser than the timestamp tick of ext4, xfs, btrfs, tmpfs, overlayfs (a few milliseconds).
constexpr std::int64_t k_racy_margin_ns = 1'000'000'000;

struct Recorded {
  StatKey stat;
  std::string sha256;
};

std::unordered_map<std::string, Recorded> load_index(const fs::path& path) {
  std::unordered_map<std::string, Recorded> index;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    Recorded recorded;
    StatKey& s = recorded.stat;
    if (!(fields >> s.dev >> s.ino >> s.size >> s.mtime_ns >> s.ctime_ns >> recorded.sha256) ||
        recorded.sha256.size() != 64 || fields.get() != ' ') {
      return {};  // damaged: trust none of it
    }
    std::string source;
    std::getline(fields, source);
    index[source] = std::move(recorded);
  }
  return index;
}

// One open, plain reads into a reused buffer, one close: for a toolchain's many small files an
// ifstream and a zeroed buffer per file cost more than the hashing.
std::string hash_file(const fs::path& path, std::vector<char>& buffer) {
  const Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    throw Error(path, errno_text("cannot open"));
  }
  signing::Sha256 hasher;
  for (;;) {
    const ssize_t got = ::read(fd.get(), buffer.data(), buffer.size());
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw Error(path, errno_text("cannot read"));
    }
    if (got == 0) {
      break;
    }
    hasher.update(buffer.data(), static_cast<std::size_t>(got));
  }
  return hasher.finish_hex();
}

} // namespace

std::vector<std::string> source_digests(const std::vector<TarEntry>& entries, unsigned threads,
                                        const std::optional<fs::path>& index_path,
                                        DigestStats* stats) {
  timespec now{};
  ::clock_gettime(CLOCK_REALTIME, &now);
  const std::int64_t settled_before =
      static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec - k_racy_margin_ns;
  const auto index = index_path ? load_index(*index_path)
                                : std::unordered_map<std::string, Recorded>{};
  std::vector<std::string> digests(entries.size());
  std::vector<std::optional<StatKey>> seen(entries.size());
  std::vector<bool> from_index(entries.size(), false);
  std::vector<std::size_t> files;  // to hash
  DigestStats counts;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].kind != TarEntry::Kind::File || entries[i].content) {
      continue;
    }
    const std::string source = entries[i].source.string();
    if (index_path) {
      seen[i] = stat_key(entries[i].source);
      auto recorded = index.find(source);
      if (seen[i] && recorded != index.end() && recorded->second.stat == *seen[i]) {
        digests[i] = recorded->second.sha256;
        from_index[i] = true;
        ++counts.by_stat;
        continue;
      }
    }
    files.push_back(i);
  }
  counts.hashed = files.size();

  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  threads = static_cast<unsigned>(
      std::min<std::size_t>(threads, std::max<std::size_t>(1, files.size())));
  std::atomic<std::size_t> next{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  auto work = [&] {
    std::vector<char> buffer(1 << 20);
    for (std::size_t i = next++; i < files.size(); i = next++) {
      try {
        digests[files[i]] = hash_file(entries[files[i]].source, buffer);
      } catch (const std::exception& e) {
        std::lock_guard lock(error_mutex);
        if (!error) {
          error = std::make_exception_ptr(Error(std::string(), e.what()));
        }
        next = files.size();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) {
    pool.emplace_back(work);
  }
  work();
  for (auto& thread : pool) {
    thread.join();
  }
  if (error) {
    std::rethrow_exception(error);
  }
  if (stats != nullptr) {
    *stats = counts;
  }
  if (!index_path) {
    return digests;
  }

  // The new index: every file whose stat held still while it was hashed and is settled.
  std::string text;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    if (!seen[i] || digests[i].empty()) continue;
    const StatKey& s = *seen[i];
    if (!from_index[i] &&
        (std::max(s.mtime_ns, s.ctime_ns) >= settled_before || stat_key(entries[i].source) != s)) {
      continue;  // racy, or changed while it was hashed: hashed again next time
    }
    text += std::to_string(s.dev) + " " + std::to_string(s.ino) + " " + std::to_string(s.size) +
            " " + std::to_string(s.mtime_ns) + " " + std::to_string(s.ctime_ns) + " " +
            digests[i] + " " + entries[i].source.string() + "\n";
  }
  try {
    fs::create_directories(index_path->parent_path());
    write_file_atomically(*index_path, text);
  } catch (const std::exception&) {
    // Best effort: an index that cannot be written only means hashing next time.
  }
  return digests;
}

} // namespace distbuild::builder
