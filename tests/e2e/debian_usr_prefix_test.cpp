// Debian's own Rust 1.63 packages, unpacked exactly as dpkg would (debian_rust_fixture.hpp
// unpack_as_debian: a /usr prefix one level down, rustc's libraries in usr/lib/<multiarch>/
// beside libLLVM, libgit2 and the TLS stack, links to system LLVM tools that dangle here), given
// to the porter's command as they are, with no --version:
//   - amd64: the real rustup installs the tree, rustc and cargo run, and every library they
//     load beyond the base system is in the toolchain (packed from the prefix);
//   - arm64: rustup adds the aarch64 std, cargo cross-builds a program with aarch64-linux-gnu-gcc
//     and qemu-aarch64 runs it; the aarch64 host toolchain installs (--force-non-host) and its
//     rustc and cargo run under qemu-aarch64;
//   - a custom triple's std with its target.json: `rustup target add` installs both, and rustc
//     finds the spec in its sysroot (--print target-spec-json);
//   - a library the prefix lacks is refused before packing, naming the binary and the library.
#include "tests/e2e/debian_rust_fixture.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <map>

namespace distbuild::testutil {
namespace {

const std::string k_date = "2023-01-14";
const std::string k_custom = "x86_64-custom-linux-gnu";
const std::string k_greeting = "Hello from arm64, built by Debian's rustc 1.63!";
constexpr const char* k_arm64_sysroot = "/usr/aarch64-linux-gnu";

#define REQUIRE_DEBIAN_RUST()                                                                \
  DISTBUILD_REQUIRE(DebianRust::get().ok(), DebianRust::get().problem())

// The x86_64 target spec as Debian's rustc prints it, renamed: the spec of a custom target
// whose objects are x86_64's, so Debian's x86_64 rlibs are a fitting std for it.
std::string custom_spec(const fs::path& amd64_root) {
  auto printed = run_process(
      {"env", "RUSTC_BOOTSTRAP=1",
       "LD_LIBRARY_PATH=" + (amd64_root / "usr/lib/x86_64-linux-gnu").string(),
       (amd64_root / "usr/bin/rustc").string(), "-Z", "unstable-options", "--print",
       "target-spec-json", "--target", k_x86_64_linux});
  EXPECT_EQ(printed.exit_code, 0) << printed.err;
  nlohmann::json spec = nlohmann::json::parse(printed.out);
  spec.erase("is-builtin");
  spec["vendor"] = "custom";
  return spec.dump(2);
}

void write_hello_project(const fs::path& dir) {
  write_file(dir / "Cargo.toml",
             "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
  write_file(dir / "src/main.rs", "fn main() {\n    println!(\"" + k_greeting + "\");\n}\n");
}

TEST(DebianUsrPrefix, PackagesAsExtractedInstallAndRunOnAmd64AndUnderQemuOnArm64) {
  REQUIRE_DEBIAN_RUST();
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(find_tool("aarch64-linux-gnu-gcc").has_value(),
                    "aarch64-linux-gnu-gcc (gcc-aarch64-linux-gnu, libc6-dev-arm64-cross)");
  DISTBUILD_REQUIRE(find_tool("qemu-aarch64").has_value(), "qemu-aarch64 (qemu-user)");
  const DebianRust& debian = DebianRust::get();
  TempDir dir;
  debian.unpack_as_debian(dir / "amd64", DebianArch::Amd64);
  debian.unpack_as_debian(dir / "arm64", DebianArch::Arm64);
  ASSERT_TRUE(fs::is_symlink(dir / "amd64/usr/bin/rust-clang")) << "Debian's dangling link";
  // A custom target: Debian's x86_64 std under another name, with its spec.
  const fs::path custom_lib = dir / "custom/lib/rustlib" / k_custom / "lib";
  fs::create_directories(custom_lib);
  const fs::path amd64_std = dir / "amd64/usr/lib/rustlib" / k_x86_64_linux / "lib";
  for (const auto& entry : fs::directory_iterator(amd64_std)) {
    if (entry.path().extension() == ".rlib") {
      fs::create_hard_link(entry.path(), custom_lib / entry.path().filename());
    }
  }
  const std::string spec = custom_spec(dir / "amd64");
  write_file(dir / "custom/lib/rustlib" / k_custom / "target.json", spec);

  auto built = run_distbuild({"--from", (dir / "amd64").string(), "--from",
                              (dir / "arm64").string(), "--from", (dir / "custom").string(),
                              "--date", k_date, "--out", (dir / "tree").string(), "--profile",
                              "fast", "--formats", "gz"});
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(built.out.find("release: stable 1.63.0 (" + k_date + ")"), std::string::npos)
      << built.out;
  EXPECT_NE(built.out.find("note: --version 1.63.0: from `rustc -vV` of " +
                           (dir / "amd64").string()),
            std::string::npos)
      << built.out;
  EXPECT_NE(built.err.find("warning: " + (dir / "amd64/usr/bin/rust-clang").string() +
                           ": left out, a symlink to clang-14 that does not resolve"),
            std::string::npos)
      << built.err;
  EXPECT_NE(built.err.find((dir / "amd64").string() + ": the toolchain is one level down, in " +
                           (dir / "amd64/usr").string()),
            std::string::npos)
      << built.err;
  // The custom std carries its spec; the host's rustc does not.
  const std::string text = read_file(dir / "tree/dist/channel-rust-stable.toml");
  const toml::table manifest = toml::parse(text);
  for (const std::string& target : {std::string(k_x86_64_linux), std::string(k_aarch64_linux), k_custom}) {
    EXPECT_TRUE(manifest["pkg"]["rust-std"]["target"][target]["available"].value_or(false)) << target;
  }
  for (const std::string& host : {std::string(k_x86_64_linux), std::string(k_aarch64_linux)}) {
    EXPECT_TRUE(manifest["pkg"]["rustc"]["target"][host]["available"].value_or(false)) << host;
    EXPECT_TRUE(manifest["pkg"]["cargo"]["target"][host]["available"].value_or(false)) << host;
  }

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string server = "file://" + (dir / "tree").string();
  auto install = home.rustup(
      {"toolchain", "install", "1.63.0", "--profile", "minimal", "--no-self-update"}, server);
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const fs::path toolchain = home.rustup_home() / "toolchains" / ("1.63.0-" + std::string(k_x86_64_linux));
  // rustc's and cargo's libraries came from the prefix's usr/lib/x86_64-linux-gnu (and lib/).
  for (const char* library : {"librustc_driver-4c3beb7552356b6f.so", "libLLVM-14.so.1",
                              "libgit2.so.1.5", "libssh2.so.1", "libcurl-gnutls.so.4",
                              "libtinfo.so.6"}) {
    EXPECT_TRUE(fs::is_regular_file(toolchain / "lib" / library)) << library;
  }
  EXPECT_FALSE(fs::exists(toolchain / "lib/libc.so.6")) << "base system libraries stay the system's";
  EXPECT_FALSE(fs::exists(toolchain / "lib/rustlib" / k_x86_64_linux / "target.json"));
  auto version = home.rustup({"run", "1.63.0", "rustc", "--version"});
  EXPECT_EQ(version.out, "rustc 1.63.0\n") << version.err;
  auto cargo_version = home.rustup({"run", "1.63.0", "cargo", "--version"});
  EXPECT_EQ(cargo_version.exit_code, 0) << cargo_version.err;
  EXPECT_TRUE(cargo_version.out.starts_with("cargo 1.65.0")) << cargo_version.out;

  // arm64: the std added and a program cross-built, run under qemu.
  auto add = home.rustup({"target", "add", "--toolchain", "1.63.0", k_aarch64_linux}, server);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  TempDir project;
  write_hello_project(project.path());
  const std::map<std::string, std::string> env{
      {"RUSTUP_TOOLCHAIN", "1.63.0"},
      {"CARGO_NET_OFFLINE", "true"},
      {"CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER", "aarch64-linux-gnu-gcc"}};
  auto cross = home.run({"cargo", "build", "--target", k_aarch64_linux}, env, project.path());
  ASSERT_EQ(cross.exit_code, 0) << cross.err;
  const fs::path program = project / "target" / k_aarch64_linux / "debug/hello";
  auto ran = run_process({"qemu-aarch64", "-L", k_arm64_sysroot, program.string()});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, k_greeting + "\n");

  // The custom target: its std and spec installed, and rustc reads the spec from its sysroot.
  auto add_custom = home.rustup({"target", "add", "--toolchain", "1.63.0", k_custom}, server);
  ASSERT_EQ(add_custom.exit_code, 0) << add_custom.err;
  EXPECT_EQ(read_file(toolchain / "lib/rustlib" / k_custom / "target.json"), spec);
  auto printed = home.run({"rustc", "-Z", "unstable-options", "--print", "target-spec-json",
                           "--target", k_custom},
                          {{"RUSTUP_TOOLCHAIN", "1.63.0"}, {"RUSTC_BOOTSTRAP", "1"}});
  ASSERT_EQ(printed.exit_code, 0) << printed.err;
  const auto printed_spec = nlohmann::json::parse(printed.out);
  EXPECT_EQ(printed_spec["vendor"], "custom") << printed.out;
  EXPECT_EQ(printed_spec["arch"], "x86_64") << printed.out;

  // The arm64 host toolchain itself, as a Pi 4 user would install it, run under qemu with the
  // toolchain's lib/ on the library path as rustup's proxies set it (libz from Debian's arm64
  // zlib1g: the cross sysroot has only libc, libgcc_s and libstdc++).
  const std::string arm64_toolchain = std::string("1.63.0-") + k_aarch64_linux;
  auto install_arm64 = home.rustup({"toolchain", "install", arm64_toolchain, "--profile",
                                    "minimal", "--force-non-host", "--no-self-update"},
                                   server);
  ASSERT_EQ(install_arm64.exit_code, 0) << install_arm64.err;
  const fs::path arm64_dir = home.rustup_home() / "toolchains" / arm64_toolchain;
  const std::string library_path =
      (arm64_dir / "lib").string() + ":" +
      (debian.package_dir("zlib1g", DebianArch::Arm64) / "lib/aarch64-linux-gnu").string();
  auto arm64_rustc = run_process({"qemu-aarch64", "-L", k_arm64_sysroot, "-E",
                                  "LD_LIBRARY_PATH=" + library_path,
                                  (arm64_dir / "bin/rustc").string(), "--version"});
  EXPECT_EQ(arm64_rustc.exit_code, 0) << arm64_rustc.err;
  EXPECT_EQ(arm64_rustc.out, "rustc 1.63.0\n");
  auto arm64_cargo = run_process({"qemu-aarch64", "-L", k_arm64_sysroot, "-E",
                                  "LD_LIBRARY_PATH=" + library_path,
                                  (arm64_dir / "bin/cargo").string(), "--version"});
  EXPECT_EQ(arm64_cargo.exit_code, 0) << arm64_cargo.err;
  EXPECT_TRUE(arm64_cargo.out.starts_with("cargo 1.65.0")) << arm64_cargo.out;
}

TEST(DebianUsrPrefix, LibraryThePrefixLacksIsRefusedNamingBinaryAndLibrary) {
  REQUIRE_DEBIAN_RUST();
  const DebianRust& debian = DebianRust::get();
  TempDir dir;
  debian.unpack_as_debian(dir / "amd64", DebianArch::Amd64);
  // As if libssh2-1 had not been unpacked.
  for (const auto& entry : fs::directory_iterator(dir / "amd64/usr/lib/x86_64-linux-gnu")) {
    if (entry.path().filename().string().starts_with("libssh2.so")) {
      fs::remove(entry.path());
    }
  }
  auto refused = run_distbuild({"--from", (dir / "amd64").string(), "--out",
                                (dir / "tree").string(), "--profile", "fast", "--formats",
                                "gz"});
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "tree"));
  EXPECT_NE(refused.err.find((dir / "amd64").string() + ": cargo for " + k_x86_64_linux +
                             ": bin/cargo needs libssh2.so.1, which is neither in the toolchain"),
            std::string::npos)
      << refused.err;
  // libgit2 needs it too, and is named with where it came from.
  EXPECT_NE(refused.err.find("lib/libgit2.so.1.5 (from "), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find(") needs libssh2.so.1"), std::string::npos) << refused.err;
}

} // namespace
} // namespace distbuild::testutil
