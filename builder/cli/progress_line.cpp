// See progress_line.hpp. Pack threads call advanced() once per 1 MiB of tar; it reads the clock
// and one atomic and returns unless a redraw is due, and then only try_lock()s, so a slow
// terminal never holds up an encoder.
#include "builder/cli/progress_line.hpp"

#include "builder/cli/report.hpp"
#include "builder/tree/human_units.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>
#include <iostream>

namespace distbuild::cli {

namespace {

constexpr const char* k_clear = "\r\033[K";

std::int64_t ticks(std::chrono::steady_clock::time_point when) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(when.time_since_epoch()).count();
}

double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string outputs_text(const builder::StepResult& result) {
  std::string text;
  for (const builder::StepOutput& output : result.outputs) {
    text += (text.empty() ? "" : " ") + output.label + " " +
            builder::human_bytes(double(output.bytes));
  }
  return text;
}

} // namespace

ProgressLineOptions stderr_progress_options(const Context& ctx) {
  ProgressLineOptions options;
  options.verbose = ctx.verbose;
  if (ctx.quiet || ctx.json) {
    options.mode = ProgressMode::Silent;
  } else if (is_tty_stderr()) {
    options.mode = ProgressMode::Live;
    winsize size{};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0) {
      options.width = size.ws_col;
    }
  } else {
    options.mode = ProgressMode::Lines;
  }
  return options;
}

ProgressLine::ProgressLine(std::ostream& out, ProgressLineOptions options)
    : m_out(out), m_options(std::move(options)) {}

ProgressLine::~ProgressLine() {
  std::lock_guard lock(m_mutex);
  clear_locked();
}

void ProgressLine::log(const std::string& line) {
  std::lock_guard lock(m_mutex);
  if (m_options.mode == ProgressMode::Lines ||
      (m_options.mode == ProgressMode::Live && m_options.verbose)) {
    print_locked(line);
  }
}

void ProgressLine::clear() {
  std::lock_guard lock(m_mutex);
  clear_locked();
}

void ProgressLine::expect(std::size_t steps) {
  std::lock_guard lock(m_mutex);
  m_expected = steps;
  m_started = 0;
}

void ProgressLine::started(builder::ProgressTask& task) {
  if (m_options.mode == ProgressMode::Silent) {
    return;
  }
  std::lock_guard lock(m_mutex);
  const TimePoint now = m_options.now();
  task.set_started(now);
  m_active.push_back(&task);
  ++m_started;
  if (m_options.mode == ProgressMode::Lines || m_options.verbose) {
    print_locked("packing " + task.name() + " (" + builder::human_bytes(double(task.total())) +
                 ")");
  }
  draw_locked(now);
}

void ProgressLine::advanced(const builder::ProgressTask&) {
  if (m_options.mode != ProgressMode::Live) {
    return;
  }
  const TimePoint now = m_options.now();
  if (ticks(now) < m_next_draw.load(std::memory_order_relaxed)) {
    return;
  }
  std::unique_lock lock(m_mutex, std::try_to_lock);
  if (lock.owns_lock() && ticks(now) >= m_next_draw.load(std::memory_order_relaxed)) {
    draw_locked(now);
  }
}

void ProgressLine::finished(const builder::ProgressTask& task, const builder::StepResult& result) {
  if (m_options.mode == ProgressMode::Silent) {
    return;
  }
  std::lock_guard lock(m_mutex);
  const TimePoint now = m_options.now();
  m_active.erase(std::remove(m_active.begin(), m_active.end(), &task), m_active.end());
  // A failed step prints nothing: its error is reported once, by run().
  if (result.ok && (m_options.mode == ProgressMode::Lines || m_options.verbose)) {
    std::string line;
    if (result.from_cache) {
      line = "packed " + task.name() + ": unchanged, taken from the cache, " + outputs_text(result);
    } else {
      const double seconds = seconds_between(task.started(), now);
      line = "packed " + task.name() + " in " + builder::elapsed_duration(seconds);
      if (m_options.verbose && seconds > 0) {
        line += " (" + builder::human_rate(double(task.total()) / seconds) + ")";
      }
      line += ", " + outputs_text(result);
    }
    print_locked(line);
  }
  if (m_active.empty()) {
    clear_locked();
  } else {
    draw_locked(now);
  }
}

std::string ProgressLine::status(TimePoint now) {
  std::lock_guard lock(m_mutex);
  return status_locked(now);
}

std::string ProgressLine::status_locked(TimePoint now) const {
  if (m_active.empty()) {
    return {};
  }
  std::string prefix = "packing ";
  if (m_expected > 0) {
    prefix += std::to_string(m_started) + " of " + std::to_string(m_expected) + ": ";
  }
  std::string names;
  std::uint64_t done = 0;
  std::uint64_t total = 0;
  double rate = 0;  // all active steps together
  for (const builder::ProgressTask* task : m_active) {
    names += (names.empty() ? "" : ", ") + task->name();
    const std::uint64_t task_done = std::min(task->done(), task->total());
    done += task_done;
    total += task->total();
    const double seconds = seconds_between(task->started(), now);
    if (seconds > 0) {
      rate += double(task_done) / seconds;
    }
  }
  std::string stats = "  " + builder::human_bytes(double(done)) + "/" +
                      builder::human_bytes(double(total)) + " " +
                      std::to_string(total == 0 ? 100 : done * 100 / total) + "%";
  if (rate > 0) {
    stats += " " + builder::human_rate(rate) + " ETA " +
             builder::clock_duration(double(total - done) / rate);
  }
  // Never wider than the terminal: a wrapped line cannot be rewritten with "\r".
  if (m_options.width > 0) {
    const std::size_t room = m_options.width - 1;
    const std::size_t fixed = prefix.size() + stats.size();
    if (fixed + names.size() > room) {
      const std::size_t keep = room > fixed + 3 ? room - fixed - 3 : 0;
      names = names.substr(0, keep) + "...";
    }
    std::string line = prefix + names + stats;
    return line.size() > room ? line.substr(0, room) : line;
  }
  return prefix + names + stats;
}

void ProgressLine::draw_locked(TimePoint now) {
  if (m_options.mode != ProgressMode::Live || m_active.empty()) {
    return;
  }
  m_next_draw.store(ticks(now + m_options.interval), std::memory_order_relaxed);
  m_out << k_clear << status_locked(now) << std::flush;
  m_shown = true;
}

void ProgressLine::clear_locked() {
  if (m_shown) {
    m_out << k_clear << std::flush;
    m_shown = false;
  }
}

void ProgressLine::print_locked(const std::string& line) {
  const bool redraw = m_shown;
  clear_locked();
  m_out << "distbuild: " << line << "\n" << std::flush;
  if (redraw) {
    draw_locked(m_options.now());
  }
}

} // namespace distbuild::cli
