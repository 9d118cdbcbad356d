// The key directory (key_store.hpp). Files are created with O_EXCL and mode 0600 before a byte
// is written, so a private key is never readable by others even for a moment.
#include "builder/tuf/key_store.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/tree/error.hpp"
#include "signing/signer_setup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

namespace distbuild::builder::tuf {

namespace fs = std::filesystem;

fs::path default_keys_dir() {
  return signing::default_distbuild_gnupg_home().parent_path() / "tuf-keys";
}

namespace {

void make_private_dir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw Error(dir, "cannot create: " + ec.message());
  }
  if (::chmod(dir.c_str(), 0700) != 0) {
    throw Error(dir, errno_text("cannot make it private (chmod 0700)"));
  }
}

void write_private_file(const fs::path& file, const std::string& bytes) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    throw Error(file, errno_text("cannot create"));
  }
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) {
      continue;
    }
    if (wrote <= 0) {
      std::string why = errno_text("write failed");
      ::close(fd);
      ::unlink(file.c_str());
      throw Error(file, why);
    }
    done += static_cast<std::size_t>(wrote);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(file.c_str());
    throw Error(file, errno_text("cannot save"));
  }
}

} // namespace

StoredKey create_key(const fs::path& dir, Role role, const std::string& passphrase) {
  make_private_dir(dir);
  signing::Ed25519Key key = signing::Ed25519Key::generate();
  fs::path file = dir / (role_name(role) + "-" + key.key_id() + ".pem");
  write_private_file(file, key.to_pem(passphrase));
  return {std::move(key), file};
}

std::optional<StoredKey> find_key(const std::vector<fs::path>& dirs, const std::string& keyid,
                                  const std::string& passphrase) {
  for (const fs::path& dir : dirs) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      std::string name = entry.path().filename().string();
      if (!name.ends_with("-" + keyid + ".pem")) {
        continue;
      }
      signing::Ed25519Key key =
          signing::Ed25519Key::from_pem(read_file(entry.path()), passphrase, entry.path().string());
      if (key.key_id() != keyid) {
        throw Error(entry.path(), "holds key " + key.key_id() + ", not the " + keyid +
                                      " its name says");
      }
      return StoredKey{std::move(key), entry.path()};
    }
  }
  return std::nullopt;
}

} // namespace distbuild::builder::tuf
