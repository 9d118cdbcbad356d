// How long steps show on stderr (progress.hpp reports them):
//   Live    stderr is a TTY and CI is unset: one status line rewritten in place ("\r", clear to
//           end of line) at most every `interval`, cleared when the last step ends, e.g.
//           "packing 2 of 9: rustc-..., rust-std-...  1.2 GB/2.0 GB 60% 45 MB/s ETA 0:18".
//           Step logs show above it with --verbose only.
//   Lines   not a TTY, or CI set (logs are read later, and "\r" garbles them): one line when a
//           step starts and one when it ends ("distbuild: packing X (402 MB)",
//           "distbuild: packed X in 12.3 s, gz 120 MB xz 80 MB"), and every step log.
//   Silent  --quiet or --json: nothing; errors are printed by run().
// --verbose adds the rate to the end-of-step lines and shows step logs on a TTY.
#pragma once

#include "builder/cli/commands.hpp"
#include "builder/tree/progress.hpp"

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <vector>

namespace distbuild::cli {

enum class ProgressMode { Silent, Lines, Live };

struct ProgressLineOptions {
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  ProgressMode mode = ProgressMode::Lines;
  bool verbose = false;
  unsigned width = 0;                                   // terminal columns; 0 = unlimited
  std::chrono::milliseconds interval{100};              // at most 10 redraws a second
  Clock now = [] { return std::chrono::steady_clock::now(); };
};

// The options for stderr under this invocation's flags and environment (isatty, CI, columns).
ProgressLineOptions stderr_progress_options(const Context& ctx);

class ProgressLine final : public builder::ProgressSink {
public:
  ProgressLine(std::ostream& out, ProgressLineOptions options);
  ~ProgressLine() override;  // clears a live line still shown
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // A step log: "distbuild: <line>" (Live: above the status line, --verbose only).
  void log(const std::string& line);
  // Removes the live line (before printing results on stdout to the same terminal).
  void clear();

  void expect(std::size_t steps) override;
  void started(builder::ProgressTask& task) override;
  void advanced(const builder::ProgressTask& task) override;
  void finished(const builder::ProgressTask& task, const builder::StepResult& result) override;

  // The status line as drawn at `now` (tests); the caller holds no lock.
  std::string status(std::chrono::steady_clock::time_point now);

private:
  using TimePoint = std::chrono::steady_clock::time_point;
  std::string status_locked(TimePoint now) const;
  void draw_locked(TimePoint now);
  void clear_locked();
  void print_locked(const std::string& line);

  std::ostream& m_out;
  ProgressLineOptions m_options;
  std::mutex m_mutex;  // guards everything below and the stream
  std::vector<const builder::ProgressTask*> m_active;
  std::size_t m_expected = 0;
  std::size_t m_started = 0;
  bool m_shown = false;  // a live line is on the terminal
  // Lock-free throttle for advanced(): the clock's count before which nothing is drawn.
  std::atomic<std::int64_t> m_next_draw{0};
};

} // namespace distbuild::cli
