// The fixture release of build_manifest_fixture.hpp. Which file exists for which triple is the
// whole point, so the list below reads as the release's contents, gaps commented.
#include "tests/e2e/build_manifest_fixture.hpp"

#include "builder/pack/pack.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

namespace distbuild::testutil {

namespace {

const std::string k_linux = "x86_64-unknown-linux-gnu";
const std::vector<std::string> k_hosts{"aarch64-apple-darwin", "aarch64-unknown-linux-gnu",
                                       "x86_64-pc-windows-gnu", "x86_64-pc-windows-msvc",
                                       k_linux};

void fake(const fs::path& dir, const std::string& name) {
  write_file(dir / name, "fake " + name + "\n");
}

std::string script(const std::string& text) {
  return "#!/bin/sh\necho '" + text + "'\n";
}

} // namespace

FixtureRelease fixture_release(const std::string& channel) {
  if (channel == "stable") {
    return {"stable", "1.95.0", "1.95.0 (a1b2c3d4e 2026-04-14)",
            "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "0.96.0 (f2d3ce0bd 2026-03-21)",
            "0.1.95", "1.9.0", "1.95.0 (a1b2c3d4e 2026-04-14)"};
  }
  if (channel == "beta") {
    return {"beta", "beta", "1.96.0-beta.3 (b2c3d4e5f 2026-05-01)",
            "b2c3d4e5f60718293a4b5c6d7e8f901234567890", "0.97.0 (e1f2a3b4c 2026-04-20)",
            "0.1.96", "1.9.0-beta", "1.96.0-beta.3 (b2c3d4e5f 2026-05-01)"};
  }
  return {"nightly", "nightly", "1.97.0-nightly (c3d4e5f6a 2026-05-19)",
          "c3d4e5f6a718293a4b5c6d7e8f90123456789012", "0.98.0-nightly (4d1f98451 2026-05-15)",
          "0.1.97-nightly", "1.9.0-nightly", "0.1.0-nightly"};
}

void write_fixture_specs(const fs::path& file) {
  nlohmann::json specs = nlohmann::json::object();
  auto spec = [&](const std::string& triple, nlohmann::json metadata) {
    specs[triple] = {{"arch", triple.substr(0, triple.find('-'))}, {"metadata", metadata}};
  };
  for (const std::string& host : k_hosts) {
    spec(host, {{"tier", host == "x86_64-pc-windows-gnu" ? 1 : 2}, {"host_tools", true},
                {"std", true}});
  }
  spec("i686-pc-windows-gnu", {{"tier", 2}, {"host_tools", false}, {"std", true}});
  spec("thumbv7em-none-eabihf", {{"tier", 2}, {"host_tools", false}, {"std", false}});
  spec("wasm32-unknown-unknown", {{"tier", 2}, {"host_tools", nullptr}, {"std", true}});
  spec("x86_64-apple-darwin", {{"tier", 2}, {"host_tools", false}, {"std", true}});
  // Not in upstream's lists: tier 3, and a spec without a tier.
  spec("riscv32imc-esp-espidf", {{"tier", 3}, {"host_tools", false}, {"std", true}});
  spec("x86_64-unknown-custom", {{"description", "no tier"}});
  write_file(file, specs.dump(2));
}

void make_real_installer(const fs::path& dir, const std::string& stem, const std::string& component,
                         const std::map<std::string, std::string>& files,
                         const std::string& version, const std::string& git_hash,
                         const std::vector<std::string>& formats) {
  TempDir image;
  for (const auto& [path, text] : files) {
    write_file(image / path, text, path.starts_with("bin/"));
  }
  builder::PackRequest request;
  request.package_name = stem;
  request.components = {{component, image.path(), {}}};
  request.overlay_files["version"] = version;
  if (!git_hash.empty()) {
    request.overlay_files["git-commit-hash"] = git_hash;
  }
  request.output_dir = dir;
  request.formats.clear();
  for (const std::string& name : formats) {
    request.formats.push_back(*builder::parse_format(name));
  }
  request.profile = builder::Profile::Fast;
  request.threads = 1;
  builder::pack(request);
}

void make_fixture_release(const fs::path& dir, const FixtureRelease& r) {
  fs::create_directories(dir);
  const std::string& v = r.label;
  auto real = [&](const std::string& pkg, const std::string& triple, const std::string& component,
                  const std::map<std::string, std::string>& files, const std::string& version,
                  std::vector<std::string> formats = {"xz"}) {
    std::string stem = pkg + "-" + v + (triple.empty() ? "" : "-" + triple);
    make_real_installer(dir, stem, component, files, version, r.git_hash, formats);
  };
  const std::string rustlib = "lib/rustlib/" + k_linux;

  // The combined tarball: x86_64 linux real (version, git hash) in gz and xz; others fake;
  // aarch64-apple-darwin has none, so rust.target.aarch64-apple-darwin is unavailable.
  real("rust", k_linux, "rustc", {{"bin/rustc", script("rustc " + r.rust_version)}},
       r.rust_version, {"gz", "xz"});
  for (const std::string host : {"aarch64-unknown-linux-gnu", "x86_64-pc-windows-gnu",
                                 "x86_64-pc-windows-msvc"}) {
    fake(dir, "rust-" + v + "-" + host + ".tar.xz");
  }
  // What rustup installs on x86_64 linux: real. The same packages for other hosts: fake.
  real("rustc", k_linux, "rustc", {{"bin/rustc", script("rustc " + r.rust_version)}},
       r.rust_version);
  real("cargo", k_linux, "cargo", {{"bin/cargo", script("cargo " + r.cargo_version)}},
       r.cargo_version);
  real("clippy", k_linux, "clippy-preview",
       {{"bin/cargo-clippy", script("clippy " + r.clippy_version)}}, r.clippy_version);
  real("rustfmt", k_linux, "rustfmt-preview",
       {{"bin/rustfmt", script("rustfmt " + r.rustfmt_version)}}, r.rustfmt_version);
  for (const std::string& target : {k_linux, std::string("wasm32-unknown-unknown")}) {
    real("rust-std", target, "rust-std-" + target,
         {{"lib/rustlib/" + target + "/lib/libstd-fake.rlib", "std for " + target + "\n"}},
         r.rust_version);
  }
  real("rust-docs", k_linux, "rust-docs",
       {{"share/doc/rust/html/index.html", "<p>docs " + r.rust_version + "</p>\n"}},
       r.rust_version);
  real("rust-src", "", "rust-src",
       {{"lib/rustlib/src/rust/library/core/src/lib.rs", "// core\n"}}, r.rust_version);
  for (const std::string& host : k_hosts) {
    if (host == k_linux) continue;
    for (const std::string pkg : {"rustc", "cargo", "clippy", "rustfmt", "rust-std"}) {
      fake(dir, pkg + "-" + v + "-" + host + ".tar.xz");
    }
  }
  // rust-std for the other targets: x86_64-apple-darwin is not built.
  fake(dir, "rust-std-" + v + "-i686-pc-windows-gnu.tar.xz");
  fake(dir, "rust-std-" + v + "-thumbv7em-none-eabihf.tar.xz");
  // Docs on two hosts only: the others take the fallback's (all end at x86_64 linux).
  fake(dir, "rust-docs-" + v + "-x86_64-pc-windows-msvc.tar.xz");
  fake(dir, "rustc-docs-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "rustc-dev-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "rustc-dev-" + v + "-aarch64-unknown-linux-gnu.tar.xz");
  fake(dir, "reproducible-artifacts-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "rust-mingw-" + v + "-x86_64-pc-windows-gnu.tar.xz");
  fake(dir, "rust-analysis-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "rust-analysis-" + v + "-wasm32-unknown-unknown.tar.xz");
  // rust-analyzer only for aarch64 linux: without the x86_64 linux tarball upstream treats the
  // tool as absent everywhere.
  fake(dir, "rust-analyzer-" + v + "-aarch64-unknown-linux-gnu.tar.xz");
  real("llvm-tools", k_linux, "llvm-tools-preview",
       {{rustlib + "/bin/llvm-objcopy", "fake objcopy\n"}}, r.rust_version);
  fake(dir, "llvm-tools-" + v + "-aarch64-apple-darwin.tar.xz");
  fake(dir, "llvm-bitcode-linker-" + v + "-" + k_linux + ".tar.xz");
  // Nightly-only tools, present in every channel's input.
  real("miri", k_linux, "miri-preview", {{"bin/miri", script("miri " + r.tool_version)}},
       r.tool_version);
  fake(dir, "miri-" + v + "-aarch64-unknown-linux-gnu.tar.xz");
  fake(dir, "rust-docs-json-" + v + "-" + k_linux + ".tar.xz");
  real("rustc-codegen-cranelift", k_linux, "rustc-codegen-cranelift-preview",
       {{rustlib + "/codegen-backends/librustc_codegen_cranelift.so", "fake\n"}}, r.tool_version);
  real("rustc-codegen-gcc", k_linux, "rustc-codegen-gcc-preview",
       {{rustlib + "/codegen-backends/librustc_codegen_gcc.so", "fake\n"}}, r.rust_version);
  real("gcc-x86_64-unknown-linux-gnu", k_linux, "gcc-x86_64-unknown-linux-gnu-preview",
       {{rustlib + "/lib/libgccjit.so", "fake\n"}}, r.rust_version);
  // enzyme: 1.97's build-manifest lists it, older ones do not (the file is there regardless).
  fake(dir, "enzyme-" + v + "-" + k_linux + ".tar.xz");
  // Artifacts: the source tarball in both formats, two of the MSIs, one of the two PKGs.
  fake(dir, "rustc-" + v + "-src.tar.gz");
  fake(dir, "rustc-" + v + "-src.tar.xz");
  fake(dir, "rust-" + v + "-x86_64-pc-windows-msvc.msi");
  fake(dir, "rust-" + v + "-x86_64-pc-windows-gnu.msi");
  fake(dir, "rust-" + v + "-aarch64-apple-darwin.pkg");
  // What promote-release also downloads and upstream has no rule for: never in the manifest.
  fake(dir, "rust-dev-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "build-manifest-" + v + "-" + k_linux + ".tar.xz");
  fake(dir, "rustc-" + v + "-" + k_linux + ".tar.zst");
  write_file(dir / "toolstates-linux.json", "{\"miri\": \"test-pass\"}\n");
}

std::string mask_checked_hashes(const std::string& toml, const fs::path& dir) {
  static const std::regex k_url(R"re(^(url|xz_url|zst_url) = "(.*)"$)re");
  static const std::regex k_hash(
      R"re(^(hash|xz_hash|zst_hash|hash-sha256) = "([0-9a-f]{64})"$)re");
  std::istringstream in(toml);
  std::string out, line, url;
  while (std::getline(in, line)) {
    std::smatch match;
    if (std::regex_match(line, match, k_url)) {
      url = match[2].str();
    } else if (std::regex_match(line, match, k_hash)) {
      std::string file = url.substr(url.rfind('/') + 1);
      EXPECT_EQ(match[2].str(), sha256_file(dir / file)) << file;
      line = match[1].str() + " = \"<sha256>\"";
    }
    out += line + "\n";
  }
  return out;
}

} // namespace distbuild::testutil
