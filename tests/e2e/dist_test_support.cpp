#include "tests/e2e/dist_test_support.hpp"

namespace distbuild::testutil {

void make_fake_stage(const fs::path& stage, const std::string& host,
                     const std::string& version_text, const std::vector<std::string>& std_targets) {
  fs::path rustc = stage / "rustc" / host;
  write_file(rustc / "bin/rustc", "#!/bin/sh\necho 'rustc " + version_text + "'\n", true);
  write_file(rustc / "share/doc/rustc/README.md", "fake rustc for tests\n");
  write_file(stage / "rustc" / (host + ".overlay") / "version", version_text + "\n");
  std::vector<std::string> targets{host};
  targets.insert(targets.end(), std_targets.begin(), std_targets.end());
  for (const auto& target : targets) {
    fs::path std_dir = stage / "rust-std" / target;
    write_file(std_dir / "lib/rustlib" / target / "lib/libstd-fake.rlib", "not really an rlib\n");
    write_file(stage / "rust-std" / (target + ".overlay") / "version", version_text + "\n");
  }
  fs::path cargo = stage / "cargo" / host;
  write_file(cargo / "bin/cargo", "#!/bin/sh\necho 'cargo 0.0.1-fake'\n", true);
  write_file(stage / "cargo" / (host + ".overlay") / "version", "0.0.1-fake\n");
}

std::map<std::string, std::string> snapshot_tree(const fs::path& root) {
  std::map<std::string, std::string> files;
  std::error_code ec;
  if (!fs::exists(root, ec)) {
    return files;
  }
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    std::string rel = fs::relative(entry.path(), root).string();
    files[rel] = entry.is_regular_file() ? sha256_file(entry.path()) : "dir";
  }
  return files;
}

} // namespace distbuild::testutil
