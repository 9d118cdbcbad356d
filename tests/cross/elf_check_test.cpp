// check_image_arch: real x86_64 rlibs and shared objects from the stable toolchain offered as
// armv7 are rejected, naming the file and archive member; a hand-made armhf ELF header (no
// cross compiler needed) is rejected as x86_64 and as soft-float armv7, and accepted as armhf.
#include "cross/elf_check.hpp"

#include "tests/cross/cross_test_support.hpp"
#include "tests/testutil/testutil.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace distbuild::cross {
namespace {

namespace fs = std::filesystem;
using testutil::TempDir;
using testutil::write_file;

const std::string k_arm = "armv7-unknown-linux-gnueabihf";

void put_le(std::string& bytes, std::size_t offset, std::uint32_t value, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) {
    bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  }
}

// A 52-byte ELF32 little-endian relocatable header for ARM, EABI5, hard-float (what
// `arm-linux-gnueabihf-gcc -c` writes: e_flags 0x05000400).
std::string armhf_object(std::uint32_t flags = 0x05000400) {
  std::string h(52, '\0');
  h.replace(0, 4, "\x7f" "ELF");
  h[4] = 1; // ELFCLASS32
  h[5] = 1; // ELFDATA2LSB
  h[6] = 1; // EV_CURRENT
  put_le(h, 16, 1, 2);      // ET_REL
  put_le(h, 18, 40, 2);     // EM_ARM
  put_le(h, 20, 1, 4);      // e_version
  put_le(h, 36, flags, 4);  // e_flags
  put_le(h, 40, 52, 2);     // e_ehsize
  put_le(h, 46, 40, 2);     // e_shentsize
  return h;
}

// A GNU ar archive with one member (name <= 15 chars).
std::string ar_with(const std::string& name, const std::string& data) {
  char header[61];
  std::snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", (name + "/").c_str(),
                "0", "0", "0", "644", data.size());
  std::string out = "!<arch>\n" + std::string(header, 60) + data;
  if (out.size() % 2 != 0) {
    out.push_back('\n');
  }
  return out;
}

TEST(ElfCheck, HostStdOfferedAsArmv7IsRejected) {
  auto toolchain = testutil::installed_toolchain("stable");
  DISTBUILD_REQUIRE(toolchain, "a stable toolchain installed by rustup");
  const fs::path host_lib = *toolchain / "lib/rustlib/x86_64-unknown-linux-gnu/lib";
  fs::path rlib;
  fs::path so;
  for (const auto& entry : fs::directory_iterator(host_lib)) {
    const std::string name = entry.path().filename().string();
    if (name.starts_with("libcfg_if-") && name.ends_with(".rlib")) rlib = entry.path();
    if (name.starts_with("libstd-") && name.ends_with(".so")) so = entry.path();
  }
  DISTBUILD_REQUIRE(!rlib.empty() && !so.empty(), "libcfg_if rlib and libstd .so in the stable toolchain");
  TempDir dir;
  const fs::path image = dir / "image";
  const std::string lib_rel = "lib/rustlib/" + k_arm + "/lib/";
  testing::link_or_copy(rlib, image / lib_rel / rlib.filename());
  testing::link_or_copy(so, image / lib_rel / so.filename());
  write_file(image / "share/doc/README.md", "not a binary");

  const auto problems = check_image_arch(image, k_arm);
  ASSERT_GE(problems.size(), 2u);
  const std::string needs = " but armv7-unknown-linux-gnueabihf needs ELF 32-bit LSB ARM, hard-float";
  const std::string rlib_prefix = lib_rel + rlib.filename().string() + "(";
  bool saw_member = false;
  bool saw_so = false;
  for (const auto& problem : problems) {
    SCOPED_TRACE(problem);
    EXPECT_TRUE(problem.ends_with(": ELF 64-bit LSB x86-64" + needs));
    if (problem.starts_with(rlib_prefix)) {
      // One line for the archive, naming its first bad member: lib.rmeta (which rustc wraps in
      // an ELF object of the target's machine) or cfg_if-<hash>.cfg_if.<hash>-cgu.0.rcgu.o.
      const std::string member = problem.substr(rlib_prefix.size(), problem.find(')') - rlib_prefix.size());
      EXPECT_FALSE(saw_member) << "one line per archive";
      saw_member = member.starts_with("lib.rmeta") || member.find(".rcgu.o") != std::string::npos;
    }
    if (problem == lib_rel + so.filename().string() + ": ELF 64-bit LSB x86-64" + needs) {
      saw_so = true;
    }
  }
  EXPECT_TRUE(saw_member);
  EXPECT_TRUE(saw_so);
  // The same files are fine for the host they were built for.
  EXPECT_EQ(check_image_arch(image, "x86_64-unknown-linux-gnu"), std::vector<std::string>{});
}

TEST(ElfCheck, ArmhfObjectAsX86_64IsRejected) {
  TempDir dir;
  write_file(dir / "image/lib/thing.o", armhf_object());
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-unknown-linux-gnu"),
            std::vector<std::string>{"lib/thing.o: ELF 32-bit LSB ARM, hard-float but "
                                     "x86_64-unknown-linux-gnu needs ELF 64-bit LSB x86-64"});
  EXPECT_EQ(check_image_arch(dir / "image", k_arm), std::vector<std::string>{});
  EXPECT_EQ(check_image_arch(dir / "image", "arm-unknown-linux-gnueabihf"), std::vector<std::string>{});
}

// share/ (docs, man pages) is never loaded or linked; rust-docs' 52,000 files are not opened.
// An object anywhere else, even in a dir named share below the top, is checked.
TEST(ElfCheck, ShareIsNotChecked) {
  TempDir dir;
  write_file(dir / "image/share/doc/example/thing.o", armhf_object());
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-unknown-linux-gnu"), std::vector<std::string>{});
  write_file(dir / "image/lib/share/thing.o", armhf_object());
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-unknown-linux-gnu").size(), 1u);
}

TEST(ElfCheck, FloatAbiMismatch) {
  TempDir dir;
  write_file(dir / "image/hard.o", armhf_object());
  write_file(dir / "image/soft.o", armhf_object(0x05000200));
  EXPECT_EQ(check_image_arch(dir / "image", "armv7-unknown-linux-gnueabi"),
            std::vector<std::string>{"hard.o: ELF 32-bit LSB ARM, hard-float but "
                                     "armv7-unknown-linux-gnueabi needs ELF 32-bit LSB ARM, soft-float"});
  EXPECT_EQ(check_image_arch(dir / "image", k_arm),
            std::vector<std::string>{"soft.o: ELF 32-bit LSB ARM, soft-float but "
                                     "armv7-unknown-linux-gnueabihf needs ELF 32-bit LSB ARM, hard-float"});
}

TEST(ElfCheck, RlibMemberIsNamed) {
  TempDir dir;
  write_file(dir / "image/lib/rustlib/x86_64-unknown-linux-gnu/lib/libfoo-1.rlib",
             ar_with("foo.o", armhf_object()));
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-unknown-linux-gnu"),
            std::vector<std::string>{
                "lib/rustlib/x86_64-unknown-linux-gnu/lib/libfoo-1.rlib(foo.o): ELF 32-bit LSB "
                "ARM, hard-float but x86_64-unknown-linux-gnu needs ELF 64-bit LSB x86-64"});
  EXPECT_EQ(check_image_arch(dir / "image", k_arm), std::vector<std::string>{});
}

TEST(ElfCheck, ArchiveGetsOneLineCountingItsBadMembers) {
  TempDir dir;
  // Members after the first: ar_with's output without its "!<arch>\n" magic.
  auto member = [](const std::string& name) { return ar_with(name, armhf_object()).substr(8); };
  write_file(dir / "image/lib/libtwo.a", ar_with("a.o", armhf_object()) + member("b.o"));
  write_file(dir / "image/lib/libthree.a",
             ar_with("a.o", armhf_object()) + member("b.o") + member("c.o"));
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-unknown-linux-gnu"),
            (std::vector<std::string>{
                "lib/libthree.a(a.o, and 2 more members): ELF 32-bit LSB ARM, hard-float but "
                "x86_64-unknown-linux-gnu needs ELF 64-bit LSB x86-64",
                "lib/libtwo.a(a.o, and 1 more member): ELF 32-bit LSB ARM, hard-float but "
                "x86_64-unknown-linux-gnu needs ELF 64-bit LSB x86-64"}));
}

TEST(ElfCheck, ElfInNonElfTarget) {
  TempDir dir;
  write_file(dir / "image/bin/thing", armhf_object());
  EXPECT_EQ(check_image_arch(dir / "image", "x86_64-pc-windows-msvc"),
            std::vector<std::string>{"bin/thing: ELF 32-bit LSB ARM, hard-float but "
                                     "x86_64-pc-windows-msvc needs PE/COFF, not ELF"});
}

TEST(ElfCheck, SingleBuffer) {
  EXPECT_EQ(check_elf_bytes(armhf_object(), "x.o", k_arm), "");
  EXPECT_EQ(check_elf_bytes("#!/bin/sh\n", "script", k_arm), "");
  EXPECT_EQ(check_elf_bytes(armhf_object(), "x.o", "aarch64-unknown-linux-gnu"),
            "x.o: ELF 32-bit LSB ARM, hard-float but aarch64-unknown-linux-gnu needs ELF 64-bit "
            "LSB AArch64");
}

} // namespace
} // namespace distbuild::cross
