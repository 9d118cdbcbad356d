// Packing a release's components (pack_jobs.hpp).
#include "builder/release/pack_jobs.hpp"

#include "builder/pack/pack_cache.hpp"
#include "builder/release/pack_schedule.hpp"
#include "builder/tree/disk_usage.hpp"
#include "builder/tree/dist_tree.hpp"
#include "builder/tree/error.hpp"
#include "manifest/artifact_format.hpp"
#include "signing/sha256.hpp"
#include "targets/components.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

void log_line(const PackJobOptions& options, const std::string& line) {
  if (options.log) {
    options.log(line);
  }
}

} // namespace

namespace {

PackRequest dist_pack_request(const PackJobOptions& options, const ComponentSource& source,
                              const targets::ComponentKind& kind, const std::string& label,
                              const fs::path& staging,
                              const std::optional<fs::path>& cache_dir) {
  PackRequest request;
  request.package_name = targets::tarball_stem(kind, label, source.target);
  request.components.push_back({targets::installer_component_name(kind, source.target),
                                *source.image_dir, source.bulk_dirs});
  request.overlay_dir = source.overlay_dir;
  bool overlay_has_version = source.overlay_dir && fs::exists(*source.overlay_dir / "version");
  if (source.version && !overlay_has_version) {
    request.overlay_files["version"] = *source.version + "\n";
  }
  if (source.git_commit_hash &&
      !(source.overlay_dir && fs::exists(*source.overlay_dir / "git-commit-hash"))) {
    request.overlay_files["git-commit-hash"] = *source.git_commit_hash + "\n";
  }
  request.output_dir = staging;
  request.formats = options.formats;
  request.profile = options.profile;
  request.mtime = options.mtime;
  request.threads = options.threads;
  request.script.success_message = std::string(kind.tarball_name) + " installed.";
  request.cache_dir = cache_dir;
  request.progress = options.progress;
  return request;
}

} // namespace

// Image sources are packed largest first, as many at once as plan_pack_slots() allows (cores and
// the memory budget), so no core idles while the last component finishes; unchanged images come from the pack cache (pack_cache.hpp,
// off with --no-cache or DISTBUILD_NO_CACHE=1). Artifacts keep the sources' order whatever
// finishes first.
std::vector<PublishedArtifact> pack_and_collect(const PackJobOptions& options,
                                                const std::vector<ComponentSource>& sources,
                                                const std::string& label,
                                                const fs::path& staging) {
  std::vector<std::vector<PublishedArtifact>> per_source(sources.size());
  std::vector<std::optional<PackRequest>> requests(sources.size());
  const std::optional<fs::path> cache_dir =
      resolve_pack_cache_dir(options.cache_dir, options.no_cache);
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const ComponentSource& source = sources[i];
    auto kind = targets::find_component(source.package);
    if (!kind) {
      throw Error(source.origin, "unknown package " + source.package);
    }
    if (source.image_dir) {
      requests[i] = dist_pack_request(options, source, *kind, label, staging, cache_dir);
      continue;
    }
    for (const auto& [format, path] : source.tarballs) {
      fs::path destination = staging / path.filename();
      auto known = source.known_tarballs.find(format);
      if (known == source.known_tarballs.end()) {
        log_line(options, "take " + path.string());
      } else {
        log_line(options, "take " + path.string() +
                              (known->second.read ? " (facts: hash checked, one read)"
                                                  : " (facts: unchanged since pack, not read)"));
      }
      link_or_copy_atomically(path, destination);
      const std::uint64_t size = fs::file_size(destination);
      std::string hex;
      if (known == source.known_tarballs.end()) {
        hex = signing::sha256_file_hex(destination);
      } else if (size != known->second.size) {
        throw Error(path, "changed while dist was taking it (its facts say " +
                              std::to_string(known->second.size) + " bytes)");
      } else {
        hex = known->second.sha256;
      }
      write_sha256_sidecar(destination, hex);
      per_source[i].push_back({source.package, source.target, format, destination, size, hex,
                               false});
    }
  }

  std::vector<std::pair<std::uint64_t, std::size_t>> order;  // (bytes, source index)
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (requests[i]) {
      order.emplace_back(bytes_under(*sources[i].image_dir), i);
    }
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });

  std::mutex mutex;  // guards the log and `failed`
  bool failed = false;
  std::vector<std::exception_ptr> errors(sources.size());
  std::atomic<std::size_t> next{0};
  auto log = [&](const std::string& line) {
    std::lock_guard lock(mutex);
    log_line(options, line);
  };
  auto worker = [&] {
    for (std::size_t n = next++; n < order.size(); n = next++) {
      const std::size_t i = order[n].second;
      {
        std::lock_guard lock(mutex);
        if (failed) {
          return;
        }
      }
      try {
        const PackRequest& request = *requests[i];
        // A progress sink reports each pack itself (size, time, outputs, cache hits).
        if (options.progress == nullptr) {
          log("pack " + request.package_name);
        }
        PackResult result = pack(request);
        if (result.from_cache && options.progress == nullptr) {
          log("pack " + request.package_name + ": unchanged, taken from the cache");
        }
        if (result.inputs.by_stat + result.inputs.hashed > 0) {
          log("pack " + request.package_name + ": inputs: " +
              std::to_string(result.inputs.by_stat) + " unchanged by stat, " +
              std::to_string(result.inputs.hashed) + " hashed");
        }
        if (result.cache_note) {
          log("pack " + request.package_name + ": " + *result.cache_note);
        }
        for (const auto& file : result.files) {
          write_sha256_sidecar(file.path, file.sha256);
          // A cache hit is a tarball taken as it was, like a --tarballs source: not packed now.
          per_source[i].push_back({sources[i].package, sources[i].target, file.format, file.path,
                                   file.size, file.sha256, !result.from_cache});
        }
      } catch (...) {
        std::lock_guard lock(mutex);
        errors[i] = std::current_exception();
        failed = true;
      }
    }
  };
  std::vector<std::thread> pool;
  std::vector<std::uint64_t> sizes;
  for (const auto& [bytes, index] : order) {
    sizes.push_back(bytes);
  }
  const PackSlots slots =
      plan_pack_slots(options.profile, sizes, options.threads, options.memory_limit);
  if (!order.empty()) {
    log_line(options, "schedule " + std::to_string(order.size()) + " packs: " + slots.describe());
  }
  for (auto& request : requests) {
    if (request) {
      request->threads = slots.threads;
    }
  }
  const unsigned workers = slots.packs;
  if (options.progress != nullptr) {
    options.progress->expect(order.size());
  }
  for (unsigned t = 1; t < workers; ++t) {
    pool.emplace_back(worker);
  }
  worker();
  for (auto& thread : pool) {
    thread.join();
  }
  for (const auto& error : errors) {
    if (error) {
      std::rethrow_exception(error);
    }
  }

  std::vector<PublishedArtifact> artifacts;
  for (auto& list : per_source) {
    for (auto& artifact : list) {
      artifacts.push_back(std::move(artifact));
    }
  }
  return artifacts;
}

void attach_artifacts(manifest::BuiltComponent& component,
                      const std::vector<PublishedArtifact>& artifacts,
                      const std::string& base_url, const std::string& date) {
  for (const auto& artifact : artifacts) {
    const auto member = manifest::format_info(artifact.format).component_ref;
    if (artifact.package != component.package || artifact.target != component.target ||
        member == nullptr) {
      continue;
    }
    component.*member = manifest::ArtifactRef{
        base_url + "/" + date + "/" + artifact.path.filename().string(), artifact.sha256};
  }
}

} // namespace distbuild::builder
