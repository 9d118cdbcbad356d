// The format table (artifact_format.hpp).
#include "manifest/artifact_format.hpp"

#include "manifest/built_component.hpp"


namespace distbuild::manifest {

namespace {

using namespace std::string_view_literals;

// A C array, so that a new row is all a new format changes here.
const FormatInfo k_formats[] = {
    {Format::Gz, "gz", "tar.gz", "\x1f\x8b"sv, "application/gzip", "gzip member", "url", "hash",
     {1, 6, 9}, &TargetEntry::gz, &BuiltComponent::gz},
    {Format::Xz, "xz", "tar.xz", "\xfd" "7zXZ\0"sv, "application/x-xz", "xz stream", "xz_url",
     "xz_hash", {1, 6, 9}, &TargetEntry::xz, &BuiltComponent::xz},
    {Format::Zst, "zst", "tar.zst", "\x28\xb5\x2f\xfd"sv, "application/zstd", "zstd frame",
     "zst_url", "zst_hash", {3, 12, 19}, &TargetEntry::zst, &BuiltComponent::zst},
};

} // namespace

std::span<const FormatInfo> artifact_formats() { return k_formats; }

const FormatInfo& format_info(Format format) {
  for (const auto& info : k_formats) {
    if (info.format == format) {
      return info;
    }
  }
  return k_formats[0];  // unreachable: every enumerator has a row
}

std::optional<Format> parse_format(std::string_view name) {
  for (const auto& info : k_formats) {
    if (info.name == name) {
      return info.format;
    }
  }
  return std::nullopt;
}

std::string_view format_name(Format format) { return format_info(format).name; }

std::string_view format_extension(Format format) { return format_info(format).extension; }

std::optional<Format> format_of_file(std::string_view file_name) {
  for (const auto& info : k_formats) {
    if (file_name.size() > info.extension.size() + 1 &&
        file_name.ends_with(info.extension) &&
        file_name[file_name.size() - info.extension.size() - 1] == '.') {
      return info.format;
    }
  }
  return std::nullopt;
}

bool is_available(const TargetEntry& entry) {
  if (!entry.available) {
    return false;
  }
  for (const auto& info : k_formats) {
    if (info.entry_ref == nullptr) {
      continue;
    }
    const auto& ref = entry.*info.entry_ref;
    if (ref && !ref->url.empty() && !ref->hash.empty()) {
      return true;
    }
  }
  return false;
}

} // namespace distbuild::manifest
