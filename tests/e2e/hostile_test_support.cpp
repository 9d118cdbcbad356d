// See hostile_test_support.hpp.
#include "tests/e2e/hostile_test_support.hpp"

#include "builder/tree/dist_tree.hpp"
#include "tests/e2e/dist_test_support.hpp"

#include <gtest/gtest.h>

#include <regex>

namespace distbuild::testutil {

fs::path make_unsigned_tree(const fs::path& dir) {
  make_fake_stage(dir / "stage", k_hostile_host, "1.95.0 (abcdef123 2026-04-14)");
  auto r = run_distbuild({"dist", "--stage", (dir / "stage").string(), "--out",
                          (dir / "tree").string(), "--version", "1.95.0", "--date",
                          k_hostile_date, "--profile", "fast", "--formats", "gz,zst"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return dir / "tree";
}

std::string cargo_tarball(const std::string& format) {
  return "cargo-1.95.0-" + k_hostile_host + ".tar." + format;
}

void edit_manifests(const fs::path& tree, const std::string& from, const std::string& to) {
  std::size_t edited = 0;
  for (const fs::path& dir : {tree / "dist", tree / "dist" / k_hostile_date}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (!name.starts_with("channel-rust-") || !name.ends_with(".toml")) {
        continue;
      }
      std::string text = read_file(entry.path());
      for (std::size_t at = text.find(from); at != std::string::npos;
           at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
        ++edited;
      }
      write_file(entry.path(), text);
    }
  }
  EXPECT_GT(edited, 0u) << "'" << from << "' is in no manifest";
}

void reseal(const fs::path& tree) {
  for (const fs::path& dir : {tree / "dist", tree / "dist" / k_hostile_date}) {
    for (const auto& entry : fs::directory_iterator(dir)) {
      const fs::path& path = entry.path();
      std::string name = path.filename().string();
      if (!entry.is_regular_file() || builder::is_sidecar(path) || name == "SHA256SUMS" ||
          name.starts_with(".")) {
        continue;
      }
      builder::write_sha256_sidecar(path, sha256_file(path));
    }
    builder::write_sha256sums(dir);
  }
}

std::optional<std::uint64_t> peak_rss_kib(const ProcessResult& timed) {
  static const std::regex k_peak(R"(Maximum resident set size \(kbytes\): ([0-9]+))");
  std::smatch match;
  if (!std::regex_search(timed.err, match, k_peak)) {
    return std::nullopt;
  }
  return std::stoull(match[1].str());
}

ProcessResult run_timed_distbuild(const std::vector<std::string>& args,
                                  const std::map<std::string, std::string>& env) {
  std::vector<std::string> argv{"/usr/bin/time", "-v", distbuild_binary()};
  argv.insert(argv.end(), args.begin(), args.end());
  std::map<std::string, std::string> with_env = env;
  with_env.emplace("DISTBUILD_NO_CACHE", "1");
  return run_process(argv, with_env);
}

} // namespace distbuild::testutil
