// Helpers shared by cmd_pack.cpp and cmd_installer_compat.cpp; see pack_report.hpp.
#include "builder/cli/pack_report.hpp"

#include "builder/tree/error.hpp"

#include <nlohmann/json.hpp>

#include <charconv>
#include <cstdlib>
#include <iostream>

namespace distbuild::cli {

namespace {

template <typename T>
bool parse_whole(const std::string& text, T& value) {
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  return ec == std::errc() && ptr == end && !text.empty();
}

} // namespace

std::int64_t resolve_mtime(const std::string& flag_value, const std::string& flag_name) {
  std::int64_t value = 0;
  if (!flag_value.empty()) {
    if (!parse_whole(flag_value, value) || value < 0) {
      throw builder::Error(flag_name, "not a whole number of seconds: '" + flag_value + "'");
    }
    return value;
  }
  const char* epoch = std::getenv("SOURCE_DATE_EPOCH");
  if (epoch != nullptr && *epoch != '\0') {
    if (!parse_whole(std::string(epoch), value) || value < 0) {
      throw builder::Error(std::string("SOURCE_DATE_EPOCH"),
                           "not a whole number of seconds: '" + std::string(epoch) + "'");
    }
    return value;
  }
  return builder::k_default_mtime;
}

unsigned parse_threads(const std::string& value, const std::string& flag_name) {
  unsigned threads = 0;
  if (!value.empty() && !parse_whole(value, threads)) {
    throw builder::Error(flag_name, "not a thread count: '" + value + "'");
  }
  return threads;
}

void print_pack_result(const builder::PackResult& result, const std::string& package,
                       const Context& ctx) {
  if (ctx.json) {
    nlohmann::json doc;
    doc["package"] = package;
    doc["tar_bytes"] = result.tar_bytes;
    doc["files"] = nlohmann::json::array();
    for (const builder::PackedFile& file : result.files) {
      doc["files"].push_back({{"format", std::string(builder::format_name(file.format))},
                              {"path", file.path.string()},
                              {"size", file.size},
                              {"sha256", file.sha256}});
    }
    doc["dereferenced"] = result.dereferenced;
    std::cout << doc.dump(2) << "\n";
    return;
  }
  if (ctx.quiet) {
    return;
  }
  for (const std::string& rel : result.dereferenced) {
    std::cout << "dereferenced " << rel << "\n";
  }
  for (const builder::PackedFile& file : result.files) {
    std::cout << file.path.string() << "  " << file.size << "  " << file.sha256 << "\n";
  }
}

} // namespace distbuild::cli
