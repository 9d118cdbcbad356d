// `distbuild sign <tree>`: (re-)sign an existing tree: an unsigned one with any key, a signed one
// with its own key(s), or with others when --rotate-key asks for a key change (README: Keys; a
// release engineer re-signing a toolchain someone else packed is one). Only .asc files, the key
// files and the index page (which shows the fingerprint) change.
#include "builder/cli/commands.hpp"
#include "builder/cli/report.hpp"

#include "builder/release/sign_tree.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace distbuild::cli {

void register_sign(CLI::App& app, Context& ctx) {
  struct SignCli {
    std::filesystem::path tree;
    SigningCli signing;
  };
  auto cli = std::make_shared<SignCli>();
  auto* sub = app.add_subcommand("sign", "(Re-)sign every file of an existing tree");
  sub->add_option("tree", cli->tree, "The tree's root directory")->required();
  add_signing_options(sub, cli->signing);
  sub->callback([cli, &ctx] {
    if (cli->signing.keys.empty()) {
      cli->signing.use_default_key = true;
    }
    auto signer = make_signer(cli->signing, ctx);
    auto result = builder::sign_tree(*signer, cli->tree, cli->signing.rotate_keys);
    if (ctx.json) {
      std::cout << nlohmann::json{{"tree", cli->tree.string()},
                                  {"signed_files", result.signed_files},
                                  {"fingerprint", result.fingerprint},
                                  {"fingerprints", result.fingerprints},
                                  {"previous_keys", result.previous_keys}}
                       .dump(2)
                << "\n";
    } else if (!ctx.quiet) {
      std::string keys;
      for (const auto& fingerprint : result.fingerprints) {
        keys += (keys.empty() ? "" : " and ") + fingerprint;
      }
      std::cout << "signed " << result.signed_files << " files of " << cli->tree.string()
                << " with " << keys << "\n";
      if (!result.previous_keys.empty()) {
        std::string before;
        for (const auto& fingerprint : result.previous_keys) {
          before += (before.empty() ? "" : " and ") + fingerprint;
        }
        std::cout << "the tree's keys changed: " << before << " -> " << keys << "\n";
      }
    }
  });
}

} // namespace distbuild::cli
