// The porter's command end to end on real compiled Rust that is not upstream's: Debian
// bookworm's 1.63 for amd64 and armhf, laid out as an install prefix (debian_rust_fixture.hpp).
//   - x86_64 host + armv7 std: the real rustup installs the tree, adds the armv7 target, cargo
//     cross-builds a program with arm-linux-gnueabihf-gcc, and qemu-arm runs it;
//   - the arch check through the binary: x86_64 std offered as armv7 and armv7 std offered as
//     x86_64 are refused naming the files, and --no-arch-check packs them anyway;
//   - a tree whose only host is armv7 (Debian's armhf rustc) is complete and passes verify;
//   - with the armhf runtime libraries packed (every host binary's libraries must be in the
//     tree), rustup installs that armv7 host toolchain (--force-non-host) and its rustc runs
//     under qemu-arm.
// Fast profile; the x86_64 tree is ~450 MB unpacked, so its test takes most of the time.
#include "tests/e2e/debian_rust_fixture.hpp"
#include "tests/testutil/rustup_home.hpp"

#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <cstdint>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace distbuild::testutil {
namespace {

const std::string k_date = "2023-01-14"; // Debian's build date of rustc 1.63.0+dfsg1-2
const std::string k_greeting = "Hello from armv7, built by Debian's rustc 1.63!";
constexpr const char* k_arm_sysroot = "/usr/arm-linux-gnueabihf";

// Skips (developer machine) or fails (CI) without the packages; every test needs them.
#define REQUIRE_DEBIAN_RUST()                                                                \
  DISTBUILD_REQUIRE(DebianRust::get().ok(), DebianRust::get().problem())

std::vector<std::string> porter_args(const fs::path& from, const fs::path& out,
                                     const std::vector<std::string>& targets,
                                     const std::string& formats) {
  std::vector<std::string> args;
  for (const auto& target : targets) {
    args.insert(args.end(), {"--target", target});
  }
  args.insert(args.end(), {"--from", from.string(), "--version", k_debian_rust_version, "--date",
                           k_date, "--out", out.string(), "--profile", "fast", "--formats",
                           formats});
  return args;
}

struct ElfIdent {
  unsigned bits = 0;
  bool little_endian = false;
  std::uint16_t machine = 0;
  std::uint32_t flags = 0;
};

// The ELF header fields read straight from the bytes (ELF32 little-endian layout for flags,
// which is all the armv7 check needs), independent of distbuild's own checker.
ElfIdent elf_ident(const fs::path& file) {
  const std::string bytes = read_file(file);
  ElfIdent ident;
  if (bytes.size() < 52 || bytes.compare(0, 4, "\x7f" "ELF") != 0) {
    return ident;
  }
  auto byte = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[i])); };
  ident.bits = byte(4) == 2 ? 64 : 32;
  ident.little_endian = byte(5) == 1;
  ident.machine = static_cast<std::uint16_t>(byte(18) | byte(19) << 8);
  ident.flags = byte(36) | byte(37) << 8 | byte(38) << 16 | byte(39) << 24;
  return ident;
}

void write_hello_project(const fs::path& dir) {
  // No Cargo.lock: one written by a newer cargo (lockfile v4) breaks cargo 1.65.
  write_file(dir / "Cargo.toml",
             "[package]\nname = \"hello\"\nversion = \"0.1.0\"\nedition = \"2021\"\n");
  write_file(dir / "src/main.rs", "fn main() {\n    println!(\"" + k_greeting + "\");\n}\n");
}

std::string file_named(const fs::path& dir, const std::string& prefix, const std::string& suffix) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with(prefix) && name.ends_with(suffix)) {
      return name;
    }
  }
  return "";
}

TEST(PorterArmv7, DebianRustInstallsWithRustupAndCrossBuildsForArmv7) {
  REQUIRE_DEBIAN_RUST();
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(find_tool("arm-linux-gnueabihf-gcc").has_value(),
                    "arm-linux-gnueabihf-gcc (gcc-arm-linux-gnueabihf, libc6-dev-armhf-cross)");
  DISTBUILD_REQUIRE(find_tool("qemu-arm").has_value(), "qemu-arm (qemu-user)");
  DISTBUILD_REQUIRE(fs::exists("/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1"),
                    "libLLVM-14 (libllvm14), which Debian's rustc 1.63 links");
  TempDir dir;
  const DebianRust& debian = DebianRust::get();
  debian.add_host(dir / "prefix", DebianArch::Amd64, /*with_cargo=*/true);
  debian.add_std(dir / "prefix", k_x86_64_linux, DebianArch::Amd64);
  debian.add_std(dir / "prefix", k_armv7_linux, DebianArch::Armhf);

  auto built = run_distbuild(
      porter_args(dir / "prefix", dir / "tree", {k_x86_64_linux, k_armv7_linux}, "gz,zst"));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  EXPECT_NE(built.out.find("rustup toolchain install 1.63.0"), std::string::npos) << built.out;
  const fs::path dated = dir / "tree/dist" / k_date;
  for (const std::string stem : {"rustc-1.63.0-x86_64-unknown-linux-gnu",
                                 "cargo-1.63.0-x86_64-unknown-linux-gnu",
                                 "rust-std-1.63.0-x86_64-unknown-linux-gnu",
                                 "rust-std-1.63.0-armv7-unknown-linux-gnueabihf"}) {
    EXPECT_TRUE(fs::exists(dated / (stem + ".tar.gz"))) << stem;
    EXPECT_TRUE(fs::exists(dated / (stem + ".tar.zst"))) << stem;
  }

  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string server = "file://" + (dir / "tree").string();
  auto install = home.rustup(
      {"toolchain", "install", "1.63.0", "--profile", "minimal", "--no-self-update"}, server);
  ASSERT_EQ(install.exit_code, 0) << install.err;
  auto add = home.rustup({"target", "add", "--toolchain", "1.63.0", k_armv7_linux}, server);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  auto version = home.rustup({"run", "1.63.0", "rustc", "--version"});
  EXPECT_EQ(version.out, "rustc 1.63.0\n") << version.err;
  auto cargo_version = home.rustup({"run", "1.63.0", "cargo", "--version"});
  EXPECT_EQ(cargo_version.exit_code, 0) << cargo_version.err;
  EXPECT_TRUE(cargo_version.out.starts_with("cargo 1.65.0")) << cargo_version.out;

  TempDir project;
  write_hello_project(project.path());
  const std::map<std::string, std::string> env{
      {"RUSTUP_TOOLCHAIN", "1.63.0"},
      {"CARGO_NET_OFFLINE", "true"},
      {"CARGO_TARGET_ARMV7_UNKNOWN_LINUX_GNUEABIHF_LINKER", "arm-linux-gnueabihf-gcc"}};
  auto cross = home.run({"cargo", "build", "--target", k_armv7_linux}, env, project.path());
  ASSERT_EQ(cross.exit_code, 0) << cross.err;
  const fs::path program = project / "target" / k_armv7_linux / "debug/hello";
  const ElfIdent ident = elf_ident(program);
  EXPECT_EQ(ident.bits, 32u);
  EXPECT_TRUE(ident.little_endian);
  EXPECT_EQ(ident.machine, 40) << "EM_ARM";
  EXPECT_EQ(ident.flags & 0xff000000u, 0x05000000u) << "EABI version 5";
  EXPECT_NE(ident.flags & 0x400u, 0u) << "EF_ARM_ABI_FLOAT_HARD";
  auto ran = run_process({"qemu-arm", "-L", k_arm_sysroot, program.string()});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, k_greeting + "\n");

  // The host side of the same toolchain works too: cargo run on x86_64.
  auto host = home.run({"cargo", "run", "--quiet"}, env, project.path());
  EXPECT_EQ(host.exit_code, 0) << host.err;
  EXPECT_EQ(host.out, k_greeting + "\n");
}

TEST(PorterArmv7, ArchCheckRefusesStdOfTheWrongMachineNamingTheFile) {
  REQUIRE_DEBIAN_RUST();
  TempDir dir;
  const DebianRust& debian = DebianRust::get();
  // Both classic mistakes in one prefix: x86_64's std as armv7's, armv7's as x86_64's.
  debian.add_host(dir / "prefix", DebianArch::Amd64, /*with_cargo=*/false);
  debian.add_std(dir / "prefix", k_armv7_linux, DebianArch::Amd64);
  debian.add_std(dir / "prefix", k_x86_64_linux, DebianArch::Armhf);
  const fs::path arm_lib = dir / "prefix/lib/rustlib" / k_armv7_linux / "lib";
  const fs::path x86_lib = dir / "prefix/lib/rustlib" / k_x86_64_linux / "lib";
  const std::string amd64_core = file_named(arm_lib, "libcore-", ".rlib");
  const std::string amd64_std_so = file_named(arm_lib, "libstd-", ".so");
  const std::string armhf_core = file_named(x86_lib, "libcore-", ".rlib");
  ASSERT_FALSE(amd64_core.empty());
  ASSERT_FALSE(amd64_std_so.empty());
  ASSERT_FALSE(armhf_core.empty());
  // Debian's link into its multiarch dir, kept as a link to the host's lib/ by the fixture.
  ASSERT_TRUE(fs::is_symlink(arm_lib / amd64_std_so));

  const auto args = porter_args(dir / "prefix", dir / "tree", {k_x86_64_linux, k_armv7_linux}, "zst");
  auto refused = run_distbuild(args);
  EXPECT_NE(refused.exit_code, 0);
  // Nothing is published when an input is wrong.
  EXPECT_FALSE(fs::exists(dir / "tree/dist" / k_date));
  EXPECT_FALSE(fs::exists(dir / "tree/dist/channel-rust-stable.toml"));
  const std::string arm_origin = (dir / "prefix").string() + ": rust-std for " + k_armv7_linux +
                                 ": lib/rustlib/" + k_armv7_linux + "/lib/";
  const std::string x86_origin = (dir / "prefix").string() + ": rust-std for " + k_x86_64_linux +
                                 ": lib/rustlib/" + k_x86_64_linux + "/lib/";
  const std::string wants_arm = " but armv7-unknown-linux-gnueabihf needs ELF 32-bit LSB ARM, "
                                "hard-float (--no-arch-check to pack it anyway)";
  const std::string wants_x86 = " but x86_64-unknown-linux-gnu needs ELF 64-bit LSB x86-64 "
                                "(--no-arch-check to pack it anyway)";
  // One line per file; an rlib names its first bad member.
  std::set<std::string> named;
  auto file_after = [](const std::string& line, const std::string& origin) {
    const std::size_t end = line.find_first_of("(:", origin.size());
    return line.substr(origin.size(), end - origin.size());
  };
  std::istringstream lines(refused.err);
  for (std::string line; std::getline(lines, line);) {
    const auto start = line.find_first_not_of(' ');
    line = start == std::string::npos ? "" : line.substr(start);
    if (line.starts_with("distbuild: error: ")) {
      line = line.substr(18);
    }
    if (line.starts_with(arm_origin)) {
      const std::string file = file_after(line, arm_origin);
      EXPECT_TRUE(line.ends_with(": ELF 64-bit LSB x86-64" + wants_arm)) << line;
      EXPECT_TRUE(named.insert(file).second) << "named twice: " << line;
    } else if (line.starts_with(x86_origin)) {
      const std::string file = file_after(line, x86_origin);
      // Linked files say hard-float; LLVM's relocatable objects (rlib members) record no ABI.
      EXPECT_TRUE(line.ends_with(": ELF 32-bit LSB ARM, hard-float" + wants_x86) ||
                  (line.find(".rlib(") != std::string::npos &&
                   line.ends_with(": ELF 32-bit LSB ARM" + wants_x86)))
          << line;
      EXPECT_TRUE(named.insert(file).second) << "named twice: " << line;
    }
  }
  // Every rlib and shared object of both directories, each once.
  const auto files_in = [](const fs::path& lib) {
    return static_cast<std::size_t>(std::distance(fs::directory_iterator(lib), fs::directory_iterator()));
  };
  EXPECT_EQ(named.size(), files_in(arm_lib) + files_in(x86_lib)) << refused.err;
  EXPECT_TRUE(named.count(amd64_core)) << refused.err;
  EXPECT_TRUE(named.count(armhf_core)) << refused.err;
  // A shared object (reached through the symlink) is named as it is, with no member.
  EXPECT_NE(refused.err.find(arm_origin + amd64_std_so + ": ELF 64-bit LSB x86-64" + wants_arm),
            std::string::npos)
      << refused.err;

  // The porter who knows better packs it anyway.
  auto args_anyway = args;
  args_anyway.push_back("--no-arch-check");
  auto packed = run_distbuild(args_anyway);
  ASSERT_EQ(packed.exit_code, 0) << packed.err;
  EXPECT_TRUE(fs::exists(dir / "tree/dist" / k_date /
                         "rust-std-1.63.0-armv7-unknown-linux-gnueabihf.tar.zst"));
}

TEST(PorterArmv7, Armv7OnlyHostTreeIsCompleteAndVerifies) {
  REQUIRE_DEBIAN_RUST();
  TempDir dir;
  const DebianRust& debian = DebianRust::get();
  debian.add_host(dir / "prefix", DebianArch::Armhf, /*with_cargo=*/false);
  debian.add_std(dir / "prefix", k_armv7_linux, DebianArch::Armhf);
  // The prefix really is armhf only: Debian's rustc for armhf, checked from its header.
  ASSERT_EQ(elf_ident(dir / "prefix/bin/rustc").machine, 40);

  auto built = run_distbuild(porter_args(dir / "prefix", dir / "tree", {k_armv7_linux}, "zst"));
  ASSERT_EQ(built.exit_code, 0) << built.err;
  auto verified = run_distbuild({"verify", "--allow-unsigned", (dir / "tree").string()});
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_TRUE(verified.out.starts_with("ok: ")) << verified.out;

  const std::string text = read_file(dir / "tree/dist/channel-rust-stable.toml");
  EXPECT_EQ(text.find("x86_64"), std::string::npos) << "no x86_64 anywhere";
  const toml::table manifest = toml::parse(text);
  const toml::table* rust_targets = manifest["pkg"]["rust"]["target"].as_table();
  ASSERT_NE(rust_targets, nullptr);
  std::set<std::string> hosts;
  for (const auto& [host, _] : *rust_targets) {
    hosts.insert(std::string(host.str()));
  }
  EXPECT_EQ(hosts, std::set<std::string>{k_armv7_linux});
  EXPECT_TRUE(manifest["pkg"]["rustc"]["target"][k_armv7_linux]["available"].value_or(false));
  const toml::table* std_targets = manifest["pkg"]["rust-std"]["target"].as_table();
  ASSERT_NE(std_targets, nullptr);
  for (const auto& host : hosts) {
    // rust-std of every packed target is offered to each host, so `rustup target add` works.
    std::set<std::string> offered;
    for (const char* list : {"components", "extensions"}) {
      if (const toml::array* entries = (*rust_targets)[host][list].as_array()) {
        for (const auto& entry : *entries) {
          if (entry.as_table() != nullptr &&
              (*entry.as_table())["pkg"].value_or(std::string()) == "rust-std") {
            offered.insert((*entry.as_table())["target"].value_or(std::string()));
          }
        }
      }
    }
    for (const auto& [target, entry] : *std_targets) {
      if ((*entry.as_table())["available"].value_or(false)) {
        EXPECT_TRUE(offered.count(std::string(target.str()))) << host << " lacks rust-std " << target.str();
      }
    }
  }
}

TEST(PorterArmv7, Armv7HostToolchainFromTheTreeRunsUnderQemu) {
  REQUIRE_DEBIAN_RUST();
  DISTBUILD_REQUIRE(rustup_binary().has_value(), "~/.cargo/bin/rustup");
  DISTBUILD_REQUIRE(find_tool("qemu-arm").has_value(), "qemu-arm (qemu-user)");
  DISTBUILD_REQUIRE(fs::exists(fs::path(k_arm_sysroot) / "lib/libstdc++.so.6"),
                    "the armhf cross sysroot (libc6-dev-armhf-cross, gcc-arm-linux-gnueabihf)");
  TempDir dir;
  const DebianRust& debian = DebianRust::get();
  debian.add_host(dir / "prefix", DebianArch::Armhf, /*with_cargo=*/false);
  debian.add_std(dir / "prefix", k_armv7_linux, DebianArch::Armhf);
  auto built = run_distbuild(porter_args(dir / "prefix", dir / "tree", {k_armv7_linux}, "zst"));
  ASSERT_EQ(built.exit_code, 0) << built.err;

  // The real rustup installs the armv7 host toolchain on this x86_64 machine when told to.
  RustupHome home;
  ASSERT_TRUE(home.ok()) << home.init_output().err;
  const std::string toolchain = std::string("1.63.0-") + k_armv7_linux;
  auto install = home.rustup({"toolchain", "install", toolchain, "--profile", "minimal",
                              "--force-non-host", "--no-self-update"},
                             "file://" + (dir / "tree").string());
  ASSERT_EQ(install.exit_code, 0) << install.err;
  const fs::path installed = home.rustup_home() / "toolchains" / toolchain;
  ASSERT_EQ(elf_ident(installed / "bin/rustc").machine, 40);
  // As rustup's proxy would on a Pi: the toolchain's lib/ on the library path.
  auto ran = run_process({"qemu-arm", "-L", k_arm_sysroot, "-E",
                          "LD_LIBRARY_PATH=" + (installed / "lib").string(),
                          (installed / "bin/rustc").string(), "--version"});
  EXPECT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out, "rustc 1.63.0\n");
}

} // namespace
} // namespace distbuild::testutil
