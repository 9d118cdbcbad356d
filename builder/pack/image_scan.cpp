// Image scanning and validation; see image_scan.hpp.
#include "builder/pack/image_scan.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <cerrno>
#include <cstring>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

struct DirCloser {
  void operator()(DIR* dir) const { ::closedir(dir); }
};

constexpr const char* k_rustup_dir = "lib/rustlib";

bool is_rustup_bookkeeping(const std::string& parent, const std::string& name) {
  if (parent != k_rustup_dir) {
    return false;
  }
  return name == "components" || name == "rust-installer-version" ||
         name.rfind("manifest-", 0) == 0 || name.rfind("multirust-", 0) == 0;
}

std::string type_problem(mode_t mode) {
  if (S_ISFIFO(mode)) {
    return "is a fifo; only regular files and directories can be packed";
  }
  if (S_ISSOCK(mode)) {
    return "is a socket; only regular files and directories can be packed";
  }
  if (S_ISCHR(mode) || S_ISBLK(mode)) {
    return "is a device; only regular files and directories can be packed";
  }
  return "is not a regular file or directory";
}

class Scanner {
public:
  Scanner(const fs::path& root, const ScanOptions& options, std::vector<std::string>& problems)
      : m_root(root), m_options(options), m_problems(problems) {
    std::error_code ec;
    m_canonical_root = fs::canonical(root, ec);
  }

  void scan_dir(const std::string& rel, ImageScan& scan) {
    fs::path dir = rel.empty() ? m_root : m_root / rel;
    std::vector<std::string> names;
    const std::unique_ptr<DIR, DirCloser> handle(::opendir(dir.c_str()));
    if (handle == nullptr) {
      problem(rel, std::string("cannot read directory: ") + std::strerror(errno));
      return;
    }
    errno = 0;
    while (dirent* entry = ::readdir(handle.get())) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") {
        names.push_back(name);
      }
    }
    // Directory read order differs between file systems; nothing downstream may see it.
    std::sort(names.begin(), names.end());
    for (const std::string& name : names) {
      scan_entry(rel, name, scan);
    }
  }

private:
  void problem(const std::string& rel, const std::string& what) {
    fs::path full = rel.empty() ? m_root : m_root / rel;
    m_problems.push_back(display_path(full.string()) + ": " + what);
  }

  bool check_name(const std::string& rel, const std::string& name) {
    if (name.find('\n') != std::string::npos) {
      problem(rel, "file name contains a newline");
      return false;
    }
    if (name.find('\\') != std::string::npos) {
      problem(rel, "file name contains a backslash");
      return false;
    }
    if (!is_valid_utf8(name)) {
      problem(rel, "file name is not valid UTF-8");
      return false;
    }
    return true;
  }

  // access(), not open(): one call instead of two per file (rust-docs has 52,000), and a file
  // that cannot be read is still reported before anything is written.
  bool check_readable(const std::string& rel, const fs::path& path) {
    if (::access(path.c_str(), R_OK) != 0) {
      problem(rel, std::string("cannot read: ") + std::strerror(errno));
      return false;
    }
    return true;
  }

  void add_file(const std::string& rel, const fs::path& path, const struct stat& st,
                ImageScan& scan) {
    if (check_readable(rel, path)) {
      scan.files.push_back(ImageFile{rel, path, static_cast<std::uint64_t>(st.st_size),
                                     (st.st_mode & S_IXUSR) != 0});
    }
  }

  void scan_symlink(const std::string& rel, const fs::path& path, ImageScan& scan) {
    std::error_code ec;
    fs::path target_text = fs::read_symlink(path, ec);
    fs::path resolved = fs::canonical(path, ec);
    if (ec) {
      problem(rel, "symlink target does not exist (" + display_path(target_text.string()) + ")");
      return;
    }
    auto [root_end, unused] =
        std::mismatch(m_canonical_root.begin(), m_canonical_root.end(), resolved.begin(),
                      resolved.end());
    if (m_canonical_root.empty() || root_end != m_canonical_root.end()) {
      problem(rel, "symlink points outside the image (" + display_path(target_text.string()) + ")");
      return;
    }
    if (!m_options.dereference) {
      problem(rel, "is a symlink (pass --dereference to store the file it points to)");
      return;
    }
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
      problem(rel, "symlink does not point to a regular file and cannot be dereferenced");
      return;
    }
    add_file(rel, path, st, scan);
    scan.dereferenced.push_back(rel);
  }

  void scan_entry(const std::string& parent, const std::string& name, ImageScan& scan) {
    std::string rel = parent.empty() ? name : parent + "/" + name;
    if (!check_name(rel, name)) {
      return;
    }
    if (m_options.reserve_rustup_names && is_rustup_bookkeeping(parent, name)) {
      problem(rel, "reserved name: rustup keeps its own bookkeeping in lib/rustlib/");
      return;
    }
    fs::path path = m_root / rel;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
      problem(rel, std::string("cannot stat: ") + std::strerror(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) {
      scan.dirs.push_back(rel);
      scan_dir(rel, scan);
    } else if (S_ISREG(st.st_mode)) {
      add_file(rel, path, st, scan);
    } else if (S_ISLNK(st.st_mode)) {
      scan_symlink(rel, path, scan);
    } else {
      problem(rel, type_problem(st.st_mode));
    }
  }

  fs::path m_root;
  fs::path m_canonical_root;
  const ScanOptions& m_options;
  std::vector<std::string>& m_problems;
};

} // namespace

bool is_valid_utf8(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t code = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      code = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      code = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) {
      return false;
    }
    for (std::size_t k = 1; k <= extra; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) {
        return false;
      }
      code = (code << 6) | (next & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    static constexpr std::uint32_t k_min_for_length[] = {0, 0x80, 0x800, 0x10000};
    if (code < k_min_for_length[extra] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::string display_path(const std::string& path) {
  std::string out;
  bool utf8 = is_valid_utf8(path);
  for (char ch : path) {
    auto c = static_cast<unsigned char>(ch);
    if (ch == '\n') {
      out += "\\n";
    } else if (c < 0x20 || c == 0x7F || (!utf8 && c >= 0x80)) {
      static constexpr char k_hex[] = "0123456789abcdef";
      out += "\\x";
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    } else {
      out += ch;
    }
  }
  return out;
}

std::string join_problems(const std::vector<std::string>& problems) {
  std::string message;
  for (std::size_t i = 0; i < problems.size(); ++i) {
    if (i > 0) {
      message += "\ndistbuild: error: ";
    }
    message += problems[i];
  }
  return message;
}

ImageScan scan_image(const fs::path& root, const ScanOptions& options,
                     std::vector<std::string>& problems) {
  ImageScan scan;
  struct stat st {};
  if (::stat(root.c_str(), &st) != 0) {
    problems.push_back(display_path(root.string()) + ": " + options.what +
                       (errno == ENOENT ? " does not exist" : std::string(": ") + std::strerror(errno)));
    return scan;
  }
  if (!S_ISDIR(st.st_mode)) {
    problems.push_back(display_path(root.string()) + ": " + options.what + " is not a directory");
    return scan;
  }
  std::size_t before = problems.size();
  Scanner scanner(root, options, problems);
  scanner.scan_dir("", scan);
  if (options.require_files && scan.files.empty() && problems.size() == before) {
    problems.push_back(display_path(root.string()) + ": " + options.what + " contains no files");
  }
  return scan;
}

} // namespace distbuild::builder
