#include "builder/cli/commands.hpp"
#include "builder/cli/man_page.hpp"

#include <nlohmann/json.hpp>

#include <exception>
#include <iostream>
#include <string_view>

namespace distbuild::cli {

namespace {

// Under --json a failed run still prints one JSON document on stdout (the message also goes to
// stderr as always), so a script parses stdout whatever happened. A path in the message that is
// not UTF-8 is replaced, never allowed to make the report itself fail.
void print_json_error(const std::string& message, int exit_code) {
  const nlohmann::json doc{{"ok", false}, {"error", message}, {"exit_code", exit_code}};
  std::cout << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << std::endl;
}

} // namespace

void build_app(CLI::App& app, Context& ctx) {
  app.description("distbuild: build Rust toolchain distributions that the real rustup installs");
  app.name("distbuild");
  app.require_subcommand(0, 1);
  app.fallthrough(); // --json etc. may follow the subcommand too
  app.add_flag("--json", ctx.json, "Print one JSON document on stdout instead of human text");
  app.add_flag("-q,--quiet", ctx.quiet, "Print errors only: no progress, no step logs");
  app.add_flag("-v,--verbose", ctx.verbose,
               "Print every step and each pack's rate (on a terminal: above the progress line)");

  register_pack(app, ctx);
  register_installer_compat(app, ctx);
  register_targets(app, ctx);
  register_dist(app, ctx);
  register_build_manifest(app, ctx);
  register_keygen(app, ctx);
  register_sign(app, ctx);
  register_verify(app, ctx);
  register_tuf(app, ctx);
  register_porter(app, ctx);
  register_serve(app, ctx);
  register_rustup(app, ctx);
  register_overlay(app, ctx);
  register_mirror(app, ctx);
  register_cache(app, ctx);
}

int run(int argc, char** argv) {
  // Hidden: `distbuild --man [FILE]` prints the man page (the build writes distbuild.1 with it).
  if (argc >= 2 && std::string_view(argv[1]) == "--man" && argc <= 3) {
    try {
      Context man_ctx;
      CLI::App man_app;
      build_app(man_app, man_ctx);
      write_man_page(man_app, DISTBUILD_VERSION, argc == 3 ? argv[2] : "-");
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "distbuild: error: " << e.what() << "\n";
      return 1;
    }
  }
  Context ctx;
  CLI::App app;
  build_app(app, ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    if (ctx.json && code != 0) {
      print_json_error(e.what(), code);
    }
    return code;
  } catch (const std::exception& e) {
    std::cerr << "distbuild: error: " << e.what() << "\n";
    if (ctx.json) {
      print_json_error(e.what(), 1);
    }
    return 1;
  }
  return ctx.exit_code;
}

} // namespace distbuild::cli
