// The checksum cache of build-manifest: a map keyed by canonical path (as upstream's, so a cache
// written by either tool reads in the other), filled by a small pool of threads that take the
// next file from a shared counter. Errors are collected per file and reported together.
#include "builder/compat/build_manifest_checksums.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "signing/sha256.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

std::string canonical_key(const fs::path& file) {
  std::error_code ec;
  fs::path canonical = fs::canonical(file, ec);
  if (ec) {
    throw Error(file, "cannot resolve: " + ec.message());
  }
  return canonical.string();
}

} // namespace

ChecksumCache::ChecksumCache(std::optional<fs::path> cache) : m_path(std::move(cache)) {
  std::error_code ec;
  if (!m_path || !fs::exists(*m_path, ec)) {
    return;
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(read_file(*m_path));
  } catch (const nlohmann::json::exception& e) {
    throw Error(*m_path, std::string("checksum cache is not JSON: ") + e.what());
  }
  if (!json.is_object()) {
    throw Error(*m_path, "checksum cache is not a JSON object of path -> SHA-256");
  }
  for (const auto& [path, hash] : json.items()) {
    if (!hash.is_string()) {
      throw Error(*m_path, "checksum cache entry " + path + " is not a string");
    }
    m_hashes[path] = hash.get<std::string>();
  }
}

void ChecksumCache::fill(const std::vector<fs::path>& files, unsigned threads) {
  std::vector<std::pair<fs::path, std::string>> todo;
  std::set<std::string> queued;
  for (const fs::path& file : files) {
    std::string key = canonical_key(file);
    if (m_hashes.count(key) != 0) {
      ++m_reused;
    } else if (queued.insert(key).second) {
      todo.emplace_back(key, std::string());
    }
  }
  if (threads == 0) {
    threads = std::max(1u, std::thread::hardware_concurrency());
  }
  threads = static_cast<unsigned>(std::min<std::size_t>(threads, todo.size()));
  std::atomic<std::size_t> next{0};
  std::vector<std::string> errors(todo.size());
  auto work = [&] {
    for (std::size_t i = next++; i < todo.size(); i = next++) {
      try {
        todo[i].second = signing::sha256_file_hex(todo[i].first);
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    }
  };
  std::vector<std::jthread> pool;
  for (unsigned i = 1; i < threads; ++i) {
    pool.emplace_back(work);
  }
  work();
  pool.clear();  // joins
  std::string failures;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    if (!errors[i].empty()) {
      failures += (failures.empty() ? "" : "\n  ") + errors[i];
    } else {
      m_hashes[todo[i].first.string()] = todo[i].second;
      ++m_computed;
    }
  }
  if (!failures.empty()) {
    throw Error(std::string(), "cannot hash:\n  " + failures);
  }
}

const std::string& ChecksumCache::hash_of(const fs::path& file) const {
  auto it = m_hashes.find(canonical_key(file));
  if (it == m_hashes.end()) {
    throw Error(file, "no checksum was computed for it");
  }
  return it->second;
}

void ChecksumCache::store() const {
  if (!m_path) {
    return;
  }
  nlohmann::json json = nlohmann::json::object();
  for (const auto& [path, hash] : m_hashes) {
    json[path] = hash;
  }
  write_file_atomically(*m_path, json.dump());
}

} // namespace distbuild::builder
