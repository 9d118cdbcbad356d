// See input_version.hpp. The rustc run is bounded: its output is read to the end and the
// process waited for; rustc -vV neither reads stdin (given /dev/null) nor runs long.
#include "builder/release/input_version.hpp"

#include "cross/elf_check.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <regex>

extern char** environ;

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) {
      ::close(fd);
    }
  }
};

// stdout of `program args...` with LD_LIBRARY_PATH=lib_dir; nullopt when it cannot run or exits
// non-zero.
std::optional<std::string> run_for_output(const fs::path& program, const std::vector<std::string>& args,
                                          const fs::path& lib_dir) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) {
    return std::nullopt;
  }
  Fd read_end{fds[0]};
  Fd write_end{fds[1]};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, write_end.fd, 1);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<std::string> env_text;
  for (char** e = environ; *e != nullptr; ++e) {
    if (!std::string(*e).starts_with("LD_LIBRARY_PATH=")) {
      env_text.emplace_back(*e);
    }
  }
  env_text.push_back("LD_LIBRARY_PATH=" + lib_dir.string());
  std::vector<char*> env;
  for (auto& entry : env_text) {
    env.push_back(entry.data());
  }
  env.push_back(nullptr);
  std::vector<std::string> argv_text{program.string()};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_text) {
    argv.push_back(arg.data());
  }
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), env.data());
  posix_spawn_file_actions_destroy(&actions);
  ::close(write_end.fd);
  write_end.fd = -1;
  if (rc != 0) {
    return std::nullopt;
  }
  std::string out;
  char buffer[4096];
  for (ssize_t got; (got = ::read(read_end.fd, buffer, sizeof buffer)) != 0;) {
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    out.append(buffer, static_cast<std::size_t>(got));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return std::nullopt;
  }
  return out;
}

std::string head_of(const fs::path& file, std::size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

bool shares_rust_version(const std::string& package) {
  return package == "rustc" || package == "rust-std" || package == "rust-src" ||
         package == "rust-docs" || package == "rustc-dev";
}

} // namespace

std::string InputVersion::commit_date() const {
  static const std::regex k_date(R"(\([0-9a-f]+ (\d{4}-\d{2}-\d{2})\))");
  std::smatch match;
  return std::regex_search(text, match, k_date) ? match[1].str() : "";
}

std::optional<std::string> version_after_rustc(const std::string& text) {
  static const std::regex k_version(
      R"(rustc (\d+\.\d+\.\d+(-[a-z]+(\.\d+)?)?( \([0-9a-f]+ \d{4}-\d{2}-\d{2}\))?))");
  std::smatch match;
  if (!std::regex_search(text, match, k_version)) {
    return std::nullopt;
  }
  return match[1].str();
}

std::optional<InputVersion> find_input_version(const std::vector<ComponentSource>& sources) {
  for (const auto& source : sources) {
    if (source.version && shares_rust_version(source.package)) {
      return InputVersion{*source.version, source.package + "'s version file in " + source.origin};
    }
  }
  for (const auto& source : sources) {
    if (source.package != "rustc" || !source.image_dir) {
      continue;
    }
    const fs::path rustc = *source.image_dir / "bin" / "rustc";
    std::error_code ec;
    if (!fs::is_regular_file(rustc, ec) || !cross::runs_on_this_machine(rustc)) {
      continue;
    }
    if (auto out = run_for_output(rustc, {"-vV"}, *source.image_dir / "lib")) {
      if (auto text = version_after_rustc(*out)) {
        return InputVersion{*text, "`rustc -vV` of " + source.origin};
      }
    }
  }
  for (const auto& source : sources) {
    if (source.package != "rust-std" || !source.image_dir) {
      continue;
    }
    const fs::path lib = *source.image_dir / "lib/rustlib" / source.target / "lib";
    std::error_code ec;
    std::vector<fs::path> rlibs;
    for (const auto& entry : fs::directory_iterator(lib, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("libcore-") && name.ends_with(".rlib")) {
        rlibs.push_back(entry.path());
      }
    }
    std::sort(rlibs.begin(), rlibs.end());
    for (const auto& rlib : rlibs) {
      if (auto text = version_after_rustc(head_of(rlib, 64 * 1024))) {
        return InputVersion{*text, "the metadata of " + source.origin + "'s " +
                                       rlib.filename().string()};
      }
    }
  }
  return std::nullopt;
}

} // namespace distbuild::builder
