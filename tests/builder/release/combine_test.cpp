#include "builder/release/combine.hpp"

#include "builder/tree/error.hpp"
#include "builder/inspect/installer_reader.hpp"
#include "tests/builder/pack/pack_test_helpers.hpp"

#include <gtest/gtest.h>

namespace distbuild::builder {
namespace {

namespace fs = std::filesystem;

using testutil::TempDir;

fs::path pack_one(const fs::path& tmp, const std::string& component,
                  const std::map<std::string, std::string>& files, Format format,
                  std::map<std::string, std::string> overlay = {}) {
  testutil::make_image(tmp / ("img-" + component), files);
  PackRequest request;
  request.package_name = component + "-1.0.0-x86_64-unknown-linux-gnu";
  request.components = {ComponentImage{component, tmp / ("img-" + component), {}}};
  request.output_dir = tmp / "parts";
  request.formats = {format};
  request.profile = Profile::Fast;
  request.overlay_files = std::move(overlay);
  return pack(request).files[0].path;
}

TEST(Combine, RustcFirstThenStdThenTheRest) {
  TempDir tmp;
  fs::path cargo = pack_one(tmp.path(), "cargo", {{"bin/cargo*", "c"}}, Format::Gz);
  fs::path std_ = pack_one(tmp.path(), "rust-std-x86_64-unknown-linux-gnu",
                           {{"lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib", "s"}}, Format::Xz);
  fs::path rustc = pack_one(tmp.path(), "rustc", {{"bin/rustc*", "r"}}, Format::Zst,
                            {{"version", "1.0.0 (abc 2026-01-01)\n"}});
  CombineRequest request;
  request.package_name = "rust-1.0.0-x86_64-unknown-linux-gnu";
  request.input_tarballs = {cargo, std_, rustc};
  request.output_dir = tmp / "out";
  request.formats = {Format::Gz};
  request.profile = Profile::Fast;
  PackResult result = combine(request);
  InstallerInfo info = read_installer(result.files[0].path);
  EXPECT_EQ(info.components, (std::vector<std::string>{"rustc", "rust-std-x86_64-unknown-linux-gnu", "cargo"}));
  EXPECT_EQ(info.manifest_in["cargo"], std::vector<std::string>{"file:bin/cargo"});
  EXPECT_EQ(info.version, "1.0.0 (abc 2026-01-01)");
  EXPECT_EQ(check_installer_structure(result.files[0].path), std::vector<std::string>{});
  EXPECT_EQ(testutil::tarball_member(result.files[0].path,
                                     "rust-1.0.0-x86_64-unknown-linux-gnu/rustc/bin/rustc"),
            "r");
}

TEST(Combine, RejectsDuplicateComponentsAndBadInputs) {
  TempDir tmp;
  fs::path cargo = pack_one(tmp.path(), "cargo", {{"bin/cargo*", "c"}}, Format::Gz);
  testutil::write_file(tmp / "junk.tar.gz", "junk");
  CombineRequest request;
  request.package_name = "rust-1.0.0-x";
  request.input_tarballs = {cargo, cargo, tmp / "junk.tar.gz"};
  request.output_dir = tmp / "out";
  try {
    combine(request);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              cargo.string() + ": component 'cargo' is already in another input\n"
              "distbuild: error: " + (tmp / "junk.tar.gz").string() + ": not a gzip, xz or zstd file");
  }
  EXPECT_FALSE(fs::exists(tmp / "out"));
}

} // namespace
} // namespace distbuild::builder
