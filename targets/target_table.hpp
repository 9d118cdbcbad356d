// What distbuild knows about each target triple: one table row per triple that upstream ships
// (the targets of [pkg.rust-std] in the 1.95.0 channel manifest; upstream_host = it is also a
// target of [pkg.rustc]), so tarball naming, the ELF check and the host/std split never guess
// from strings elsewhere. Triples not in the table (tier 3, custom target specs) are still
// accepted: describe_target() infers the same facts from the arch and OS parts.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace distbuild::targets {

enum class Endian { Little, Big };
enum class FloatAbi { NotApplicable, Soft, Hard };
// The container format of objects and executables for the target; the ELF check only
// understands Elf, and treats an ELF file in any other target's image as a mismatch.
enum class ObjectFormat { Unknown, Elf, MachO, Coff, Wasm, Other };

// ELF e_machine values (from the ELF gABI / <elf.h>); kept here so targets/ needs no system
// headers.
namespace elf_machine {
inline constexpr std::uint16_t k_none = 0;
inline constexpr std::uint16_t k_sparc = 2;
inline constexpr std::uint16_t k_386 = 3;
inline constexpr std::uint16_t k_68k = 4;
inline constexpr std::uint16_t k_mips = 8;
inline constexpr std::uint16_t k_ppc = 20;
inline constexpr std::uint16_t k_ppc64 = 21;
inline constexpr std::uint16_t k_s390 = 22;
inline constexpr std::uint16_t k_arm = 40;
inline constexpr std::uint16_t k_sparcv9 = 43;
inline constexpr std::uint16_t k_x86_64 = 62;
inline constexpr std::uint16_t k_avr = 83;
inline constexpr std::uint16_t k_xtensa = 94;
inline constexpr std::uint16_t k_msp430 = 105;
inline constexpr std::uint16_t k_hexagon = 164;
inline constexpr std::uint16_t k_aarch64 = 183;
inline constexpr std::uint16_t k_riscv = 243;
inline constexpr std::uint16_t k_bpf = 247;
inline constexpr std::uint16_t k_csky = 252;
inline constexpr std::uint16_t k_loongarch = 258;
} // namespace elf_machine

struct TargetInfo {
  std::string triple;
  std::string arch;           // the triple's first part: "armv7", "thumbv8m.main", "x86_64"
  std::string family;         // rustc's target_arch: "arm", "x86", "aarch64", "riscv64" ("" if unknown)
  unsigned pointer_width = 0; // 0 when the arch is unknown
  Endian endian = Endian::Little;
  ObjectFormat object_format = ObjectFormat::Unknown;
  std::uint16_t elf_machine = 0; // EM_* (0 for non-ELF targets: windows, darwin, wasm)
  FloatAbi float_abi = FloatAbi::NotApplicable;
  bool upstream_host = false;    // upstream ships rustc/cargo for it
  bool known = false;            // from the table; false = inferred from the triple's arch
};

// Table lookup only.
std::optional<TargetInfo> find_target(std::string_view triple);
// The table row, else facts inferred from the triple (unknown and custom triples are accepted);
// throws targets::Error (error.hpp) if the triple does not parse.
TargetInfo describe_target(std::string_view triple);
std::span<const TargetInfo> known_targets();
// The facts from the triple alone, ignoring the table (known = false); what describe_target()
// returns for triples outside it. Throws targets::Error (error.hpp) like describe_target().
TargetInfo infer_target(std::string_view triple);

bool is_windows_gnu(std::string_view triple);
bool is_windows(std::string_view triple);
// ".exe" for Windows targets, "" otherwise: the suffix bootstrap puts on executables.
std::string exe_suffix(std::string_view triple);
// Human text for a float ABI and endianness, as used in messages ("hard-float", "LSB").
std::string_view to_string(FloatAbi abi);
std::string_view to_string(Endian endian);

} // namespace distbuild::targets
