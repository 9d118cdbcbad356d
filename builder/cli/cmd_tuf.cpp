// `distbuild tuf init|refresh|timestamp|rotate|status <tree>`: TUF metadata for a tree
// (builder/tuf/repository.hpp). Publishing commands keep it current by themselves; these are
// for setting it up, the timestamp cron job, key rotation and a look at versions and expiry.
#include "builder/cli/commands.hpp"

#include "builder/tree/error.hpp"
#include "builder/tuf/repository.hpp"
#include "signing/passphrase.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>

namespace distbuild::cli {

namespace {

namespace tuf = builder::tuf;

struct TufCli {
  std::filesystem::path tree;
  std::optional<std::filesystem::path> keys_dir, root_keys_dir, passphrase_file;
  std::optional<std::string> passphrase_env;
  std::vector<std::string> expires;  // role=period
  std::optional<std::size_t> root_keys, root_threshold;
  std::string role;
  bool same_keys = false;
};

void add_key_options(CLI::App* sub, TufCli& cli, bool root_keys) {
  sub->add_option("tree", cli.tree, "The tree's root directory")->required();
  sub->add_option("--tuf-keys", cli.keys_dir,
                  "Directory of the TUF private keys (default: what `tuf init` recorded in the "
                  "tree, else $XDG_DATA_HOME/distbuild/tuf-keys or "
                  "~/.local/share/distbuild/tuf-keys); recorded for later runs");
  sub->add_option("--expires", cli.expires,
                  "ROLE=PERIOD: how long a role's new metadata is valid (defaults root=365d, "
                  "targets=90d, snapshot=7d, timestamp=1d; 0s writes expired metadata, for "
                  "tests); recorded for later runs")
      ->delimiter(',');
  if (root_keys) {
    sub->add_option("--root-keys", cli.root_keys_dir,
                    "Directory of the root keys when they are kept apart (offline); default: "
                    "the --tuf-keys directory");
    sub->add_option("--passphrase-file", cli.passphrase_file,
                    "File whose first line is the root keys' passphrase (new root keys are "
                    "encrypted with it)");
    sub->add_option("--passphrase-env", cli.passphrase_env,
                    "Environment variable holding the root keys' passphrase");
  }
}

tuf::RepoOptions repo_options(const TufCli& cli, const Context& ctx) {
  tuf::RepoOptions options;
  options.keys_dir = cli.keys_dir;
  options.root_keys_dir = cli.root_keys_dir;
  for (const std::string& entry : cli.expires) {
    auto equals = entry.find('=');
    if (equals == std::string::npos) {
      throw builder::Error(std::string("--expires"),
                           "'" + entry + "' is not ROLE=PERIOD (e.g. timestamp=1d)");
    }
    tuf::Role role = tuf::parse_role(entry.substr(0, equals), "--expires");
    options.expires[role] = tuf::parse_period(entry.substr(equals + 1), "--expires");
  }
  if (cli.passphrase_file || cli.passphrase_env) {
    options.root_passphrase =
        signing::load_passphrase(cli.passphrase_file, cli.passphrase_env).value();
  }
  if (ctx.verbose && !ctx.json) {
    options.log = [](const std::string& line) { std::cerr << "distbuild: " << line << "\n"; };
  }
  return options;
}

void print_status(const tuf::TufStatus& status, const Context& ctx) {
  if (ctx.json) {
    nlohmann::json versions = nlohmann::json::object();
    nlohmann::json expires = nlohmann::json::object();
    for (const auto& [role, version] : status.versions) {
      versions[tuf::role_name(role)] = version;
    }
    for (const auto& [role, when] : status.expires) {
      expires[tuf::role_name(role)] = when;
    }
    nlohmann::json written = nlohmann::json::array();
    for (tuf::Role role : status.written) {
      written.push_back(tuf::role_name(role));
    }
    nlohmann::json keys = nlohmann::json::array();
    for (const auto& key : status.created_keys) {
      keys.push_back({{"role", tuf::role_name(key.role)},
                      {"keyid", key.keyid},
                      {"file", key.file.string()}});
    }
    std::cout << nlohmann::json{{"tree", status.tree.string()},
                                {"keys_dir", status.keys_dir.string()},
                                {"root_keys_dir", status.root_keys_dir.string()},
                                {"versions", versions},
                                {"expires", expires},
                                {"written", written},
                                {"targets", status.targets},
                                {"hashed", status.hashed},
                                {"created_keys", keys}}
                     .dump(2)
              << "\n";
    return;
  }
  if (ctx.quiet) {
    return;
  }
  for (const auto& key : status.created_keys) {
    std::cout << "made " << tuf::role_name(key.role) << " key " << key.keyid << " in "
              << key.file.string() << "\n";
  }
  for (tuf::Role role : tuf::k_roles) {
    auto version = status.versions.find(role);
    if (version == status.versions.end()) {
      continue;
    }
    bool written = std::find(status.written.begin(), status.written.end(), role) !=
                   status.written.end();
    std::cout << (written ? "wrote " : "      ") << "tuf/" << tuf::role_file(role) << " version "
              << version->second << ", expires " << status.expires.at(role) << "\n";
  }
  if (status.targets != 0) {
    std::cout << status.targets << " targets (" << status.hashed << " hashed, the rest cached)\n";
  }
}

} // namespace

void register_tuf(CLI::App& app, Context& ctx) {
  auto* tuf_cmd = app.add_subcommand(
      "tuf", "TUF metadata for a tree, so mirrors and clients can check it is complete and fresh");
  tuf_cmd->require_subcommand(1);

  auto init = std::make_shared<TufCli>();
  auto* init_cmd = tuf_cmd->add_subcommand(
      "init", "Make the role keys and version 1 of root, targets, snapshot and timestamp");
  add_key_options(init_cmd, *init, true);
  init_cmd->add_option("--root-key-count", init->root_keys, "How many root keys to make [1]");
  init_cmd->add_option("--root-threshold", init->root_threshold,
                       "How many root keys must sign a new root [1]");
  init_cmd->callback([init, &ctx] {
    tuf::InitOptions options;
    options.repo = repo_options(*init, ctx);
    options.root_keys = init->root_keys.value_or(1);
    options.root_threshold = init->root_threshold.value_or(1);
    print_status(tuf::init_tuf(init->tree, options), ctx);
  });

  auto refresh = std::make_shared<TufCli>();
  auto* refresh_cmd = tuf_cmd->add_subcommand(
      "refresh", "Sign targets, snapshot and timestamp again from the tree as it is now");
  add_key_options(refresh_cmd, *refresh, false);
  refresh_cmd->callback([refresh, &ctx] {
    print_status(tuf::refresh_tuf(refresh->tree, repo_options(*refresh, ctx)), ctx);
  });

  auto timestamp = std::make_shared<TufCli>();
  auto* timestamp_cmd = tuf_cmd->add_subcommand(
      "timestamp", "Renew only the timestamp (the online role; run it from cron)");
  add_key_options(timestamp_cmd, *timestamp, false);
  timestamp_cmd->callback([timestamp, &ctx] {
    print_status(tuf::renew_timestamp(timestamp->tree, repo_options(*timestamp, ctx)), ctx);
  });

  auto rotate = std::make_shared<TufCli>();
  auto* rotate_cmd = tuf_cmd->add_subcommand(
      "rotate", "New key(s) for a role, in a new root version clients trusting the old follow");
  add_key_options(rotate_cmd, *rotate, true);
  rotate_cmd->add_option("--role", rotate->role, "root, targets, snapshot or timestamp")
      ->required();
  rotate_cmd->add_option("--root-key-count", rotate->root_keys,
                         "With --role root: how many new root keys (default: as many as now)");
  rotate_cmd->add_option("--root-threshold", rotate->root_threshold,
                         "With --role root: how many must sign the next root (default: as now)");
  rotate_cmd->add_flag("--same-keys", rotate->same_keys,
                       "With --role root: keep the keys, only renew the root's expiry");
  rotate_cmd->callback([rotate, &ctx] {
    tuf::RotateOptions options;
    options.repo = repo_options(*rotate, ctx);
    options.role = tuf::parse_role(rotate->role, "--role");
    options.root_keys = rotate->root_keys;
    options.root_threshold = rotate->root_threshold;
    options.same_keys = rotate->same_keys;
    print_status(tuf::rotate_keys(rotate->tree, options), ctx);
  });

  auto status = std::make_shared<TufCli>();
  auto* status_cmd =
      tuf_cmd->add_subcommand("status", "Print each role's version and expiry; writes nothing");
  status_cmd->add_option("tree", status->tree, "The tree's root directory")->required();
  status_cmd->callback(
      [status, &ctx] { print_status(tuf::read_tuf_status(status->tree), ctx); });
}

} // namespace distbuild::cli
