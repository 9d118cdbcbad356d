// `distbuild verify <tree> [--key public.asc]`: exit 0 only when the tree is clean.
#include "builder/cli/commands.hpp"

#include "builder/inspect/tree_verify.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace distbuild::cli {

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

} // namespace

void register_verify(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<builder::VerifyOptions>();
  auto* sub = app.add_subcommand(
      "verify", "Check a tree end to end: manifests, checksums, URLs, tarballs, pins, signatures");
  sub->add_option("tree", options->tree, "The tree's root directory")->required();
  sub->add_option("--key", options->key,
                  "Armored public key to check signatures with; default: the tree's "
                  "release-key.asc");
  sub->add_flag("--allow-unsigned", options->allow_unsigned,
                "Do not require signatures: no key is no problem, a file without .asc neither "
                "(the .asc files there are are checked with the key, e.g. upstream's signatures "
                "an unsigned mirror kept)");
  sub->add_flag("--allow-external", options->allow_external,
                "Accept manifest URLs outside the tree (a tree made with overlay --no-mirror "
                "points rustup at upstream's server) and list them instead of checking them");
  sub->add_option("--base-url", options->base_url,
                  "URL prefix that maps to <tree>/dist (as written by dist --base-url)")
      ->capture_default_str();
  sub->callback([options, &ctx] {
    auto report = builder::verify_tree(*options);
    if (ctx.json) {
      nlohmann::json problems = nlohmann::json::array();
      for (const auto& p : report.problems) {
        problems.push_back({{"path", p.path}, {"problem", p.problem}});
      }
      std::cout << nlohmann::json{{"tree", options->tree.string()},
                                  {"ok", report.ok()},
                                  {"manifests", report.manifests},
                                  {"tarballs", report.tarballs},
                                  {"checksums", report.checksums},
                                  {"signatures", report.signatures},
                                  {"key_fingerprint", report.key_fingerprint},
                                  {"key_fingerprints", report.key_fingerprints},
                                  {"signed_by", report.signed_by},
                                  {"digests", report.digests},
                                  {"external", report.external},
                                  {"problems", problems}}
                       .dump(2)
                << "\n";
    } else {
      for (const auto& p : report.problems) {
        std::cout << (p.path.empty() ? options->tree.string() : p.path) << ": " << p.problem
                  << "\n";
      }
      if (!ctx.quiet) {
        std::cout << (report.ok() ? "ok: " : "FAILED: ") << report.manifests << " manifests, "
                  << report.tarballs << " tarballs, " << report.checksums << " checksums, "
                  << report.signatures << " signatures checked";
        if (!report.signed_by.empty()) {
          std::cout << " (signed by " << joined(report.signed_by) << " with "
                    << joined(report.digests) << ")";
        } else if (!report.key_fingerprint.empty()) {
          std::cout << " (key " << report.key_fingerprint << ")";
        }
        if (!report.external.empty()) {
          std::cout << "; " << report.external.size() << " files outside the tree not checked";
        }
        if (!report.ok()) {
          std::cout << "; " << report.problems.size() << " problems";
        }
        std::cout << "\n";
      }
    }
    ctx.exit_code = report.ok() ? 0 : 1;
  });
}

} // namespace distbuild::cli
