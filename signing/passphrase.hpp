// Passphrases for protected secret keys. They come only from a file (first line, like gpg's
// --passphrase-file) or from an environment variable, never from the command line, and reach
// gpg-agent through GPGME's loopback pinentry: distbuild never prompts, so a build machine
// without a terminal behaves the same as a desk. The text is wiped from memory on destruction
// and never appears in a message.
#pragma once

#include <gpgme.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

namespace distbuild::signing {

class Passphrase {
public:
  Passphrase() = default; // no passphrase
  explicit Passphrase(std::string value);
  ~Passphrase();
  Passphrase(Passphrase&&) noexcept = default;
  Passphrase& operator=(Passphrase&&) noexcept;
  Passphrase(const Passphrase&) = delete;
  Passphrase& operator=(const Passphrase&) = delete;

  bool empty() const { return !m_value || m_value->empty(); }
  // Held behind a pointer so a move never leaves a copy in a small-string buffer.
  const std::string& value() const;

private:
  void wipe() noexcept;
  std::unique_ptr<std::string> m_value;
};

// Reads the passphrase from `file` or from the variable named `env_name`; neither gives an
// empty Passphrase. The variable is wiped and removed from the environment once read, so no
// process started later inherits it (agent_cache.hpp). Throws signing::Error naming the file or
// variable (never the content).
Passphrase load_passphrase(const std::optional<std::filesystem::path>& file,
                           const std::optional<std::string>& env_name);

// What the callback saw, so a failed operation can say why.
struct LoopbackState {
  const Passphrase* passphrase = nullptr;
  bool asked = false;    // gpg-agent wanted a passphrase
  bool rejected = false; // ... and asked again after ours: it was wrong
};

// Switches `ctx` to loopback pinentry answered from `state` (which must outlive the context's
// operations). With an empty passphrase the callback refuses, so nothing ever prompts.
void use_loopback_pinentry(gpgme_ctx_t ctx, LoopbackState& state);

} // namespace distbuild::signing
