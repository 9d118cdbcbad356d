// See elf_dynamic.hpp. Only the headers, the dynamic table and the string table are read: a few
// kilobytes even of a 150 MB librustc_driver.
#include "cross/elf_dynamic.hpp"

#include "cross/error.hpp"

#include <cstdint>
#include <fstream>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t k_pt_load = 1;
constexpr std::uint32_t k_pt_dynamic = 2;
constexpr std::uint64_t k_dt_null = 0;
constexpr std::uint64_t k_dt_needed = 1;
constexpr std::uint64_t k_dt_strtab = 5;
constexpr std::uint64_t k_dt_strsz = 10;
constexpr std::uint64_t k_dt_soname = 14;
constexpr std::uint64_t k_dt_rpath = 15;
constexpr std::uint64_t k_dt_runpath = 29;

class Reader {
public:
  explicit Reader(const fs::path& path) : m_path(path), m_in(path, std::ios::binary) {
    if (!m_in) {
      throw Error(path, "cannot read");
    }
  }
  std::string bytes(std::uint64_t offset, std::uint64_t size) {
    std::string out(size, '\0');
    m_in.clear();
    m_in.seekg(static_cast<std::streamoff>(offset));
    m_in.read(out.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(m_in.gcount()) != size) {
      throw Error(m_path, "truncated ELF file (" + std::to_string(size) + " bytes at offset " +
                              std::to_string(offset) + " cannot be read)");
    }
    return out;
  }

private:
  fs::path m_path;
  std::ifstream m_in;
};

struct Layout {
  bool is64 = false;
  bool little = true;
  std::uint64_t get(const std::string& b, std::size_t offset, std::size_t size) const {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < size; ++i) {
      const auto byte = static_cast<unsigned char>(b.at(offset + i));
      value |= static_cast<std::uint64_t>(byte) << (8 * (little ? i : size - 1 - i));
    }
    return value;
  }
  std::uint64_t word(const std::string& b, std::size_t offset) const {
    return get(b, offset, is64 ? 8 : 4);
  }
};

struct Segment {
  std::uint32_t type;
  std::uint64_t offset, vaddr, filesz;
};

std::vector<std::string> split_colons(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t colon = text.find(':', start);
    if (colon == std::string::npos) {
      colon = text.size();
    }
    if (colon > start) {
      parts.push_back(text.substr(start, colon - start));
    }
    start = colon + 1;
  }
  return parts;
}

} // namespace

std::optional<ElfDynamic> read_elf_dynamic(const fs::path& file) {
  Reader reader(file);
  std::string header;
  try {
    header = reader.bytes(0, 52);
  } catch (const Error&) {
    return std::nullopt;  // shorter than any ELF header: not ELF
  }
  if (header.compare(0, 4, "\x7f" "ELF") != 0) {
    return std::nullopt;
  }
  Layout layout;
  layout.is64 = header[4] == 2;
  layout.little = header[5] != 2;
  if (layout.is64) {
    header = reader.bytes(0, 64);
  }
  const auto type = layout.get(header, 16, 2);
  if (type != 2 && type != 3) {  // ET_EXEC, ET_DYN
    return std::nullopt;
  }
  const std::uint64_t phoff = layout.is64 ? layout.get(header, 32, 8) : layout.get(header, 28, 4);
  const std::uint64_t phentsize = layout.get(header, layout.is64 ? 54 : 42, 2);
  const std::uint64_t phnum = layout.get(header, layout.is64 ? 56 : 44, 2);
  if (phnum == 0 || phentsize < (layout.is64 ? 56u : 32u)) {
    return std::nullopt;
  }
  const std::string table = reader.bytes(phoff, phentsize * phnum);
  std::vector<Segment> segments;
  for (std::uint64_t i = 0; i < phnum; ++i) {
    const std::size_t at = static_cast<std::size_t>(i * phentsize);
    Segment segment;
    segment.type = static_cast<std::uint32_t>(layout.get(table, at, 4));
    if (layout.is64) {
      segment.offset = layout.get(table, at + 8, 8);
      segment.vaddr = layout.get(table, at + 16, 8);
      segment.filesz = layout.get(table, at + 32, 8);
    } else {
      segment.offset = layout.get(table, at + 4, 4);
      segment.vaddr = layout.get(table, at + 8, 4);
      segment.filesz = layout.get(table, at + 16, 4);
    }
    segments.push_back(segment);
  }
  const Segment* dynamic = nullptr;
  for (const auto& segment : segments) {
    if (segment.type == k_pt_dynamic) {
      dynamic = &segment;
    }
  }
  if (dynamic == nullptr) {
    return std::nullopt;  // static executable
  }
  const std::string entries = reader.bytes(dynamic->offset, dynamic->filesz);
  const std::size_t entry_size = layout.is64 ? 16 : 8;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> tags;
  std::uint64_t strtab = 0;
  std::uint64_t strsz = 0;
  for (std::size_t at = 0; at + entry_size <= entries.size(); at += entry_size) {
    const std::uint64_t tag = layout.word(entries, at);
    const std::uint64_t value = layout.word(entries, at + entry_size / 2);
    if (tag == k_dt_null) {
      break;
    }
    if (tag == k_dt_strtab) {
      strtab = value;
    } else if (tag == k_dt_strsz) {
      strsz = value;
    } else {
      tags.emplace_back(tag, value);
    }
  }
  // The string table's address is a virtual one: find the loaded segment that holds it.
  std::optional<std::uint64_t> strtab_offset;
  for (const auto& segment : segments) {
    if (segment.type == k_pt_load && strtab >= segment.vaddr &&
        strtab < segment.vaddr + segment.filesz) {
      strtab_offset = strtab - segment.vaddr + segment.offset;
    }
  }
  if (!strtab_offset || strsz == 0) {
    throw Error(file, "ELF dynamic section without a loadable string table");
  }
  const std::string strings = reader.bytes(*strtab_offset, strsz);
  auto string_at = [&](std::uint64_t offset) -> std::string {
    if (offset >= strings.size()) {
      throw Error(file, "ELF dynamic entry points outside its string table");
    }
    return std::string(strings.c_str() + offset);
  };
  ElfDynamic result;
  std::vector<std::string> rpath;
  for (const auto& [tag, value] : tags) {
    if (tag == k_dt_needed) {
      result.needed.push_back(string_at(value));
    } else if (tag == k_dt_soname) {
      result.soname = string_at(value);
    } else if (tag == k_dt_runpath) {
      result.runpath = split_colons(string_at(value));
    } else if (tag == k_dt_rpath) {
      rpath = split_colons(string_at(value));
    }
  }
  if (result.runpath.empty()) {
    result.runpath = rpath;
  }
  return result;
}

} // namespace distbuild::cross
