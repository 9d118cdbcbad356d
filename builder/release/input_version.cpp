// See input_version.hpp. The rustc run is bounded: its output is read to the end and the
// process waited for; rustc -vV neither reads stdin (given /dev/null) nor runs long.
#include "builder/release/input_version.hpp"

#include "cross/elf_check.hpp"
#include "signing/child_process.hpp"

#include <algorithm>
#include <fstream>
#include <regex>
#include <string_view>

extern char** environ;

namespace distbuild::builder {

namespace fs = std::filesystem;

namespace {

// stdout of `program args...` with LD_LIBRARY_PATH=lib_dir; nullopt when it cannot run or exits
// non-zero.
std::optional<std::string> run_for_output(const fs::path& program,
                                          const std::vector<std::string>& args,
                                          const fs::path& lib_dir) {
  std::vector<std::string> env;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    if (!std::string_view(*entry).starts_with("LD_LIBRARY_PATH=")) {
      env.emplace_back(*entry);
    }
  }
  env.push_back("LD_LIBRARY_PATH=" + lib_dir.string());
  signing::ChildOutput run = signing::run_quietly(program, args, env);
  if (!run.ran || run.exit_code != 0) {
    return std::nullopt;
  }
  return std::move(run.out);
}

std::string head_of(const fs::path& file, std::size_t bytes) {
  std::ifstream in(file, std::ios::binary);
  std::string text(bytes, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

bool shares_rust_version(const std::string& package) {
  return package == "rustc" || package == "rust-std" || package == "rust-src" ||
         package == "rust-docs" || package == "rustc-dev";
}

} // namespace

std::string InputVersion::commit_date() const {
  static const std::regex k_date(R"(\([0-9a-f]+ (\d{4}-\d{2}-\d{2})\))");
  std::smatch match;
  return std::regex_search(text, match, k_date) ? match[1].str() : "";
}

std::optional<std::string> version_after_rustc(const std::string& text) {
  static const std::regex k_version(
      R"(rustc (\d+\.\d+\.\d+(-[a-z]+(\.\d+)?)?( \([0-9a-f]+ \d{4}-\d{2}-\d{2}\))?))");
  std::smatch match;
  if (!std::regex_search(text, match, k_version)) {
    return std::nullopt;
  }
  return match[1].str();
}

std::optional<InputVersion> find_input_version(const std::vector<ComponentSource>& sources) {
  for (const auto& source : sources) {
    if (source.version && shares_rust_version(source.package)) {
      return InputVersion{*source.version, source.package + "'s version file in " + source.origin};
    }
  }
  for (const auto& source : sources) {
    if (source.package != "rustc" || !source.image_dir) {
      continue;
    }
    const fs::path rustc = *source.image_dir / "bin" / "rustc";
    std::error_code ec;
    if (!fs::is_regular_file(rustc, ec) || !cross::runs_on_this_machine(rustc)) {
      continue;
    }
    if (auto out = run_for_output(rustc, {"-vV"}, *source.image_dir / "lib")) {
      if (auto text = version_after_rustc(*out)) {
        return InputVersion{*text, "`rustc -vV` of " + source.origin};
      }
    }
  }
  for (const auto& source : sources) {
    if (source.package != "rust-std" || !source.image_dir) {
      continue;
    }
    const fs::path lib = *source.image_dir / "lib/rustlib" / source.target / "lib";
    std::error_code ec;
    std::vector<fs::path> rlibs;
    for (const auto& entry : fs::directory_iterator(lib, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.starts_with("libcore-") && name.ends_with(".rlib")) {
        rlibs.push_back(entry.path());
      }
    }
    std::sort(rlibs.begin(), rlibs.end());
    for (const auto& rlib : rlibs) {
      if (auto text = version_after_rustc(head_of(rlib, 64 * 1024))) {
        return InputVersion{*text, "the metadata of " + source.origin + "'s " +
                                       rlib.filename().string()};
      }
    }
  }
  return std::nullopt;
}

} // namespace distbuild::builder
