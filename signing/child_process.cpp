// See child_process.hpp.
#include "signing/child_process.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>  // environ (glibc, _GNU_SOURCE)

#include <array>
#include <cerrno>
#include <utility>

namespace distbuild::signing {

namespace {

// The two ends of the pipe stdout goes through, closed when they go.
class PipeEnd {
public:
  explicit PipeEnd(int fd) : m_fd(fd) {}
  ~PipeEnd() { close(); }
  PipeEnd(const PipeEnd&) = delete;
  PipeEnd& operator=(const PipeEnd&) = delete;
  int get() const { return m_fd; }
  void close() {
    if (m_fd >= 0) {
      ::close(std::exchange(m_fd, -1));
    }
  }

private:
  int m_fd;
};

// posix_spawn wants char* arrays ending in a null pointer.
std::vector<char*> pointers_to(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& text : strings) {
    pointers.push_back(text.data());
  }
  pointers.push_back(nullptr);
  return pointers;
}

} // namespace

ChildOutput run_quietly(const std::filesystem::path& program, const std::vector<std::string>& args,
                        const std::optional<std::vector<std::string>>& env) noexcept {
  ChildOutput result;
  try {
    std::vector<std::string> argv_text{program.string()};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv = pointers_to(argv_text);
    std::vector<std::string> env_text = env.value_or(std::vector<std::string>{});
    std::vector<char*> envp = pointers_to(env_text);

    int fds[2] = {-1, -1};
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      return result;
    }
    PipeEnd read_end(fds[0]);
    PipeEnd write_end(fds[1]);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, write_end.get(), 1);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(),
                               env ? envp.data() : environ);
    posix_spawn_file_actions_destroy(&actions);
    write_end.close();  // so the read below ends when the child's copy closes
    if (rc != 0) {
      return result;
    }
    std::array<char, 4096> buffer{};
    while (true) {
      const ssize_t n = ::read(read_end.get(), buffer.data(), buffer.size());
      if (n > 0) {
        result.out.append(buffer.data(), static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        break;
      }
    }
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.ran = true;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } catch (...) {
    // Out of memory building the arguments: reported as not run.
  }
  return result;
}

} // namespace distbuild::signing
