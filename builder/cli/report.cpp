#include "builder/cli/report.hpp"

#include "builder/cli/pack_report.hpp"

#include "builder/tree/error.hpp"
#include "manifest/release_name.hpp"
#include "signing/signer_setup.hpp"

#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace distbuild::cli {

namespace fs = std::filesystem;

std::int64_t resolve_mtime(const std::optional<std::int64_t>& mtime) {
  // One rule for every command (pack_report.hpp): the flag, else SOURCE_DATE_EPOCH, else
  // rust-installer's default.
  return mtime ? *mtime : resolve_mtime(std::string(), "--mtime");
}

void add_signing_options(CLI::App* sub, SigningCli& signing) {
  sub->add_option("--sign-key", signing.keys,
                  "Sign every file with this key (fingerprint, key id or email); repeat it to "
                  "sign with several keys (a key rotation's transition)")
      ->allow_extra_args(false)  // one key per --sign-key: `--sign-key K <tree>` stays a tree
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  sub->add_flag("--rotate-key", signing.rotate_keys,
                "Change the tree's signing keys to the --sign-key ones: every file of the tree "
                "is re-signed (without it, a tree signed with other keys is refused; README: "
                "Keys)");
  sub->add_option("--gnupg-home", signing.gnupg_home,
                  "GnuPG home holding the key; default: GNUPGHOME, else distbuild's own "
                  "($XDG_DATA_HOME/distbuild/gnupg or ~/.local/share/distbuild/gnupg, where "
                  "keygen puts its key)");
  sub->add_option("--passphrase-file", signing.passphrase_file,
                  "File whose first line is the key's passphrase");
  sub->add_option("--passphrase-env", signing.passphrase_env,
                  "Name of an environment variable holding the key's passphrase");
}

std::unique_ptr<signing::Signer> make_signer(const SigningCli& cli, Context& ctx) {
  signing::SignerRequest request;
  request.key = signing::KeyOptions{cli.keys.empty() ? std::string() : cli.keys.front(),
                                    cli.gnupg_home, cli.passphrase_file, cli.passphrase_env};
  if (cli.keys.size() > 1) {
    request.more_keys.assign(cli.keys.begin() + 1, cli.keys.end());
  }
  request.default_key = cli.use_default_key;
  signing::OpenedSigner opened = signing::open_signer(request);
  if (opened.signer && !ctx.quiet) {
    // Every command that signs says with what, from where: the one answer to "which key?".
    if (opened.key_created) {
      std::cerr << "distbuild: made a signing key " << opened.signer->fingerprint() << " in "
                << opened.home.path.string() << "\n";
    }
    std::string keys;
    for (const auto& fingerprint : opened.signer->fingerprints()) {
      keys += (keys.empty() ? "" : " and ") + fingerprint;
    }
    std::cerr << "distbuild: signing with key " << keys << " ("
              << opened.signer->digest_name() << ") from GnuPG home " << opened.home.describe()
              << "\n";
  }
  return std::move(opened.signer);
}

// CI systems set CI (to "true", "1", "yes", ...) and keep logs in files, where a line rewritten
// with "\r" is garbled: any non-empty value counts.
bool is_tty_stderr() {
  const char* ci = std::getenv("CI");
  return ::isatty(2) != 0 && !(ci != nullptr && *ci != '\0');
}

bool report_json_or_notes(const Context& ctx, const std::function<nlohmann::json()>& make_doc,
                          const std::vector<std::string>& notes) {
  if (ctx.json) {
    std::cout << make_doc().dump(2) << "\n";
    return true;
  }
  if (ctx.quiet) {
    return true;
  }
  for (const auto& note : notes) {
    std::cout << "note: " << note << "\n";
  }
  return false;
}

nlohmann::json dist_result_json(const builder::DistResult& result) {
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& artifact : result.artifacts) {
    artifacts.push_back({{"package", artifact.package},
                         {"target", artifact.target},
                         {"format", std::string(builder::format_extension(artifact.format))},
                         {"path", artifact.path.string()},
                         {"size", artifact.size},
                         {"sha256", artifact.sha256},
                         {"packed", artifact.packed}});
  }
  nlohmann::json manifests = nlohmann::json::array();
  for (const auto& name : result.manifest_names) {
    manifests.push_back((result.dated_dir / manifest::manifest_file(name)).string());
  }
  return {{"tree", result.tree.string()},
          {"channel", result.channel},
          {"version", result.version},
          {"date", result.date},
          {"dated_dir", result.dated_dir.string()},
          {"manifests", manifests},
          {"manifest_sha256", result.manifest_sha256},
          {"top_level_updated", result.top_level_updated},
          {"artifacts", artifacts},
          {"notes", result.notes},
          {"warnings", result.warnings},
          {"signing_fingerprint", result.signing_fingerprint}};
}

} // namespace distbuild::cli
