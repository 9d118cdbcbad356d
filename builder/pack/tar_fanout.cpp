// Producer/consumer plumbing of write_tarballs(); see tar_fanout.hpp. The producer (the calling
// thread) cuts the tar stream into fixed 1 MiB chunks; chunk boundaries therefore never depend on
// timing, and each encoder sees exactly the same byte sequence in the same calls.
#include "builder/pack/tar_fanout.hpp"

#include "builder/pack/compressor.hpp"
#include "builder/tree/error.hpp"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

namespace distbuild::builder {

namespace {

constexpr std::size_t k_chunk_size = 1 << 20;
// Bounded: memory stays at a few MiB per format however far an encoder falls behind.
constexpr std::size_t k_queue_depth = 8;

using Chunk = std::shared_ptr<const std::vector<char>>;

class ChunkQueue {
public:
  // False when the consumer gave up.
  bool push(Chunk chunk) {
    std::unique_lock lock(m_mutex);
    m_not_full.wait(lock, [&] { return m_items.size() < k_queue_depth || m_aborted; });
    if (m_aborted) {
      return false;
    }
    m_items.push_back(std::move(chunk));
    m_not_empty.notify_one();
    return true;
  }

  // False at the end of the stream or after abort().
  bool pop(Chunk& chunk) {
    std::unique_lock lock(m_mutex);
    m_not_empty.wait(lock, [&] { return !m_items.empty() || m_closed || m_aborted; });
    if (m_aborted || m_items.empty()) {
      return false;
    }
    chunk = std::move(m_items.front());
    m_items.pop_front();
    m_not_full.notify_one();
    return true;
  }

  void close() {
    std::lock_guard lock(m_mutex);
    m_closed = true;
    m_not_empty.notify_all();
  }

  void abort() {
    std::lock_guard lock(m_mutex);
    m_aborted = true;
    m_not_empty.notify_all();
    m_not_full.notify_all();
  }

  bool aborted() {
    std::lock_guard lock(m_mutex);
    return m_aborted;
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_not_full;
  std::condition_variable m_not_empty;
  std::deque<Chunk> m_items;
  bool m_closed = false;
  bool m_aborted = false;
};

// Lets the producer report progress while it waits for the encoders to finish.
struct Finished {
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t lanes = 0;
};

struct Lane {
  Format format;
  std::unique_ptr<OutputSink> sink;
  std::unique_ptr<Encoder> encoder;
  ChunkQueue queue;
  std::exception_ptr error;
  std::thread thread;
};

void run_lane(Lane& lane, Finished& finished) {
  struct Announce {
    Finished& finished;
    ~Announce() {
      std::lock_guard lock(finished.mutex);
      ++finished.lanes;
      finished.changed.notify_all();
    }
  } announce{finished};
  try {
    Chunk chunk;
    while (lane.queue.pop(chunk)) {
      lane.encoder->write(chunk->data(), chunk->size());
    }
    if (!lane.queue.aborted()) {
      lane.encoder->finish();
      lane.sink->finish();
    }
  } catch (...) {
    lane.error = std::current_exception();
    lane.queue.abort();
  }
}

// Raised in the producer when an encoder stopped; the encoder's own error is reported instead.
struct LaneStopped {};

unsigned resolve_threads(unsigned threads) {
  if (threads != 0) {
    return threads;
  }
  unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : cores;
}

} // namespace

TarballSet write_tarballs(const std::vector<TarEntry>& entries,
                          const std::filesystem::path& output_stem,
                          const std::vector<Format>& formats, Profile profile,
                          std::int64_t file_mtime, unsigned threads,
                          const std::function<void(std::uint64_t)>& on_progress) {
  TarballSet result;
  const std::uint64_t tar_size = predicted_tar_size(entries);
  const CompressionSettings settings = compression_settings(profile, tar_size);
  const unsigned workers = resolve_threads(threads);

  std::vector<std::unique_ptr<Lane>> lanes;
  for (Format format : formats) {
    auto lane = std::make_unique<Lane>();
    lane->format = format;
    std::filesystem::path path = output_stem;
    path += "." + std::string(format_extension(format));
    lane->sink = std::make_unique<OutputSink>(path);
    lane->encoder = make_encoder(format, settings, workers, tar_size, *lane->sink);
    lanes.push_back(std::move(lane));
  }

  // Threads are joined on every path out of this scope, errors included.
  struct Joiner {
    std::vector<std::unique_ptr<Lane>>& lanes;
    ~Joiner() {
      for (auto& lane : lanes) {
        if (lane->thread.joinable()) {
          lane->queue.abort();
          lane->thread.join();
        }
      }
    }
  } joiner{lanes};
  Finished finished;
  for (auto& lane : lanes) {
    Lane* raw = lane.get();
    lane->thread = std::thread([raw, &finished] { run_lane(*raw, finished); });
  }
  auto report_progress = [&] {
    if (on_progress) {
      std::uint64_t least = tar_size;
      for (auto& lane : lanes) {
        least = std::min(least, lane->encoder->consumed());
      }
      on_progress(least);
    }
  };

  std::exception_ptr producer_error;
  bool stopped = false;
  try {
    auto chunk = std::make_shared<std::vector<char>>();
    chunk->reserve(k_chunk_size);
    auto publish = [&] {
      Chunk shared = std::move(chunk);
      for (auto& lane : lanes) {
        if (!lane->queue.push(shared)) {
          throw LaneStopped{};
        }
      }
      report_progress();
      chunk = std::make_shared<std::vector<char>>();
      chunk->reserve(k_chunk_size);
    };
    TarWriter tar(
        [&](const char* data, std::size_t size) {
          while (size > 0) {
            std::size_t take = std::min(size, k_chunk_size - chunk->size());
            chunk->insert(chunk->end(), data, data + take);
            data += take;
            size -= take;
            if (chunk->size() == k_chunk_size) {
              publish();
            }
          }
        },
        file_mtime);
    for (const TarEntry& entry : entries) {
      tar.add(entry);
    }
    tar.close();
    if (!chunk->empty()) {
      publish();
    }
    result.tar_bytes = tar.bytes_written();
    if (result.tar_bytes != tar_size) {
      throw Error(output_stem, "internal error: tar is " + std::to_string(result.tar_bytes) +
                                   " bytes, expected " + std::to_string(tar_size));
    }
    for (auto& lane : lanes) {
      lane->queue.close();
    }
  } catch (const LaneStopped&) {
    stopped = true; // the lane's own error is rethrown below
  } catch (...) {
    producer_error = std::current_exception();
  }
  if (producer_error || stopped) {
    for (auto& lane : lanes) {
      lane->queue.abort();
    }
  } else if (on_progress) {
    // The encoders may still hold most of the tar (xz's threads take blocks ahead).
    std::unique_lock lock(finished.mutex);
    while (finished.lanes < lanes.size()) {
      finished.changed.wait_for(lock, std::chrono::milliseconds(100));
      lock.unlock();
      report_progress();
      lock.lock();
    }
  }
  for (auto& lane : lanes) {
    lane->thread.join();
  }
  for (auto& lane : lanes) {
    if (lane->error) {
      std::rethrow_exception(lane->error);
    }
  }
  if (producer_error) {
    std::rethrow_exception(producer_error);
  }

  // All complete: publish them together, and take back any already renamed if one rename fails.
  std::vector<std::filesystem::path> committed;
  try {
    for (auto& lane : lanes) {
      lane->sink->commit();
      committed.push_back(lane->sink->path());
      result.files.push_back(
          PackedFile{lane->format, lane->sink->path(), lane->sink->size(), lane->sink->sha256()});
    }
  } catch (...) {
    for (const auto& path : committed) {
      std::error_code ignored;
      std::filesystem::remove(path, ignored);
    }
    throw;
  }
  return result;
}

} // namespace distbuild::builder
