// `distbuild verify <tree> [--key public.asc] [--tuf-root root.json]`: exit 0 only when the tree
// is clean. A tree with tuf/ is also walked as a TUF client would (builder/tuf/tree_check.hpp),
// from --tuf-root or else from the tree's own tuf/1.root.json.
#include "builder/cli/commands.hpp"

#include "builder/inspect/tree_verify.hpp"
#include "builder/tuf/tree_check.hpp"

#include <iostream>
#include <nlohmann/json.hpp>

namespace distbuild::cli {

namespace {

struct VerifyCli {
  builder::VerifyOptions options;
  std::optional<std::filesystem::path> tuf_root, tuf_state;
};
std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

} // namespace

void register_verify(CLI::App& app, Context& ctx) {
  auto cli = std::make_shared<VerifyCli>();
  builder::VerifyOptions* options = &cli->options;
  auto* sub = app.add_subcommand(
      "verify", "Check a tree end to end: manifests, checksums, URLs, tarballs, pins, signatures, "
                "TUF metadata");
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
  sub->add_option("--tuf-root", cli->tuf_root,
                  "TUF root.json you trust (e.g. a saved tuf/1.root.json): walk the tree's "
                  "TUF metadata from it as a client would; default for a tree with tuf/: the "
                  "tree's own tuf/1.root.json");
  sub->add_option("--tuf-state", cli->tuf_state,
                  "Directory remembering the TUF metadata a previous verify trusted: a rollback "
                  "against it is a problem; a clean run updates it");
  sub->callback([cli, options, &ctx] {
    auto report = builder::verify_tree(*options);
    std::optional<builder::tuf::TreeCheckReport> tuf_report;
    if (cli->tuf_root || cli->tuf_state || builder::tuf::has_tuf_metadata(options->tree)) {
      builder::tuf::TreeCheckOptions tuf_options;
      tuf_options.tree = options->tree;
      tuf_options.trusted_root = cli->tuf_root;
      tuf_options.state_dir = cli->tuf_state;
      tuf_report = builder::tuf::check_tree_tuf(tuf_options);
      for (const auto& p : tuf_report->problems) {
        report.problems.push_back({p.path, p.problem});
      }
    }
    if (ctx.json) {
      nlohmann::json problems = nlohmann::json::array();
      for (const auto& p : report.problems) {
        problems.push_back({{"path", p.path}, {"problem", p.problem}});
      }
      nlohmann::json tuf = nullptr;
      if (tuf_report) {
        tuf = {{"ok", tuf_report->ok()},
               {"trusted_root", tuf_report->trusted_root},
               {"root_version", tuf_report->root_version},
               {"targets_version", tuf_report->targets_version},
               {"snapshot_version", tuf_report->snapshot_version},
               {"timestamp_version", tuf_report->timestamp_version},
               {"timestamp_expires", tuf_report->timestamp_expires},
               {"targets", tuf_report->targets}};
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
                                  {"tuf", tuf},
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
        if (tuf_report) {
          std::cout << "; TUF: " << tuf_report->targets << " targets, root version "
                    << tuf_report->root_version << ", timestamp version "
                    << tuf_report->timestamp_version << " (trusting "
                    << tuf_report->trusted_root << ")";
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
