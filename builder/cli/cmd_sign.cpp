// `distbuild sign <tree>`: (re-)sign an existing tree with a key (rotation, or a release
// engineer re-signing a toolchain someone else packed). Only .asc files and the key files change.
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
    if (cli->signing.key.empty()) {
      cli->signing.use_default_key = true;
    }
    auto signer = make_signer(cli->signing, ctx);
    auto result = builder::sign_tree(*signer, cli->tree);
    if (ctx.json) {
      std::cout << nlohmann::json{{"tree", cli->tree.string()},
                                  {"signed_files", result.signed_files},
                                  {"fingerprint", result.fingerprint}}
                       .dump(2)
                << "\n";
    } else if (!ctx.quiet) {
      std::cout << "signed " << result.signed_files << " files of " << cli->tree.string()
                << " with " << result.fingerprint << "\n";
    }
  });
}

} // namespace distbuild::cli
