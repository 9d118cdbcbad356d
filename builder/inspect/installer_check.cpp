// check_installer_structure(): walks the raw tar headers itself instead of using libarchive,
// because libarchive (by design) hides what matters here: it consumes pax global headers
// silently and normalises names, while rustup's tar-rs sees the raw type flags. The walker knows
// just enough of the format: 512-byte headers, GNU `L`/`K` long names, pax `x`/`g` records,
// ustar prefixes and base-256 sizes.
#include "builder/inspect/installer_reader.hpp"

#include "builder/tree/error.hpp"
#include "builder/tree/input_limits.hpp"
#include "builder/inspect/installer_decompress.hpp"
#include "builder/tree/text.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <map>
#include <set>
#include <sstream>

namespace distbuild::builder {

namespace {

constexpr std::size_t k_block = 512;
constexpr std::size_t k_max_problems = 200;

struct Header {
  std::array<unsigned char, k_block> bytes{};
  std::string field(std::size_t offset, std::size_t size) const {
    std::string text(reinterpret_cast<const char*>(bytes.data()) + offset, size);
    return text.substr(0, text.find('\0'));
  }
};

std::uint64_t parse_number(const unsigned char* field, std::size_t size) {
  if (field[0] & 0x80) { // GNU base-256
    std::uint64_t value = field[0] & 0x7f;
    for (std::size_t i = 1; i < size; ++i) {
      value = (value << 8) | field[i];
    }
    return value;
  }
  std::uint64_t value = 0;
  std::size_t i = 0;
  while (i < size && field[i] == ' ') {
    ++i;
  }
  for (; i < size && field[i] >= '0' && field[i] <= '7'; ++i) {
    value = value * 8 + static_cast<std::uint64_t>(field[i] - '0');
  }
  return value;
}

bool checksum_ok(const Header& h) {
  std::uint64_t stored = parse_number(h.bytes.data() + 148, 8);
  std::uint64_t sum = 0;
  for (std::size_t i = 0; i < k_block; ++i) {
    sum += (i >= 148 && i < 156) ? ' ' : h.bytes[i];
  }
  return stored == sum;
}

std::string pax_path(const std::string& records) {
  std::string path;
  std::size_t pos = 0;
  while (pos < records.size()) {
    std::size_t space = records.find(' ', pos);
    if (space == std::string::npos) {
      break;
    }
    // "<length> <key>=<value>\n", length counting the whole record; never trusted further
    // than the bytes there are (a length near 2^64 must not wrap the position around).
    std::size_t length = 0;
    for (std::size_t i = pos; i < space; ++i) {
      char c = records[i];
      if (c < '0' || c > '9' || length > records.size()) {
        return path;
      }
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (length <= space - pos + 1 || length > records.size() - pos) {
      break;
    }
    std::string record = records.substr(space + 1, pos + length - space - 2);
    if (record.rfind("path=", 0) == 0) {
      path = record.substr(5);
    }
    pos += length;
  }
  return path;
}

std::vector<std::string> split_lines_keep_blank(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    lines.push_back(line);
  }
  return lines;
}

std::string stream_word(Format format) {
  return std::string(manifest::format_info(format).stream_word);
}

class StructureCheck {
public:
  explicit StructureCheck(Decompressor& input) : m_input(input) {}

  std::vector<std::string> run() {
    walk();
    std::uint64_t trailing = m_input.trailing_bytes();
    if (trailing > 0) {
      std::string word = stream_word(m_input.format());
      report("more than one " + word + ": " + std::to_string(trailing) +
                           " bytes follow the first one (rustup reads only one " + word + ")");
    }
    check_layout();
    if (m_suppressed > 0) {
      m_problems.push_back("... and " + std::to_string(m_suppressed) + " more problems");
    }
    return m_problems;
  }

private:
  // At most k_max_problems sentences are kept: a hostile manifest.in of millions of bad lines
  // must not turn into millions of strings (the rest are counted).
  void report(std::string problem) {
    if (m_problems.size() < k_max_problems) {
      m_problems.push_back(std::move(problem));
    } else {
      ++m_suppressed;
    }
  }

  bool read_exact(void* buffer, std::size_t size) {
    auto* out = static_cast<char*>(buffer);
    std::size_t done = 0;
    while (done < size) {
      std::size_t n = m_input.read(out + done, size - done);
      if (n == 0) {
        return false;
      }
      done += n;
    }
    return true;
  }

  // Reads an entry's padded data; keeps at most k_max_installer_metadata_file bytes of it.
  bool read_data(std::uint64_t size, std::string* keep) {
    if (size > UINT64_MAX - k_block) {
      return false;  // a base-256 size no tar can hold: treated as truncated
    }
    std::uint64_t padded = (size + k_block - 1) / k_block * k_block;
    std::array<char, k_block> block{};
    for (std::uint64_t done = 0; done < padded; done += k_block) {
      if (!read_exact(block.data(), k_block)) {
        return false;
      }
      if (keep != nullptr && done < size && done < k_max_installer_metadata_file) {
        keep->append(block.data(), std::min<std::uint64_t>(k_block, size - done));
      }
    }
    return true;
  }

  // What the check holds in memory is bounded whatever the archive holds (input_limits.hpp):
  // past a limit the walk stops with a problem saying so. True when still within the limits.
  bool within_limits(const std::string& name, std::uint64_t kept) {
    m_kept_bytes += kept;
    m_name_bytes += name.size();
    std::string over;
    if (m_entries > k_max_installer_entries) {
      over = "more than " + std::to_string(k_max_installer_entries) + " entries";
    } else if (m_name_bytes > k_max_installer_name_bytes) {
      over = "entry names of more than " + limit_text(k_max_installer_name_bytes);
    } else if (m_kept_bytes > k_max_installer_metadata_total) {
      over = "metadata files of more than " + limit_text(k_max_installer_metadata_total);
    }
    if (over.empty()) {
      return true;
    }
    m_problems.push_back("the tarball holds " + over + " (distbuild's limit); the rest is not "
                         "checked");
    return false;
  }

  void walk() {
    std::optional<std::string> long_name;
    std::optional<std::string> pax_name;
    for (;;) {
      Header h;
      if (!read_exact(h.bytes.data(), k_block)) {
        report("the tar ends without its end-of-archive blocks");
        return;
      }
      bool all_zero = std::all_of(h.bytes.begin(), h.bytes.end(), [](unsigned char c) { return c == 0; });
      if (all_zero) {
        return;
      }
      if (!checksum_ok(h)) {
        report("tar header checksum mismatch after " + std::to_string(m_entries) +
                             " entries; the rest cannot be read");
        return;
      }
      char type = static_cast<char>(h.bytes[156]);
      std::uint64_t size = parse_number(h.bytes.data() + 124, 12);
      bool is_ustar = h.field(257, 6) == "ustar";
      std::string name = h.field(0, 100);
      std::string prefix = h.field(345, 155);
      if (is_ustar && h.bytes[263] == '0' && !prefix.empty()) { // POSIX ustar, not GNU
        name = prefix + "/" + name;
      }
      if (long_name) {
        name = *long_name;
      } else if (pax_name && !pax_name->empty()) {
        name = *pax_name;
      }

      std::string data;
      bool keep_data = type == 'L' || type == 'K' || type == 'x' || type == 'g' || wanted(name);
      if (!read_data((type == '5') ? 0 : size, keep_data ? &data : nullptr)) {
        report(name + ": the tar is truncated inside this entry");
        return;
      }
      switch (type) {
      case 'L':
        long_name = data.substr(0, data.find('\0'));
        continue;
      case 'K':
        continue;
      case 'x':
        pax_name = pax_path(data);
        continue;
      case 'g':
        report("pax global header (entry " + std::to_string(m_entries + 1) +
                             "): rustup fails with \"tar entry kind 'XGlobalHeader' is not "
                             "supported\"");
        continue;
      default:
        break;
      }
      long_name.reset();
      pax_name.reset();
      ++m_entries;
      if (!within_limits(name, data.size())) {
        return;
      }
      entry(name, type, data);
    }
  }

  bool wanted(const std::string& name) const {
    std::string rel = strip_top(name);
    return rel == "rust-installer-version" || rel == "components" ||
           (rel.size() > 12 && rel.compare(rel.size() - 12, 12, "/manifest.in") == 0);
  }

  static std::string strip_top(std::string name) {
    while (name.rfind("./", 0) == 0) {
      name.erase(0, 2);
    }
    std::size_t slash = name.find('/');
    return slash == std::string::npos ? "" : name.substr(slash + 1);
  }

  void entry(std::string name, char type, const std::string& data) {
    std::string shown = name;
    while (shown.size() > 1 && shown.back() == '/') {
      shown.pop_back();
    }
    if (name.rfind("./", 0) == 0) {
      report(shown + ": starts with './', so rustup takes '.' as the top directory "
                                   "and cannot find the installer files");
    }
    if (!name.empty() && name.front() == '/') {
      report(shown + ": absolute path (rustup: tar path is not supported)");
    }
    while (!name.empty() && name.back() == '/') {
      name.pop_back();
    }
    std::vector<std::string> parts;
    std::size_t start = 0;
    bool dotdot = false;
    while (start <= name.size()) {
      std::size_t slash = name.find('/', start);
      if (slash == std::string::npos) {
        slash = name.size();
      }
      std::string part = name.substr(start, slash - start);
      if (part == "..") {
        dotdot = true;
      }
      if (!part.empty() && part != ".") {
        parts.push_back(part);
      }
      start = slash + 1;
    }
    if (dotdot) {
      report(shown + ": contains '..' (rustup: tar path is not supported)");
    }
    switch (type) {
    case '0':
    case '\0':
    case '7':
    case '5':
      break;
    case '1':
      report(shown + ": is a hard link; rustup accepts only directories and regular files");
      return;
    case '2':
      report(shown + ": is a symlink; rustup accepts only directories and regular files "
                                   "(tar entry kind 'Symlink' is not supported)");
      return;
    case '3':
    case '4':
      report(shown + ": is a device; rustup accepts only directories and regular files");
      return;
    case '6':
      report(shown + ": is a fifo; rustup accepts only directories and regular files");
      return;
    default:
      report(shown + ": has unsupported tar type '" + std::string(1, type) +
                           "'; rustup accepts only directories and regular files");
      return;
    }
    if (parts.empty()) {
      return;
    }
    if (m_tops.insert(parts[0]).second && m_first_top.empty()) {
      m_first_top = parts[0];
    }
    std::string rel;
    for (std::size_t i = 1; i < parts.size(); ++i) {
      rel += (rel.empty() ? "" : "/") + parts[i];
    }
    if (rel.empty()) {
      return;
    }
    if (type == '5') {
      m_dirs.insert(rel);
    } else {
      m_files.insert(rel);
      if (wanted(name)) {
        m_contents[rel] = data;
      }
    }
  }

  bool dir_exists(const std::string& rel) const {
    if (m_dirs.count(rel) != 0) {
      return true;
    }
    auto it = m_files.lower_bound(rel + "/");
    return it != m_files.end() && it->rfind(rel + "/", 0) == 0;
  }

  void check_layout() {
    if (m_tops.empty()) {
      report("the tar has no entries");
      return;
    }
    const std::string& top = m_first_top;
    if (m_tops.size() > 1) {
      std::string list;
      for (const std::string& t : m_tops) {
        list += (list.empty() ? "" : ", ") + t;
      }
      report("more than one top directory (" + list +
                           "); rustup strips exactly one");
    }
    auto version = m_contents.find("rust-installer-version");
    if (version == m_contents.end()) {
      report(top + "/rust-installer-version: missing");
    } else if (trim(version->second) != "3") {
      report(top + "/rust-installer-version: is '" + trim(version->second) +
                           "', rustup accepts only 3");
    }
    auto components = m_contents.find("components");
    if (components == m_contents.end()) {
      report(top + "/components: missing");
      return;
    }
    std::vector<std::string> names = split_lines_keep_blank(components->second);
    if (names.empty()) {
      report(top + "/components: lists no component");
    }
    for (std::size_t i = 0; i < names.size(); ++i) {
      const std::string& component = names[i];
      if (component.empty()) {
        report(top + "/components: line " + std::to_string(i + 1) + " is blank");
        continue;
      }
      auto manifest = m_contents.find(component + "/manifest.in");
      if (manifest == m_contents.end()) {
        report(top + "/" + component + "/manifest.in: missing");
        continue;
      }
      check_manifest(top, component, manifest->second);
    }
  }

  void check_manifest(const std::string& top, const std::string& component, const std::string& text) {
    std::string where = top + "/" + component + "/manifest.in";
    std::vector<std::string> lines = split_lines_keep_blank(text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
      const std::string& line = lines[i];
      std::string at = where + ": line " + std::to_string(i + 1);
      if (line.empty()) {
        report(at + " is blank (rustup: component manifest is corrupt)");
        continue;
      }
      std::size_t colon = line.find(':');
      std::string kind = colon == std::string::npos ? "" : line.substr(0, colon);
      std::string path = colon == std::string::npos ? "" : line.substr(colon + 1);
      if (kind != "file" && kind != "dir") {
        report(at + ": '" + line + "' is not file:<path> or dir:<path>");
        continue;
      }
      std::string rel = component + "/" + path;
      bool exists = kind == "file" ? m_files.count(rel) != 0 : dir_exists(rel);
      if (!exists) {
        report(at + ": " + line + " is not in the tarball");
      }
    }
  }

  Decompressor& m_input;
  std::vector<std::string> m_problems;
  std::size_t m_entries = 0;
  std::uint64_t m_suppressed = 0;
  std::uint64_t m_kept_bytes = 0;
  std::uint64_t m_name_bytes = 0;
  std::set<std::string> m_tops;
  std::string m_first_top;
  std::set<std::string> m_dirs;
  std::set<std::string> m_files;
  std::map<std::string, std::string> m_contents;
};

} // namespace

std::vector<std::string> check_installer_structure(const std::filesystem::path& tarball) {
  try {
    Decompressor input(tarball);
    return StructureCheck(input).run();
  } catch (const Error& e) {
    return {e.what()};
  }
}

} // namespace distbuild::builder
