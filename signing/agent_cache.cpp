// forget_cached_passphrases(): gpg-connect-agent with one CLEAR_PASSPHRASE per keygrip (see
// agent_cache.hpp for why).
#include "signing/agent_cache.hpp"

#include "signing/gpgme_handles.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>  // environ (glibc, _GNU_SOURCE)

#include <cerrno>
#include <string>
#include <vector>

namespace distbuild::signing {

void forget_cached_passphrases(const std::optional<std::filesystem::path>& gnupg_home,
                               gpgme_key_t key) noexcept {
  try {
    if (key == nullptr) {
      return;
    }
    initialise_gpgme();
    const char* bindir = gpgme_get_dirinfo("bindir");
    if (bindir == nullptr) {
      return;
    }
    std::vector<std::string> args{std::string(bindir) + "/gpg-connect-agent", "--no-autostart"};
    if (gnupg_home) {
      args.insert(args.end(), {"--homedir", gnupg_home->string()});
    }
    bool any = false;
    for (gpgme_subkey_t sub = key->subkeys; sub != nullptr; sub = sub->next) {
      if (sub->keygrip != nullptr) {
        args.push_back(std::string("CLEAR_PASSPHRASE --mode=normal ") + sub->keygrip);
        any = true;
      }
    }
    if (!any) {
      return;
    }
    args.push_back("/bye");
    std::vector<char*> argv;
    for (std::string& arg : args) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc == 0) {
      int status = 0;
      while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
    }
  } catch (...) {
    // Cleanup on the way out must not mask the real outcome.
  }
}

} // namespace distbuild::signing
