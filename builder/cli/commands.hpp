// The command table: one register_* function per subcommand, each in its own cmd_*.cpp, all
// declared here. A
// command declares its own flags, fills a plain options struct and calls one library function;
// no logic lives in this layer. run() (run.cpp) is the one place that turns exceptions into
// `distbuild: error: ...` and an exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace distbuild::cli {

// Shared by all commands of one invocation; no global state.
struct Context {
  int exit_code = 0;   // a command that found problems (verify) sets 1 without throwing
  bool json = false;   // one JSON document on stdout instead of human text
  bool quiet = false;  // errors only
  bool verbose = false;
};

void register_pack(CLI::App& app, Context& ctx);
void register_installer_compat(CLI::App& app, Context& ctx); // generate, combine, script, tarball
void register_targets(CLI::App& app, Context& ctx);
void register_dist(CLI::App& app, Context& ctx);
void register_build_manifest(CLI::App& app, Context& ctx);
void register_keygen(CLI::App& app, Context& ctx);
void register_sign(CLI::App& app, Context& ctx);
void register_verify(CLI::App& app, Context& ctx);
void register_overlay(CLI::App& app, Context& ctx);   // cmd_overlay.cpp
void register_mirror(CLI::App& app, Context& ctx);    // cmd_mirror.cpp
void register_serve(CLI::App& app, Context& ctx);     // cmd_serve.cpp
void register_rustup(CLI::App& app, Context& ctx);    // cmd_rustup.cpp
void register_cache(CLI::App& app, Context& ctx);     // cmd_cache.cpp
void register_tuf(CLI::App& app, Context& ctx);  // tuf init|refresh|timestamp|rotate|status
// Root options for the porter's run without a subcommand (distbuild --target ... --from ...).
void register_porter(CLI::App& app, Context& ctx);

// The whole command line: global flags and every subcommand (run() parses with it; the man page,
// man_page.hpp, is rendered from it, so --help and the page never disagree).
void build_app(CLI::App& app, Context& ctx);

int run(int argc, char** argv);

} // namespace distbuild::cli
