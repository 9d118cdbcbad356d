// `distbuild targets [--board raspberry-pi] [--json]`: prints the target table, or which triple
// each board model needs per OS word size. Facts live in targets/; this only formats them.
#include "builder/cli/commands.hpp"

#include "targets/boards.hpp"
#include "targets/target_table.hpp"

#include <nlohmann/json.hpp>

#include <iomanip>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

namespace distbuild::cli {

namespace {

struct TargetsOptions {
  std::string board;
};

std::string format_name(targets::ObjectFormat format) {
  switch (format) {
  case targets::ObjectFormat::Elf: return "elf";
  case targets::ObjectFormat::MachO: return "mach-o";
  case targets::ObjectFormat::Coff: return "coff";
  case targets::ObjectFormat::Wasm: return "wasm";
  case targets::ObjectFormat::Other: return "other";
  case targets::ObjectFormat::Unknown: break;
  }
  return "unknown";
}

void print_table(const Context& ctx) {
  if (ctx.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& t : targets::known_targets()) {
      rows.push_back({{"triple", t.triple},
                      {"arch", t.arch},
                      {"family", t.family},
                      {"pointer_width", t.pointer_width},
                      {"endian", t.endian == targets::Endian::Little ? "little" : "big"},
                      {"object_format", format_name(t.object_format)},
                      {"elf_machine", t.elf_machine},
                      {"float_abi", std::string(targets::to_string(t.float_abi))},
                      {"upstream_host", t.upstream_host}});
    }
    std::cout << nlohmann::json{{"targets", rows}}.dump(2) << "\n";
    return;
  }
  std::cout << std::left << std::setw(38) << "TRIPLE" << std::setw(8) << "BITS" << std::setw(8)
            << "ENDIAN" << std::setw(8) << "FORMAT" << std::setw(12) << "FLOAT" << "HOST\n";
  for (const auto& t : targets::known_targets()) {
    std::cout << std::left << std::setw(38) << t.triple << std::setw(8) << t.pointer_width
              << std::setw(8) << (t.endian == targets::Endian::Little ? "little" : "big")
              << std::setw(8) << format_name(t.object_format) << std::setw(12)
              << (t.float_abi == targets::FloatAbi::NotApplicable
                      ? std::string("-")
                      : std::string(targets::to_string(t.float_abi)))
              << (t.upstream_host ? "yes" : "no") << "\n";
  }
}

void print_boards(const Context& ctx) {
  if (ctx.json) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& b : targets::raspberry_pi_boards()) {
      rows.push_back({{"id", b.id},
                      {"model", b.model},
                      {"cpu", b.cpu},
                      {"isa", b.isa},
                      {"os32", b.triple_32},
                      {"os64", b.triple_64.empty() ? nlohmann::json(nullptr)
                                                   : nlohmann::json(b.triple_64)}});
    }
    std::cout << nlohmann::json{{"board", "raspberry-pi"}, {"models", rows}}.dump(2) << "\n";
    return;
  }
  std::cout << std::left << std::setw(10) << "ID" << std::setw(34) << "MODEL" << std::setw(32)
            << "32-BIT OS" << "64-BIT OS\n";
  for (const auto& b : targets::raspberry_pi_boards()) {
    std::cout << std::left << std::setw(10) << b.id << std::setw(34) << b.model << std::setw(32)
              << b.triple_32 << (b.triple_64.empty() ? "-" : b.triple_64) << "\n";
  }
}

} // namespace

void register_targets(CLI::App& app, Context& ctx) {
  auto options = std::make_shared<TargetsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "targets", "List the known target triples, or the triple each board model needs");
  cmd->add_option("--board", options->board, "Board family: raspberry-pi")
      ->check(CLI::IsMember({"raspberry-pi"}));
  cmd->callback([options, &ctx] {
    if (options->board.empty()) {
      print_table(ctx);
    } else {
      print_boards(ctx);
    }
  });
}

} // namespace distbuild::cli
