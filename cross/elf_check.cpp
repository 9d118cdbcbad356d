// See elf_check.hpp. Only the ELF header is read (machine, class, byte order, flags): enough to
// tell an x86-64 object from an armhf one, and cheap on 200 MB shared objects. Archives are read
// with libarchive's ar reader (GNU and BSD variants, long member names), member by member.
#include "cross/elf_check.hpp"

#include "cross/error.hpp"
#include "targets/target_table.hpp"

#include <archive.h>
#include <archive_entry.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view k_elf_magic = "\x7f" "ELF";
constexpr std::string_view k_ar_magic = "!<arch>\n";
// Large enough for an ELF64 header (64 bytes), which holds every field we read.
constexpr std::size_t k_header_bytes = 64;
constexpr std::uint32_t k_ef_arm_abi_float_soft = 0x200;
constexpr std::uint32_t k_ef_arm_abi_float_hard = 0x400;

struct ArchiveDeleter {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveDeleter>;

struct ElfHeader {
  unsigned bits = 0;
  targets::Endian endian = targets::Endian::Little;
  std::uint16_t machine = 0;
  std::uint32_t flags = 0;
};

std::uint32_t read_uint(std::string_view bytes, std::size_t offset, std::size_t size,
                        targets::Endian endian) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < size; ++i) {
    const auto byte = static_cast<unsigned char>(bytes[offset + i]);
    const std::size_t shift = endian == targets::Endian::Little ? i : size - 1 - i;
    value |= static_cast<std::uint32_t>(byte) << (8 * shift);
  }
  return value;
}

std::optional<ElfHeader> parse_elf_header(std::string_view bytes) {
  if (bytes.size() < 52 || !bytes.starts_with(k_elf_magic)) {
    return std::nullopt;
  }
  ElfHeader header;
  header.bits = bytes[4] == 2 ? 64 : 32;
  header.endian = bytes[5] == 2 ? targets::Endian::Big : targets::Endian::Little;
  header.machine = static_cast<std::uint16_t>(read_uint(bytes, 18, 2, header.endian));
  const std::size_t flags_offset = header.bits == 64 ? 48 : 36;
  if (bytes.size() >= flags_offset + 4) {
    header.flags = read_uint(bytes, flags_offset, 4, header.endian);
  }
  return header;
}

std::string machine_name(std::uint16_t machine) {
  using namespace targets::elf_machine;
  switch (machine) {
  case k_sparc: return "SPARC";
  case k_386: return "Intel 80386";
  case k_68k: return "Motorola 68000";
  case k_mips: return "MIPS";
  case k_ppc: return "PowerPC";
  case k_ppc64: return "PowerPC64";
  case k_s390: return "IBM S/390";
  case k_arm: return "ARM";
  case k_sparcv9: return "SPARC V9";
  case k_x86_64: return "x86-64";
  case k_avr: return "AVR";
  case k_xtensa: return "Xtensa";
  case k_msp430: return "MSP430";
  case k_hexagon: return "Hexagon";
  case k_aarch64: return "AArch64";
  case k_riscv: return "RISC-V";
  case k_bpf: return "BPF";
  case k_csky: return "C-SKY";
  case k_loongarch: return "LoongArch";
  default: return "machine " + std::to_string(machine);
  }
}

targets::FloatAbi arm_float_abi(const ElfHeader& header) {
  if (header.machine != targets::elf_machine::k_arm) {
    return targets::FloatAbi::NotApplicable;
  }
  if (header.flags & k_ef_arm_abi_float_hard) {
    return targets::FloatAbi::Hard;
  }
  if (header.flags & k_ef_arm_abi_float_soft) {
    return targets::FloatAbi::Soft;
  }
  return targets::FloatAbi::NotApplicable; // pre-EABI5 or no float ABI recorded
}

std::string describe(unsigned bits, targets::Endian endian, std::uint16_t machine,
                     targets::FloatAbi abi) {
  std::string text = "ELF " + std::to_string(bits) + "-bit " +
                     std::string(targets::to_string(endian)) + " " + machine_name(machine);
  if (abi != targets::FloatAbi::NotApplicable) {
    text += ", " + std::string(targets::to_string(abi));
  }
  return text;
}

std::string non_elf_need(targets::ObjectFormat format) {
  switch (format) {
  case targets::ObjectFormat::Coff: return "PE/COFF, not ELF";
  case targets::ObjectFormat::MachO: return "Mach-O, not ELF";
  case targets::ObjectFormat::Wasm: return "WebAssembly, not ELF";
  default: return "a non-ELF format";
  }
}

// "" when the header fits the target.
std::string mismatch(const ElfHeader& header, const targets::TargetInfo& target) {
  const std::string what =
      describe(header.bits, header.endian, header.machine, arm_float_abi(header));
  if (target.object_format != targets::ObjectFormat::Elf &&
      target.object_format != targets::ObjectFormat::Unknown) {
    return what + " but " + target.triple + " needs " + non_elf_need(target.object_format);
  }
  const unsigned want_bits = target.pointer_width == 64 ? 64 : 32;
  bool bad = header.endian != target.endian;
  if (target.pointer_width != 0 && header.bits != want_bits) {
    bad = true;
  }
  if (target.elf_machine != 0 && header.machine != target.elf_machine) {
    bad = true;
  }
  const targets::FloatAbi abi = arm_float_abi(header);
  if (target.float_abi != targets::FloatAbi::NotApplicable &&
      abi != targets::FloatAbi::NotApplicable && abi != target.float_abi) {
    bad = true;
  }
  if (!bad) {
    return "";
  }
  const std::string need =
      target.elf_machine != 0
          ? describe(want_bits, target.endian, target.elf_machine, target.float_abi)
          : "ELF " + std::to_string(want_bits) + "-bit " +
                std::string(targets::to_string(target.endian));
  return what + " but " + target.triple + " needs " + need;
}

std::string read_head(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(path, "cannot read");
  }
  std::string bytes(k_header_bytes, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

void check_archive(const fs::path& path, const std::string& rel,
                   const targets::TargetInfo& target, std::vector<std::string>& problems) {
  ArchivePtr reader(archive_read_new());
  archive_read_support_format_ar(reader.get());
  if (archive_read_open_filename(reader.get(), path.c_str(), 64 * 1024) != ARCHIVE_OK) {
    throw Error(path, std::string("cannot open archive: ") + archive_error_string(reader.get()));
  }
  // One line per archive: a std rlib holds dozens of codegen units, all wrong in the same way.
  std::string first_member;
  std::string first_problem;
  std::size_t bad_members = 0;
  archive_entry* entry = nullptr;
  int status = ARCHIVE_OK;
  while ((status = archive_read_next_header(reader.get(), &entry)) == ARCHIVE_OK) {
    const char* name = archive_entry_pathname(entry);
    std::string head(k_header_bytes, '\0');
    const la_ssize_t got = archive_read_data(reader.get(), head.data(), head.size());
    if (got < 0) {
      throw Error(path, std::string("cannot read member: ") + archive_error_string(reader.get()));
    }
    head.resize(static_cast<std::size_t>(got));
    if (auto header = parse_elf_header(head)) {
      std::string problem = mismatch(*header, target);
      if (!problem.empty() && bad_members++ == 0) {
        first_member = name ? name : "?";
        first_problem = std::move(problem);
      }
    }
  }
  if (status != ARCHIVE_EOF) {
    throw Error(path, std::string("cannot read archive: ") + archive_error_string(reader.get()));
  }
  if (bad_members == 1) {
    problems.push_back(rel + "(" + first_member + "): " + first_problem);
  } else if (bad_members > 1) {
    const std::size_t more = bad_members - 1;
    problems.push_back(rel + "(" + first_member + ", and " + std::to_string(more) +
                       (more == 1 ? " more member): " : " more members): ") + first_problem);
  }
}

} // namespace

std::string check_elf_bytes(std::string_view bytes, const std::string& name, std::string_view triple) {
  const targets::TargetInfo target = targets::describe_target(triple);
  if (auto header = parse_elf_header(bytes)) {
    std::string problem = mismatch(*header, target);
    if (!problem.empty()) {
      return name + ": " + problem;
    }
  }
  return "";
}

std::vector<std::string> check_image_arch(const fs::path& image_dir, std::string_view triple) {
  return check_image_arch(image_dir, targets::describe_target(triple));
}

bool runs_on_this_machine(const fs::path& file) {
  std::string mine;
  std::string theirs;
  try {
    mine = read_head("/proc/self/exe");
    theirs = read_head(file);
  } catch (const Error&) {
    return false;
  }
  auto own = parse_elf_header(mine);
  auto other = parse_elf_header(theirs);
  return own && other && own->bits == other->bits && own->endian == other->endian &&
         own->machine == other->machine;
}

std::vector<std::string> check_image_arch(const fs::path& image_dir,
                                          const targets::TargetInfo& target) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(image_dir, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    // share/ (documentation, man pages, completions) is never loaded or linked, and rust-docs
    // alone is 52,000 files there: opening each cost more than the rest of an unchanged rerun.
    if (it.depth() == 0 && it->is_directory() && it->path().filename() == "share") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && !it->is_symlink()) {
      files.push_back(it->path());
    }
  }
  if (ec) {
    throw Error(image_dir, "cannot walk: " + ec.message());
  }
  std::sort(files.begin(), files.end());

  std::vector<std::string> problems;
  for (const auto& file : files) {
    const std::string rel = file.lexically_relative(image_dir).generic_string();
    const std::string head = read_head(file);
    if (head.starts_with(k_ar_magic)) {
      check_archive(file, rel, target, problems);
    } else if (auto header = parse_elf_header(head)) {
      std::string problem = mismatch(*header, target);
      if (!problem.empty()) {
        problems.push_back(rel + ": " + problem);
      }
    }
  }
  return problems;
}

} // namespace distbuild::cross
