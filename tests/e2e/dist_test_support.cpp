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

// An installed toolchain as rustup leaves one: component lists and the stored manifest, whose
// date is the release's. Its rustc is a script, so rustup installs it in a second.
void make_fake_toolchain(const fs::path& dir, const std::string& date) {
  const std::string host = "x86_64-unknown-linux-gnu";
  const std::string text = "1.94.0 (0123456789 2026-03-01)";
  write_file(dir / "bin/rustc", "#!/bin/sh\necho 'rustc " + text + "'\n", true);
  write_file(dir / "lib/rustlib" / host / "lib/libstd-fake.rlib", "fake\n");
  write_file(dir / "lib/rustlib/components",
             "rustc-" + host + "\nrust-std-" + host + "\n");
  write_file(dir / ("lib/rustlib/manifest-rustc-" + host), "file:bin/rustc\n");
  write_file(dir / ("lib/rustlib/manifest-rust-std-" + host),
             "file:lib/rustlib/" + host + "/lib/libstd-fake.rlib\n");
  write_file(dir / "lib/rustlib/multirust-channel-manifest.toml",
             "manifest-version = \"2\"\ndate = \"" + date + "\"\n\n[pkg.rustc]\nversion = \"" +
                 text + "\"\n[pkg.rustc.target." + host + "]\navailable = false\n\n" +
                 "[pkg.rust-std]\nversion = \"" + text + "\"\n[pkg.rust-std.target." + host +
                 "]\navailable = false\n");
}

} // namespace distbuild::testutil
