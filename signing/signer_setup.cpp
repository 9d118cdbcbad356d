// See signer_setup.hpp.
#include "signing/signer_setup.hpp"

#include "signing/error.hpp"
#include "signing/keygen.hpp"
#include "signing/multi_signer.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace distbuild::signing {

namespace fs = std::filesystem;

namespace {

std::string nonempty_env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::string(value) : std::string();
}

} // namespace

std::string GnupgHome::describe() const {
  switch (source) {
  case HomeSource::option:
    return path.string() + " (from --gnupg-home)";
  case HomeSource::environment:
    return path.string() + " (from GNUPGHOME)";
  case HomeSource::distbuild_default:
    break;
  }
  return path.string() + " (distbuild's default)";
}

GnupgHome resolve_gnupg_home(const std::optional<fs::path>& option) {
  if (option && !option->empty()) {
    return GnupgHome{fs::absolute(*option), HomeSource::option};
  }
  if (const std::string env = nonempty_env("GNUPGHOME"); !env.empty()) {
    return GnupgHome{fs::absolute(env), HomeSource::environment};
  }
  return GnupgHome{default_distbuild_gnupg_home(), HomeSource::distbuild_default};
}

fs::path default_distbuild_gnupg_home() {
  const std::string data_home = nonempty_env("XDG_DATA_HOME");
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  if (!data_home.empty() && fs::path(data_home).is_absolute()) {
    return fs::path(data_home) / "distbuild" / "gnupg";
  }
  std::string home = nonempty_env("HOME");
  if (home.empty()) {
    if (const passwd* entry = ::getpwuid(::getuid()); entry != nullptr && entry->pw_dir) {
      home = entry->pw_dir;
    }
  }
  if (home.empty()) {
    throw Error("HOME", "not set, and no home directory for this user");
  }
  return fs::path(home) / ".local" / "share" / "distbuild" / "gnupg";
}


namespace {

constexpr const char* k_default_user_id = "distbuild signing key";

} // namespace

OpenedSigner open_signer(const SignerRequest& request) {
  OpenedSigner opened;
  opened.home = resolve_gnupg_home(request.key.gnupg_home);
  if (request.key.key.empty() && !request.default_key) {
    return opened;
  }
  KeyOptions options = request.key;
  options.gnupg_home = opened.home.path;
  if (options.key.empty() && opened.home.source == HomeSource::distbuild_default) {
    // distbuild's own key, in its own home: made once. Any later failure (a passphrase, say) is
    // reported, never papered over with a new key.
    const KeygenResult ensured =
        ensure_signing_key(opened.home.path, k_default_user_id, "", false);
    opened.key_created = ensured.created;
    options.key = ensured.key.fingerprint;
  }
  if (request.more_keys.empty()) {
    opened.signer = make_gpgme_signer(options);
    return opened;
  }
  std::vector<std::unique_ptr<Signer>> signers;
  signers.push_back(make_gpgme_signer(options));
  for (const std::string& key : request.more_keys) {
    KeyOptions more = options;
    more.key = key;
    signers.push_back(make_gpgme_signer(more));
  }
  opened.signer = std::make_unique<MultiSigner>(std::move(signers));
  return opened;
}

} // namespace distbuild::signing
