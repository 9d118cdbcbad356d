// Progress on stderr as people and logs see it: `pack` under a pseudo-terminal draws a line
// rewritten in place (bytes/s, ETA) and clears it; with CI set or without a terminal it prints
// plain lines; --quiet prints nothing; --json keeps stdout one JSON document.
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

extern char** environ;

namespace distbuild {
namespace {

namespace fs = std::filesystem;

struct PtyRun {
  int exit_code = -1;
  std::string tty;  // what the terminal (stderr, and stdin) saw
  std::string out;  // stdout, through a pipe
};

// Runs the distbuild binary with stderr on a fresh 200-column pseudo-terminal and stdout on a
// pipe; `env` is added to this process's environment without CI (set it in `env` to test it).
PtyRun run_on_pty(const std::vector<std::string>& args,
                  const std::map<std::string, std::string>& env = {}) {
  PtyRun result;
  int out_pipe[2];
  if (::pipe(out_pipe) != 0) {
    return result;
  }
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string entry = *e;
    if (entry.rfind("CI=", 0) != 0 && env.count(entry.substr(0, entry.find('='))) == 0) {
      env_strings.push_back(entry);
    }
  }
  for (const auto& [key, value] : env) {
    env_strings.push_back(key + "=" + value);
  }
  std::vector<std::string> argv_strings{testutil::distbuild_binary()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv, envp;
  for (auto& s : argv_strings) {
    argv.push_back(s.data());
  }
  argv.push_back(nullptr);
  for (auto& s : env_strings) {
    envp.push_back(s.data());
  }
  envp.push_back(nullptr);

  winsize size{};
  size.ws_row = 24;
  size.ws_col = 200;
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, &size);
  if (pid < 0) {
    return result;
  }
  if (pid == 0) {
    ::dup2(out_pipe[1], STDOUT_FILENO);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  ::close(out_pipe[1]);
  pollfd fds[2] = {{master, POLLIN, 0}, {out_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.tty, &result.out};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, 60'000) <= 0) {
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) {
        continue;
      }
      char buffer[4096];
      ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {  // EIO on the master once the child has exited
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (const pollfd& fd : fds) {
    if (fd.fd >= 0) {
      ::close(fd.fd);
    }
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

// An image of 16 MB that does not compress, so xz takes well over one redraw interval.
void make_big_image(const fs::path& image) {
  std::mt19937_64 random(42);
  for (int f = 0; f < 4; ++f) {
    std::string bytes(4 << 20, '\0');
    for (std::size_t i = 0; i + 8 <= bytes.size(); i += 8) {
      std::uint64_t value = random();
      std::memcpy(bytes.data() + i, &value, 8);
    }
    testutil::write_file(image / "lib" / ("blob" + std::to_string(f) + ".bin"), bytes);
  }
}

std::vector<std::string> pack_args(const fs::path& image, const fs::path& out,
                                   const std::string& formats) {
  return {"pack", "--image", image.string(), "--component", "blob", "--package", "blob",
          "--version", "1.0.0", "--target", "x86_64-unknown-linux-gnu", "--output-dir",
          out.string(), "--formats", formats, "--profile", "fast"};
}

TEST(ProgressCli, TerminalGetsALineRewrittenInPlaceThenCleared) {
  testutil::TempDir tmp;
  make_big_image(tmp / "img");
  const PtyRun run = run_on_pty(pack_args(tmp / "img", tmp / "out", "xz"));
  ASSERT_EQ(run.exit_code, 0) << run.tty;
  EXPECT_NE(run.tty.find("\r\033[Kpacking blob-1.0.0-x86_64-unknown-linux-gnu  "),
            std::string::npos) << run.tty;
  EXPECT_NE(run.tty.find("/s ETA "), std::string::npos) << run.tty;
  EXPECT_NE(run.tty.find("/17 MB "), std::string::npos) << run.tty;  // the tar's size
  // Every draw rewrites the one line; the last write clears it, so the shell prompt is clean.
  EXPECT_EQ(run.tty.find('\n'), std::string::npos) << run.tty;
  ASSERT_GE(run.tty.size(), 4u);
  EXPECT_EQ(run.tty.substr(run.tty.size() - 4), "\r\033[K");
  EXPECT_NE(run.out.find("blob-1.0.0-x86_64-unknown-linux-gnu.tar.xz"), std::string::npos);
}

TEST(ProgressCli, CiOrNoTerminalGetsPlainLines) {
  testutil::TempDir tmp;
  make_big_image(tmp / "img");
  const PtyRun ci = run_on_pty(pack_args(tmp / "img", tmp / "ci", "gz"), {{"CI", "1"}});
  ASSERT_EQ(ci.exit_code, 0) << ci.tty;
  // The terminal turns "\n" into "\r\n"; no other "\r", and no escape sequence.
  std::string text = ci.tty;
  for (auto pos = text.find("\r\n"); pos != std::string::npos; pos = text.find("\r\n")) {
    text.erase(pos, 1);
  }
  EXPECT_EQ(text.find('\r'), std::string::npos) << ci.tty;
  EXPECT_EQ(text.find('\033'), std::string::npos) << ci.tty;
  EXPECT_NE(text.find("distbuild: packing blob-1.0.0-x86_64-unknown-linux-gnu (17 MB)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("distbuild: packed blob-1.0.0-x86_64-unknown-linux-gnu in "),
            std::string::npos) << text;
  EXPECT_NE(text.find(", gz 17 MB\n"), std::string::npos) << text;

  const auto piped = testutil::run_distbuild(pack_args(tmp / "img", tmp / "piped", "gz"));
  ASSERT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find('\r'), std::string::npos) << piped.err;
  EXPECT_EQ(piped.err.rfind("distbuild: packing blob-1.0.0-x86_64-unknown-linux-gnu (17 MB)\n"
                            "distbuild: packed blob-1.0.0-x86_64-unknown-linux-gnu in ", 0),
            0u) << piped.err;
}

TEST(ProgressCli, QuietAndJsonDrawNothing) {
  testutil::TempDir tmp;
  make_big_image(tmp / "img");
  std::vector<std::string> quiet_args = pack_args(tmp / "img", tmp / "quiet", "gz");
  quiet_args.insert(quiet_args.begin(), "--quiet");
  const PtyRun quiet = run_on_pty(quiet_args);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.tty;
  EXPECT_EQ(quiet.tty, "");
  EXPECT_EQ(quiet.out, "");

  std::vector<std::string> json_args = pack_args(tmp / "img", tmp / "json", "gz");
  json_args.push_back("--json");
  const PtyRun json = run_on_pty(json_args);
  ASSERT_EQ(json.exit_code, 0) << json.tty;
  EXPECT_EQ(json.tty, "");
  const auto doc = nlohmann::json::parse(json.out);  // throws unless stdout is only JSON
  EXPECT_EQ(doc.at("package"), "blob-1.0.0-x86_64-unknown-linux-gnu");
}

} // namespace
} // namespace distbuild
