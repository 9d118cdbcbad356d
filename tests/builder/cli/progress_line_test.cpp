// The progress renderer with a fake clock and a string stream: what a terminal and a log see.
#include "builder/cli/progress_line.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace distbuild::cli {

namespace {

using namespace std::chrono_literals;
using TimePoint = std::chrono::steady_clock::time_point;

struct FakeClock {
  TimePoint now{std::chrono::seconds(1000)};
  ProgressLineOptions::Clock fn() {
    return [this] { return now; };
  }
};

ProgressLineOptions options(FakeClock& clock, ProgressMode mode, bool verbose = false) {
  ProgressLineOptions result;
  result.mode = mode;
  result.verbose = verbose;
  result.now = clock.fn();
  return result;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
    ++n;
  }
  return n;
}

builder::StepResult packed(bool from_cache = false) {
  return {true, from_cache, {{"gz", 120'000'000}, {"xz", 80'000'000}}};
}

} // namespace

TEST(ProgressLine, LiveLineShowsBytesPercentRateAndEta) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Live));
  builder::ProgressTask task("rustc-1.95.0", 2'000'000'000);
  line.started(task);
  EXPECT_EQ(out.str(), "\r\033[Kpacking rustc-1.95.0  0 B/2.0 GB 0%");
  clock.now += 20s;
  task.set_done(900'000'000);
  line.advanced(task);
  EXPECT_EQ(line.status(clock.now), "packing rustc-1.95.0  900 MB/2.0 GB 45% 45 MB/s ETA 0:25");
  EXPECT_NE(out.str().find("\r\033[Kpacking rustc-1.95.0  900 MB/2.0 GB 45% 45 MB/s ETA 0:25"),
            std::string::npos);
  EXPECT_EQ(out.str().find('\n'), std::string::npos);  // rewritten in place, never a new line
}

TEST(ProgressLine, RedrawsAtMostTenTimesASecond) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Live));
  builder::ProgressTask task("rust-std", 1'000'000'000);
  line.started(task);
  for (int i = 0; i < 1000; ++i) {  // one chunk every millisecond for one second
    clock.now += 1ms;
    task.set_done((i + 1) * 1'000'000ull);
    line.advanced(task);
  }
  // The first draw at start, then one per 100 ms.
  EXPECT_EQ(count(out.str(), "\r\033[K"), 11u);
}

TEST(ProgressLine, AggregatesConcurrentSteps) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Live));
  line.expect(9);
  builder::ProgressTask rustc("rustc", 1'200'000'000);
  builder::ProgressTask std_("rust-std", 800'000'000);
  line.started(rustc);
  line.started(std_);
  clock.now += 10s;
  rustc.set_done(800'000'000);
  std_.set_done(400'000'000);
  // 80 MB/s + 40 MB/s; 800 MB left at 120 MB/s.
  EXPECT_EQ(line.status(clock.now),
            "packing 2 of 9: rustc, rust-std  1.2 GB/2.0 GB 60% 120 MB/s ETA 0:07");
  line.finished(rustc, packed());
  EXPECT_EQ(line.status(clock.now), "packing 2 of 9: rust-std  400 MB/800 MB 50% 40 MB/s ETA 0:10");
}

TEST(ProgressLine, FitsTheTerminalWidth) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLineOptions opts = options(clock, ProgressMode::Live);
  opts.width = 40;
  ProgressLine line(out, opts);
  builder::ProgressTask task("rust-std-1.95.0-x86_64-unknown-linux-gnu", 1'000'000);
  line.started(task);
  const std::string status = line.status(clock.now);
  EXPECT_EQ(status, "packing rust-std-1.95...  0 B/1.0 MB 0%");
  EXPECT_LE(status.size(), 39u);
}

TEST(ProgressLine, ClearsTheLineWhenTheLastStepEnds) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Live));
  builder::ProgressTask task("cargo", 1000);
  line.started(task);
  task.set_done(1000);
  clock.now += 1s;
  line.finished(task, packed());
  const std::string text = out.str();
  ASSERT_GE(text.size(), 4u);
  EXPECT_EQ(text.substr(text.size() - 4), "\r\033[K");
  out.str("");
  line.clear();  // nothing shown: nothing written, and nothing again from the destructor
  EXPECT_EQ(out.str(), "");
}

TEST(ProgressLine, VerboseLogsPrintAboveTheLiveLine) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine quiet_line(out, options(clock, ProgressMode::Live));
  quiet_line.log("gather sources");
  EXPECT_EQ(out.str(), "");  // on a terminal step logs need --verbose

  ProgressLine line(out, options(clock, ProgressMode::Live, true));
  builder::ProgressTask task("cargo", 1000);
  line.started(task);
  out.str("");
  line.log("sign with ABC");
  EXPECT_EQ(out.str(), "\r\033[Kdistbuild: sign with ABC\n\r\033[Kpacking cargo  0 B/1.0 kB 0%");
  line.finished(task, builder::StepResult{});
}

TEST(ProgressLine, PlainLinesHaveNoCarriageReturn) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Lines));
  line.log("gather sources");
  builder::ProgressTask task("rustc-1.95.0-x86_64-unknown-linux-gnu", 402'000'000);
  line.started(task);
  clock.now += 12300ms;
  task.set_done(402'000'000);
  line.advanced(task);
  line.finished(task, packed());
  builder::ProgressTask cached("cargo", 1000);
  line.started(cached);
  line.finished(cached, packed(true));
  EXPECT_EQ(out.str(),
            "distbuild: gather sources\n"
            "distbuild: packing rustc-1.95.0-x86_64-unknown-linux-gnu (402 MB)\n"
            "distbuild: packed rustc-1.95.0-x86_64-unknown-linux-gnu in 12.3 s, "
            "gz 120 MB xz 80 MB\n"
            "distbuild: packing cargo (1.0 kB)\n"
            "distbuild: packed cargo: unchanged, taken from the cache, gz 120 MB xz 80 MB\n");
}

TEST(ProgressLine, VerboseLinesAddTheRate) {
  FakeClock clock;
  std::ostringstream out;
  ProgressLine line(out, options(clock, ProgressMode::Lines, true));
  builder::ProgressTask task("rustc", 400'000'000);
  line.started(task);
  clock.now += 10s;
  line.finished(task, packed());
  EXPECT_NE(out.str().find("packed rustc in 10.0 s (40 MB/s), gz"), std::string::npos);
}

TEST(ProgressLine, SilentWritesNothingAndFailedStepsPrintNothing) {
  FakeClock clock;
  std::ostringstream out;
  {
    ProgressLine line(out, options(clock, ProgressMode::Silent));
    line.log("gather sources");
    builder::ProgressTask task("rustc", 1000);
    line.started(task);
    line.advanced(task);
    line.finished(task, packed());
  }
  EXPECT_EQ(out.str(), "");
  ProgressLine lines(out, options(clock, ProgressMode::Lines));
  {
    builder::ProgressScope scope(&lines, "rustc", 1000);  // left by an exception: failed
  }
  EXPECT_EQ(out.str(), "distbuild: packing rustc (1.0 kB)\n");
}

} // namespace distbuild::cli
