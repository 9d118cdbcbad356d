// Reads the few fields of a target spec that say what its objects are (see target_spec.hpp).
// Pointer width is a string in older specs ("64") and a number in newer ones (64).
#include "targets/target_spec.hpp"

#include "targets/error.hpp"
#include "targets/triple.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace distbuild::targets {

namespace {

// rustc's target_arch values that are not themselves the first part of some triple.
std::string arch_word(const std::string& arch) {
  if (arch == "x86") {
    return "i686";
  }
  if (arch == "riscv64") {
    return "riscv64gc";
  }
  if (arch == "riscv32") {
    return "riscv32i";
  }
  return arch;
}

ObjectFormat format_of_os(const std::string& os, const std::string& arch,
                          ObjectFormat fallback) {
  if (os == "macos" || os == "ios" || os == "tvos" || os == "watchos" || os == "visionos") {
    return ObjectFormat::MachO;
  }
  if (os == "windows" || os == "uefi") {
    return ObjectFormat::Coff;
  }
  if (arch.starts_with("wasm")) {
    return ObjectFormat::Wasm;
  }
  return fallback == ObjectFormat::Unknown ? ObjectFormat::Elf : fallback;
}

} // namespace

TargetInfo describe_target_from_spec(std::string_view triple, std::string_view spec_json) {
  if (auto row = find_target(triple)) {
    return *row;
  }
  nlohmann::json spec = nlohmann::json::parse(spec_json, nullptr, /*allow_exceptions=*/false);
  if (!spec.is_object()) {
    throw Error(std::string(triple), "its target spec is not a JSON object");
  }
  const auto text = [&](const char* key) {
    auto it = spec.find(key);
    return it != spec.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  const std::string arch = text("arch");
  if (arch.empty()) {
    throw Error(std::string(triple), "its target spec has no \"arch\"");
  }
  // The LLVM triple names the machine the way the table's inference understands; else the
  // spec's arch; else nothing but the spec's own fields below.
  TargetInfo info;
  const std::string llvm_target = text("llvm-target");
  if (parse_triple(llvm_target)) {
    info = infer_target(llvm_target);
  } else if (parse_triple(arch_word(arch) + "-unknown-" + (text("os").empty() ? "none" : text("os")))) {
    info = infer_target(arch_word(arch) + "-unknown-" + (text("os").empty() ? "none" : text("os")));
  }
  info.triple = std::string(triple);
  info.arch = parse_triple(triple) ? parse_triple(triple)->arch : arch;
  info.family = arch;
  info.known = false;
  info.upstream_host = false;
  if (auto width = spec.find("target-pointer-width"); width != spec.end()) {
    if (width->is_number_unsigned()) {
      info.pointer_width = width->get<unsigned>();
    } else if (width->is_string()) {
      info.pointer_width = static_cast<unsigned>(std::stoul(width->get<std::string>()));
    }
  }
  const std::string endian = text("target-endian");
  if (!endian.empty()) {
    info.endian = endian == "big" ? Endian::Big : Endian::Little;
  }
  info.object_format = format_of_os(text("os"), arch, info.object_format);
  if (info.object_format != ObjectFormat::Elf) {
    info.elf_machine = 0;
  }
  const std::string float_abi = text("llvm-floatabi");
  if (arch == "arm") {
    if (float_abi == "hard") {
      info.float_abi = FloatAbi::Hard;
    } else if (float_abi == "soft") {
      info.float_abi = FloatAbi::Soft;
    }
  } else {
    info.float_abi = FloatAbi::NotApplicable;
  }
  return info;
}

} // namespace distbuild::targets
