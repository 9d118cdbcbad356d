// The target table (one row per upstream triple) and the inference used for triples outside it.
// Rows were written from the 1.95.0 channel manifest (targets of [pkg.rust-std], hosts = targets
// of [pkg.rustc]) and each field from rustc's target specs; tests/targets/target_table_test.cpp
// checks the table against the installed manifest and checks that the inference below agrees
// with every row, so a new upstream target can usually be added by inference alone.
#include "targets/target_table.hpp"

#include "targets/error.hpp"
#include "targets/triple.hpp"

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace distbuild::targets {

namespace {

const std::vector<TargetInfo>& table() {
  // triple, arch, family, pointer width, endian, object format, e_machine, float ABI, host
  struct Row {
    const char* triple;
    const char* arch;
    const char* family;
    unsigned width;
    Endian endian;
    ObjectFormat format;
    std::uint16_t machine;
    FloatAbi float_abi;
    bool host;
  };
  static const Row k_rows[] = {
    {"aarch64-apple-darwin", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"aarch64-apple-ios", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-ios-macabi", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-ios-sim", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-tvos", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-tvos-sim", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-visionos", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-visionos-sim", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-watchos", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-apple-watchos-sim", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"aarch64-linux-android", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, false},
    {"aarch64-pc-windows-gnullvm", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"aarch64-pc-windows-msvc", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"aarch64-unknown-fuchsia", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, false},
    {"aarch64-unknown-linux-gnu", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, true},
    {"aarch64-unknown-linux-musl", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, true},
    {"aarch64-unknown-linux-ohos", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, true},
    {"aarch64-unknown-none", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, false},
    {"aarch64-unknown-none-softfloat", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_aarch64, FloatAbi::NotApplicable, false},
    {"aarch64-unknown-uefi", "aarch64", "aarch64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"arm-linux-androideabi", "arm", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"arm-unknown-linux-gnueabi", "arm", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, true},
    {"arm-unknown-linux-gnueabihf", "arm", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, true},
    {"arm-unknown-linux-musleabi", "arm", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"arm-unknown-linux-musleabihf", "arm", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"arm64ec-pc-windows-msvc", "arm64ec", "arm64ec", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"armv5te-unknown-linux-gnueabi", "armv5te", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv5te-unknown-linux-musleabi", "armv5te", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7-linux-androideabi", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7-unknown-linux-gnueabi", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7-unknown-linux-gnueabihf", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, true},
    {"armv7-unknown-linux-musleabi", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7-unknown-linux-musleabihf", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"armv7-unknown-linux-ohos", "armv7", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7a-none-eabi", "armv7a", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7a-none-eabihf", "armv7a", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"armv7r-none-eabi", "armv7r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"armv7r-none-eabihf", "armv7r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"armv8r-none-eabihf", "armv8r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"i586-unknown-linux-gnu", "i586", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, false},
    {"i586-unknown-linux-musl", "i586", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, false},
    {"i686-linux-android", "i686", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, false},
    {"i686-pc-windows-gnu", "i686", "x86", 32, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"i686-pc-windows-gnullvm", "i686", "x86", 32, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"i686-pc-windows-msvc", "i686", "x86", 32, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"i686-unknown-freebsd", "i686", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, false},
    {"i686-unknown-linux-gnu", "i686", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, true},
    {"i686-unknown-linux-musl", "i686", "x86", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_386, FloatAbi::NotApplicable, false},
    {"i686-unknown-uefi", "i686", "x86", 32, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"loongarch64-unknown-linux-gnu", "loongarch64", "loongarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_loongarch, FloatAbi::NotApplicable, true},
    {"loongarch64-unknown-linux-musl", "loongarch64", "loongarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_loongarch, FloatAbi::NotApplicable, true},
    {"loongarch64-unknown-none", "loongarch64", "loongarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_loongarch, FloatAbi::NotApplicable, false},
    {"loongarch64-unknown-none-softfloat", "loongarch64", "loongarch64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_loongarch, FloatAbi::NotApplicable, false},
    {"nvptx64-nvidia-cuda", "nvptx64", "nvptx64", 64, Endian::Little, ObjectFormat::Other, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"powerpc-unknown-linux-gnu", "powerpc", "powerpc", 32, Endian::Big, ObjectFormat::Elf, elf_machine::k_ppc, FloatAbi::NotApplicable, true},
    {"powerpc64-unknown-linux-gnu", "powerpc64", "powerpc64", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_ppc64, FloatAbi::NotApplicable, true},
    {"powerpc64-unknown-linux-musl", "powerpc64", "powerpc64", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_ppc64, FloatAbi::NotApplicable, true},
    {"powerpc64le-unknown-linux-gnu", "powerpc64le", "powerpc64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_ppc64, FloatAbi::NotApplicable, true},
    {"powerpc64le-unknown-linux-musl", "powerpc64le", "powerpc64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_ppc64, FloatAbi::NotApplicable, true},
    {"riscv32i-unknown-none-elf", "riscv32i", "riscv32", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv32im-unknown-none-elf", "riscv32im", "riscv32", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv32imac-unknown-none-elf", "riscv32imac", "riscv32", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv32imafc-unknown-none-elf", "riscv32imafc", "riscv32", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv32imc-unknown-none-elf", "riscv32imc", "riscv32", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv64a23-unknown-linux-gnu", "riscv64a23", "riscv64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv64gc-unknown-linux-gnu", "riscv64gc", "riscv64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, true},
    {"riscv64gc-unknown-linux-musl", "riscv64gc", "riscv64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv64gc-unknown-none-elf", "riscv64gc", "riscv64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"riscv64imac-unknown-none-elf", "riscv64imac", "riscv64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_riscv, FloatAbi::NotApplicable, false},
    {"s390x-unknown-linux-gnu", "s390x", "s390x", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_s390, FloatAbi::NotApplicable, true},
    {"s390x-unknown-none-softfloat", "s390x", "s390x", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_s390, FloatAbi::NotApplicable, false},
    {"sparc64-unknown-linux-gnu", "sparc64", "sparc64", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_sparcv9, FloatAbi::NotApplicable, false},
    {"sparcv9-sun-solaris", "sparcv9", "sparc64", 64, Endian::Big, ObjectFormat::Elf, elf_machine::k_sparcv9, FloatAbi::NotApplicable, true},
    {"thumbv6m-none-eabi", "thumbv6m", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7a-none-eabi", "thumbv7a", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7a-none-eabihf", "thumbv7a", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"thumbv7em-none-eabi", "thumbv7em", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7em-none-eabihf", "thumbv7em", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"thumbv7m-none-eabi", "thumbv7m", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7neon-linux-androideabi", "thumbv7neon", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7neon-unknown-linux-gnueabihf", "thumbv7neon", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"thumbv7r-none-eabi", "thumbv7r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv7r-none-eabihf", "thumbv7r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"thumbv8m.base-none-eabi", "thumbv8m.base", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv8m.main-none-eabi", "thumbv8m.main", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Soft, false},
    {"thumbv8m.main-none-eabihf", "thumbv8m.main", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"thumbv8r-none-eabihf", "thumbv8r", "arm", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_arm, FloatAbi::Hard, false},
    {"wasm32-unknown-emscripten", "wasm32", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"wasm32-unknown-unknown", "wasm32", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"wasm32-wasip1", "wasm32", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"wasm32-wasip1-threads", "wasm32", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"wasm32-wasip2", "wasm32", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"wasm32v1-none", "wasm32v1", "wasm32", 32, Endian::Little, ObjectFormat::Wasm, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"x86_64-apple-darwin", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"x86_64-apple-ios", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"x86_64-apple-ios-macabi", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::MachO, elf_machine::k_none, FloatAbi::NotApplicable, false},
    {"x86_64-fortanix-unknown-sgx", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-linux-android", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-pc-solaris", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-pc-windows-gnu", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"x86_64-pc-windows-gnullvm", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"x86_64-pc-windows-msvc", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-freebsd", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-fuchsia", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-illumos", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-linux-gnu", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-linux-gnuasan", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-linux-gnux32", "x86_64", "x86_64", 32, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-linux-musl", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-linux-ohos", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-netbsd", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, true},
    {"x86_64-unknown-none", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-redox", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Elf, elf_machine::k_x86_64, FloatAbi::NotApplicable, false},
    {"x86_64-unknown-uefi", "x86_64", "x86_64", 64, Endian::Little, ObjectFormat::Coff, elf_machine::k_none, FloatAbi::NotApplicable, false},
  };
  static const std::vector<TargetInfo> k_table = [] {
    std::vector<TargetInfo> rows;
    for (const Row& row : k_rows) {
      rows.push_back(TargetInfo{row.triple, row.arch, row.family, row.width, row.endian,
                                row.format, row.machine, row.float_abi, row.host, true});
    }
    return rows;
  }();
  return k_table;
}

struct ArchFacts {
  const char* family;
  unsigned width;
  Endian endian;
  std::uint16_t machine;
};

// rustc's arch names, by prefix where a family has many spellings (armv7a, thumbv8m.main,
// riscv64gc). The first rule that matches wins: longer and more specific names first.
std::optional<ArchFacts> arch_facts(std::string_view arch) {
  using namespace elf_machine;
  enum class Match { Exact, Prefix };
  struct Rule {
    std::string_view name;
    Match match;
    ArchFacts facts;
  };
  // clang-format off
  static constexpr Rule k_rules[] = {
      {"x86_64", Match::Exact, {"x86_64", 64, Endian::Little, k_x86_64}},
      {"x86_64h", Match::Exact, {"x86_64", 64, Endian::Little, k_x86_64}},
      {"i386", Match::Exact, {"x86", 32, Endian::Little, k_386}},
      {"i486", Match::Exact, {"x86", 32, Endian::Little, k_386}},
      {"i586", Match::Exact, {"x86", 32, Endian::Little, k_386}},
      {"i686", Match::Exact, {"x86", 32, Endian::Little, k_386}},
      {"arm64ec", Match::Exact, {"arm64ec", 64, Endian::Little, k_aarch64}},
      {"arm64_32", Match::Exact, {"aarch64", 32, Endian::Little, k_aarch64}},
      {"aarch64_be", Match::Exact, {"aarch64", 64, Endian::Big, k_aarch64}},
      {"aarch64", Match::Prefix, {"aarch64", 64, Endian::Little, k_aarch64}},
      {"arm64", Match::Prefix, {"aarch64", 64, Endian::Little, k_aarch64}},
      {"armeb", Match::Prefix, {"arm", 32, Endian::Big, k_arm}},
      {"thumbeb", Match::Prefix, {"arm", 32, Endian::Big, k_arm}},
      {"arm", Match::Prefix, {"arm", 32, Endian::Little, k_arm}},
      {"thumb", Match::Prefix, {"arm", 32, Endian::Little, k_arm}},
      {"riscv64", Match::Prefix, {"riscv64", 64, Endian::Little, k_riscv}},
      {"riscv32", Match::Prefix, {"riscv32", 32, Endian::Little, k_riscv}},
      {"powerpc64le", Match::Exact, {"powerpc64", 64, Endian::Little, k_ppc64}},
      {"powerpc64", Match::Exact, {"powerpc64", 64, Endian::Big, k_ppc64}},
      {"powerpcle", Match::Exact, {"powerpc", 32, Endian::Little, k_ppc}},
      {"powerpc", Match::Exact, {"powerpc", 32, Endian::Big, k_ppc}},
      {"mips64el", Match::Exact, {"mips64", 64, Endian::Little, k_mips}},
      {"mipsisa64r6el", Match::Exact, {"mips64", 64, Endian::Little, k_mips}},
      {"mips64", Match::Exact, {"mips64", 64, Endian::Big, k_mips}},
      {"mipsisa64r6", Match::Exact, {"mips64", 64, Endian::Big, k_mips}},
      {"mipsel", Match::Exact, {"mips", 32, Endian::Little, k_mips}},
      {"mipsisa32r6el", Match::Exact, {"mips", 32, Endian::Little, k_mips}},
      {"mips", Match::Exact, {"mips", 32, Endian::Big, k_mips}},
      {"mipsisa32r6", Match::Exact, {"mips", 32, Endian::Big, k_mips}},
      {"s390x", Match::Exact, {"s390x", 64, Endian::Big, k_s390}},
      {"sparc64", Match::Exact, {"sparc64", 64, Endian::Big, k_sparcv9}},
      {"sparcv9", Match::Exact, {"sparc64", 64, Endian::Big, k_sparcv9}},
      {"sparc", Match::Exact, {"sparc", 32, Endian::Big, k_sparc}},
      {"loongarch64", Match::Exact, {"loongarch64", 64, Endian::Little, k_loongarch}},
      {"loongarch32", Match::Exact, {"loongarch32", 32, Endian::Little, k_loongarch}},
      {"wasm32", Match::Prefix, {"wasm32", 32, Endian::Little, k_none}},
      {"wasm64", Match::Prefix, {"wasm64", 64, Endian::Little, k_none}},
      {"nvptx64", Match::Exact, {"nvptx64", 64, Endian::Little, k_none}},
      {"bpfel", Match::Exact, {"bpf", 64, Endian::Little, k_bpf}},
      {"bpfeb", Match::Exact, {"bpf", 64, Endian::Big, k_bpf}},
      {"m68k", Match::Exact, {"m68k", 32, Endian::Big, k_68k}},
      {"csky", Match::Exact, {"csky", 32, Endian::Little, k_csky}},
      {"hexagon", Match::Exact, {"hexagon", 32, Endian::Little, k_hexagon}},
      {"xtensa", Match::Exact, {"xtensa", 32, Endian::Little, k_xtensa}},
      {"avr", Match::Exact, {"avr", 16, Endian::Little, k_avr}},
      {"msp430", Match::Exact, {"msp430", 16, Endian::Little, k_msp430}},
  };
  // clang-format on
  for (const Rule& rule : k_rules) {
    if (rule.match == Match::Exact ? arch == rule.name : arch.starts_with(rule.name)) {
      return rule.facts;
    }
  }
  return std::nullopt;
}

ObjectFormat object_format_of(const Triple& triple) {
  if (triple.vendor == "apple") {
    return ObjectFormat::MachO;
  }
  if (triple.os == "windows" || triple.os == "uefi" || triple.os == "cygwin") {
    return ObjectFormat::Coff;
  }
  if (triple.arch.starts_with("wasm")) {
    return ObjectFormat::Wasm;
  }
  if (triple.arch == "nvptx64" || triple.os == "aix" || triple.os == "cuda") {
    return ObjectFormat::Other;
  }
  return ObjectFormat::Elf;
}

TargetInfo infer(const Triple& triple) {
  TargetInfo info;
  info.triple = triple.text;
  info.arch = triple.arch;
  info.object_format = object_format_of(triple);
  if (auto facts = arch_facts(triple.arch)) {
    info.family = facts->family;
    info.pointer_width = facts->width;
    info.endian = facts->endian;
    if (info.object_format == ObjectFormat::Elf) {
      info.elf_machine = facts->machine;
    }
  }
  // ILP32 ABIs on 64-bit ISAs: x86_64-unknown-linux-gnux32, aarch64-unknown-linux-gnu_ilp32.
  if (triple.env.ends_with("x32") || triple.env.ends_with("ilp32")) {
    info.pointer_width = 32;
  }
  if (info.family == "arm") {
    // "eabihf", "musleabihf", "newlibeabihf": the hard-float procedure call standard.
    info.float_abi = triple.env.find("hf") != std::string::npos ? FloatAbi::Hard : FloatAbi::Soft;
  }
  return info;
}

} // namespace

std::optional<TargetInfo> find_target(std::string_view triple) {
  const auto& rows = table();
  auto it = std::find_if(rows.begin(), rows.end(),
                         [&](const TargetInfo& row) { return row.triple == triple; });
  if (it == rows.end()) {
    return std::nullopt;
  }
  return *it;
}

TargetInfo describe_target(std::string_view triple) {
  if (auto row = find_target(triple)) {
    return *row;
  }
  return infer_target(triple);
}

TargetInfo infer_target(std::string_view triple) {
  auto parsed = parse_triple(triple);
  if (!parsed) {
    throw Error("", "not a target triple: '" + std::string(triple) + "'");
  }
  return infer(*parsed);
}

std::span<const TargetInfo> known_targets() {
  return table();
}

bool is_windows_gnu(std::string_view triple) {
  auto parsed = parse_triple(triple);
  // gnullvm is a different toolchain (no rust-mingw); only plain "gnu" is MinGW.
  return parsed && parsed->os == "windows" && parsed->env == "gnu";
}

bool is_windows(std::string_view triple) {
  auto parsed = parse_triple(triple);
  return parsed && parsed->os == "windows";
}

std::string exe_suffix(std::string_view triple) {
  return is_windows(triple) ? ".exe" : "";
}

std::string_view to_string(FloatAbi abi) {
  switch (abi) {
  case FloatAbi::Soft:
    return "soft-float";
  case FloatAbi::Hard:
    return "hard-float";
  case FloatAbi::NotApplicable:
    break;
  }
  return "";
}

std::string_view to_string(Endian endian) {
  return endian == Endian::Little ? "LSB" : "MSB";
}

} // namespace distbuild::targets
