// Progress of long steps (packing: bytes of tar written), reported by the pipeline and drawn by
// the command front (builder/cli/progress_line.hpp: a live line on a TTY, plain lines in logs).
// The pipeline only counts: ProgressTask::set_done() is one relaxed atomic store per 1 MiB chunk
// (and per 100 ms while encoders finish) plus a call the sink throttles itself, so reporting
// never slows packing. `dist` packs several
// components at once, so a sink is called from several threads and must be thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace distbuild::builder {

class ProgressTask {
public:
  ProgressTask(std::string name, std::uint64_t total)
      : m_name(std::move(name)), m_total(total), m_started(std::chrono::steady_clock::now()) {}
  const std::string& name() const { return m_name; }
  std::uint64_t total() const { return m_total; }
  std::uint64_t done() const { return m_done.load(std::memory_order_relaxed); }
  std::chrono::steady_clock::time_point started() const { return m_started; }
  void set_started(std::chrono::steady_clock::time_point when) { m_started = when; }
  void set_done(std::uint64_t bytes) { m_done.store(bytes, std::memory_order_relaxed); }

private:
  std::string m_name;
  std::uint64_t m_total;
  std::atomic<std::uint64_t> m_done{0};
  std::chrono::steady_clock::time_point m_started;
};

// What a finished step produced, for the "done" line.
struct StepOutput {
  std::string label;  // "gz", "xz", "zst"
  std::uint64_t bytes = 0;
};

struct StepResult {
  bool ok = false;           // false: the step threw (its error is reported elsewhere)
  bool from_cache = false;   // nothing was compressed
  std::vector<StepOutput> outputs;
};

class ProgressSink {
public:
  virtual ~ProgressSink() = default;
  // How many steps the run will report (dist: the images to pack); 0 = unknown.
  virtual void expect(std::size_t steps) = 0;
  // `task` stays alive and at the same address until finished() returns.
  virtual void started(ProgressTask& task) = 0;
  // Called after task.set_done(); often and from pack threads: must be cheap and thread-safe.
  virtual void advanced(const ProgressTask& task) = 0;
  virtual void finished(const ProgressTask& task, const StepResult& result) = 0;
};

// One step reported to a sink (or to nothing when the sink is null): started on construction,
// finished by finish() or, when an exception leaves the scope, as failed.
class ProgressScope {
public:
  ProgressScope(ProgressSink* sink, std::string name, std::uint64_t total);
  ~ProgressScope();
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

  // `done`: bytes of the step's `total` done so far.
  void update(std::uint64_t done) {
    if (m_sink != nullptr) {
      m_task.set_done(done);
      m_sink->advanced(m_task);
    }
  }
  void finish(const StepResult& result);

private:
  ProgressSink* m_sink;
  ProgressTask m_task;
  bool m_finished = false;
};

} // namespace distbuild::builder
