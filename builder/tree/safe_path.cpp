// The rule of safe_path.hpp, in one place.
#include "builder/tree/safe_path.hpp"

#include "builder/tree/error.hpp"

#include <sys/stat.h>

#include <cerrno>

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

bool is_bad_character(char c, const PathRules& rules) {
  auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7f || c == '\\') {
    return true;
  }
  return rules.from_url && (c == '%' || c == '?' || c == '#');
}

} // namespace

std::string CheckedPath::normal() const {
  std::string out;
  for (const auto& segment : segments) {
    out += (out.empty() ? "" : "/") + segment;
  }
  return out;
}

CheckedPath check_outside_path(std::string_view text, const PathRules& rules) {
  CheckedPath result;
  if (!text.empty() && text.front() == '/') {
    result.fault = PathFault::Absolute;
    return result;
  }
  bool hidden = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('/', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    std::string_view segment = text.substr(start, end - start);
    start = end + 1;
    for (char c : segment) {
      if (is_bad_character(c, rules)) {
        result.fault = PathFault::BadCharacter;
        return result;
      }
    }
    if (segment.empty() || segment == ".") {
      continue;
    }
    if (segment == "..") {
      result.fault = PathFault::ParentStep;
      return result;
    }
    hidden = hidden || segment.front() == '.';
    result.segments.emplace_back(segment);
  }
  if (result.segments.empty()) {
    result.fault = PathFault::Empty;
  } else if (hidden && !rules.allow_hidden) {
    result.fault = PathFault::Hidden;
  } else if (rules.single_name && result.segments.size() != 1) {
    result.fault = PathFault::NotAName;
  }
  return result;
}

std::string fault_text(PathFault fault) {
  switch (fault) {
    case PathFault::None: return "is fine";
    case PathFault::Empty: return "is empty";
    case PathFault::Absolute: return "is absolute: it would replace the tree's root";
    case PathFault::ParentStep: return "climbs out of the tree with '..'";
    case PathFault::BadCharacter:
      return "holds a control character, '\\', or (in a URL) '%', '?' or '#'";
    case PathFault::Hidden: return "names a hidden (dot) file, which only distbuild itself writes";
    case PathFault::NotAName: return "is not a plain file name";
  }
  return "is refused";
}

fs::path path_inside(const fs::path& root, std::string_view text, const std::string& source,
                     std::string_view what, const PathRules& rules) {
  CheckedPath checked = check_outside_path(text, rules);
  if (!checked.ok()) {
    throw Error(source, std::string(what) + " '" + std::string(text) + "' " +
                            fault_text(checked.fault));
  }
  fs::path path = root;
  for (const auto& segment : checked.segments) {
    path /= segment;
  }
  return path;
}

std::optional<std::string> url_tail(std::string_view url, std::string_view base) {
  if (url.size() <= base.size() || url.substr(0, base.size()) != base ||
      url[base.size()] != '/') {
    return std::nullopt;
  }
  return std::string(url.substr(base.size() + 1));
}

void create_directories_inside(const fs::path& root, const fs::path& rel_dir) {
  fs::path dir = root;
  for (const auto& part : rel_dir) {
    dir /= part;
    struct stat info {};
    if (::lstat(dir.c_str(), &info) == 0) {
      if (S_ISLNK(info.st_mode)) {
        throw Error(dir, "is a symlink; distbuild does not write through links inside a tree");
      }
      if (!S_ISDIR(info.st_mode)) {
        throw Error(dir, "is not a directory");
      }
      continue;
    }
    if (errno != ENOENT) {
      throw Error(dir, errno_text("cannot inspect"));
    }
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
      throw Error(dir, errno_text("cannot create directory"));
    }
  }
}

} // namespace distbuild::builder
