// `distbuild serve <tree>`: serve a tree over HTTP and print the lines a user pastes to point
// rustup at it. The first stdout line is machine-readable (`serving <tree> on <url>`, or one
// JSON object with --json) and flushed at once: scripts and tests start the server with
// --port 0 and read the port from it.
#include "builder/cli/commands.hpp"

#include "builder/tree/atomic_file.hpp"
#include "builder/web/index_page.hpp"
#include "builder/web/serve.hpp"
#include "builder/web/setup_lines.hpp"
#include "builder/tree/tree_keys.hpp"
#include "builder/tree/tree_signing.hpp"

#include <nlohmann/json.hpp>

#include <iostream>
#include <mutex>

namespace distbuild::cli {

namespace fs = std::filesystem;

namespace {

void print_start(const builder::TreeServer& server, Context& ctx) {
  const std::string url = server.url();
  const std::vector<std::string> keys = builder::tree_signing_keys(server.root());
  const std::string fingerprint = keys.empty() ? std::string() : keys.front();
  std::error_code ec;
  const bool has_key = fs::is_regular_file(server.root() / builder::k_key_file, ec);
  const builder::TreeSummary summary = builder::read_top_level_summary(server.root());
  const builder::SetupLines setup = builder::rustup_setup_lines(summary, url);
  const std::string tuf_url = summary.has_tuf ? url + "/" + builder::k_tuf_dir : "";
  if (ctx.json) {
    nlohmann::json doc{{"tree", server.root().string()},
                       {"url", url},
                       {"port", server.port()},
                       {"dist_server", setup.dist_server},
                       {"update_root", setup.update_root},
                       {"install", setup.install},
                       {"lines", setup.lines},
                       {"key_url", has_key ? url + "/" + builder::k_key_file : ""},
                       {"fingerprint", fingerprint},
                       {"fingerprints", keys},
                       {"tuf_url", tuf_url}};
    std::cout << doc.dump() << std::endl;
    return;
  }
  std::cout << "serving " << server.root().string() << " on " << url << std::endl;
  if (ctx.quiet) {
    return;
  }
  // The indented block is exactly what to paste: nothing else between its first and last line.
  std::cout << "\nPoint rustup at it and install (paste into a shell):\n";
  for (const std::string& line : setup.lines) {
    std::cout << "  " << line << "\n";
  }
  if (setup.update_root.empty()) {
    std::cout << "\nThe tree has no rustup/ self-update files, so rustup keeps its own updates "
                 "off (--no-self-update).\n";
  }
  if (setup.install.empty()) {
    std::cout << "\nThe tree has no channel manifest in dist/ yet: nothing to install.\n";
  }
  if (has_key) {
    std::cout << "\nFetch and check the signing key:\n"
              << "  curl -O " << url << "/" << builder::k_key_file
              << " && gpg --show-keys " << builder::k_key_file << "\n";
    if (keys.size() == 1) {
      std::cout << "  the fingerprint must be " << fingerprint << " (from "
                << builder::k_fingerprint_file << ")\n";
    } else if (keys.size() > 1) {
      std::cout << "  the fingerprints must be";
      for (const auto& key : keys) {
        std::cout << " " << key;
      }
      std::cout << " (from " << builder::k_fingerprint_file
                << "; keys are being rotated, each signs every file)\n";
    }
  } else {
    std::cout << "\nThe tree is not signed (no " << builder::k_key_file << ").\n";
  }
  if (!tuf_url.empty()) {
    std::cout << "\nTUF metadata (freshness: README, TUF): a client that trusts the tree's "
                 "1.root.json, obtained out of band, refreshes from\n  metadata base URL "
              << tuf_url << "\n  target base URL   " << url << "\n";
  }
  std::cout << "\nThe tree's page: " << url << "/\nPress Ctrl-C to stop." << std::endl;
}

} // namespace

void register_serve(CLI::App& app, Context& ctx) {
  struct ServeCli {
    builder::ServeOptions options;
  };
  auto cli = std::make_shared<ServeCli>();
  auto* sub = app.add_subcommand(
      "serve", "Serve a tree over HTTP (GET, HEAD, byte ranges; nothing outside the tree, no "
               "dot-files, no key material but the public key) until Ctrl-C");
  sub->add_option("tree", cli->options.tree, "The tree's root directory")->required();
  sub->add_option("--bind", cli->options.bind, "Address to listen on")->capture_default_str();
  sub->add_option("--port", cli->options.port, "Port to listen on; 0 picks a free one")
      ->capture_default_str();
  sub->callback([cli, &ctx] {
    if (!ctx.quiet) {
      auto mutex = std::make_shared<std::mutex>();
      cli->options.access_log = [mutex](const std::string& line) {
        std::lock_guard<std::mutex> lock(*mutex);
        std::cerr << "distbuild serve: " << line << "\n";
      };
    }
    builder::TreeServer server(cli->options);
    print_start(server, ctx);
    builder::run_until_signal(server);
    if (!ctx.quiet && !ctx.json) {
      std::cerr << "distbuild serve: stopped\n";
    }
  });
}

} // namespace distbuild::cli
