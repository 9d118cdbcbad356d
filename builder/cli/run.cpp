#include "builder/cli/commands.hpp"
#include "builder/cli/cache_commands.hpp"
#include "builder/cli/people_commands.hpp"
#include "builder/cli/overlay_commands.hpp"

#include <exception>
#include <iostream>

namespace distbuild::cli {

int run(int argc, char** argv) {
  Context ctx;
  CLI::App app{"distbuild: build Rust toolchain distributions that the real rustup installs"};
  app.require_subcommand(0, 1);
  app.fallthrough(); // --json etc. may follow the subcommand too
  app.add_flag("--json", ctx.json, "Print one JSON document on stdout instead of human text");
  app.add_flag("-q,--quiet", ctx.quiet, "Print errors only");
  app.add_flag("-v,--verbose", ctx.verbose, "Print every step");

  register_pack(app, ctx);
  register_installer_compat(app, ctx);
  register_targets(app, ctx);
  register_dist(app, ctx);
  register_build_manifest(app, ctx);
  register_keygen(app, ctx);
  register_sign(app, ctx);
  register_verify(app, ctx);
  register_porter(app, ctx);
  register_serve(app, ctx);
  register_rustup(app, ctx);
  register_overlay(app, ctx);
  register_mirror(app, ctx);
  register_cache(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::cerr << "distbuild: error: " << e.what() << "\n";
    return 1;
  }
  return ctx.exit_code;
}

} // namespace distbuild::cli
