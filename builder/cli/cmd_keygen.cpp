// `distbuild keygen`: make (once) the ed25519 key distbuild signs with, in the GnuPG home every
// signing command uses by default (signing/signer_setup.hpp: --gnupg-home, else GNUPGHOME, else
// distbuild's own home), so `dist --sign-key <printed fingerprint>` finds it with no option.
// Running it again prints the existing key instead of piling up keys; --force makes another.
#include "builder/cli/commands.hpp"

#include "signing/signer_setup.hpp"
#include "signing/keygen.hpp"
#include "signing/passphrase.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <memory>
#include <optional>

namespace distbuild::cli {

namespace {

struct KeygenOptions {
  std::string gnupg_home;
  std::string name = "distbuild signing key";
  std::string email;
  std::string passphrase_file;
  std::string passphrase_env;
  bool force = false;
};

std::optional<std::string> optional_text(const std::string& text) {
  return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

void run_keygen(const KeygenOptions& options, Context& ctx) {
  const signing::GnupgHome chosen = signing::resolve_gnupg_home(
      options.gnupg_home.empty() ? std::nullopt
                                 : std::optional<std::filesystem::path>(options.gnupg_home));
  const std::filesystem::path& home = chosen.path;
  std::optional<std::filesystem::path> passphrase_file;
  if (!options.passphrase_file.empty()) {
    passphrase_file = options.passphrase_file;
  }
  const signing::Passphrase passphrase =
      signing::load_passphrase(passphrase_file, optional_text(options.passphrase_env));
  const std::string user_id =
      options.email.empty() ? options.name : options.name + " <" + options.email + ">";

  const signing::KeygenResult result =
      signing::ensure_signing_key(home, user_id, passphrase.value(), options.force);

  if (ctx.json) {
    nlohmann::json out = {{"fingerprint", result.key.fingerprint},
                          {"gnupg_home", result.key.gnupg_home.string()},
                          {"created", result.created}};
    std::cout << out.dump(2) << "\n";
  } else if (!ctx.quiet) {
    if (result.created) {
      std::cout << "created signing key " << result.key.fingerprint << " in "
                << result.key.gnupg_home.string() << "\n";
    } else {
      std::cout << "signing key " << result.key.fingerprint << " already exists in "
                << result.key.gnupg_home.string() << " (--force makes another)\n";
    }
  }
}

} // namespace

void register_keygen(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<KeygenOptions>();
  CLI::App* cmd = app.add_subcommand(
      "keygen", "Create the ed25519 signing key distbuild uses (once; prints an existing one)");
  cmd->add_option("--gnupg-home", options->gnupg_home,
                  "GnuPG home for the key (default: GNUPGHOME, else distbuild's own, "
                  "$XDG_DATA_HOME/distbuild/gnupg or ~/.local/share/distbuild/gnupg; the same "
                  "home every signing command uses)");
  cmd->add_option("--name", options->name, "User ID name")->capture_default_str();
  cmd->add_option("--email", options->email, "User ID email");
  cmd->add_option("--passphrase-file", options->passphrase_file,
                  "Protect the key with the passphrase on this file's first line")
      ->check(CLI::ExistingFile);
  cmd->add_option("--passphrase-env", options->passphrase_env,
                  "Protect the key with the passphrase in this environment variable");
  cmd->add_flag("--force", options->force, "Create a new key even if the home has one");
  cmd->callback([options, &ctx] { run_keygen(*options, ctx); });
}

} // namespace distbuild::cli
