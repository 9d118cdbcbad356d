// Splitting a Rust build tree (`build/`, next to the checkout it was built from) into component
// images the way bootstrap's dist steps do (rust-lang/rust src/bootstrap/src/core/build_steps/
// dist.rs). For every host H with a `build/H/stage2` sysroot (S) and `build/H/stage2-tools-bin`
// (T), and the checkout C = build/.. when it is one:
//
// rustc-H (dist::Rustc)
//   S/bin/*                        -> bin/           (rustc, rustdoc; not the tool binaries below)
//   S/lib/* (files)                -> lib/           (librustc_driver, libLLVM: the runtime dylibs)
//   S/libexec/* or T/rust-analyzer-proc-macro-srv -> libexec/
//   S/lib/rustlib/H/bin/{rust-lld, gcc-ld/{ld.lld,ld64.lld,lld-link,wasm-ld}, wasm-component-ld}
//                                  -> same path; llvm-objcopy is renamed rust-objcopy
//   S/etc/*                        -> etc/           (target-spec-json-schema.json)
//   S/lib/rustlib/etc/* else C/src/etc/{rust_types.py, gdb_*.py, lldb_*.py, lldb_commands}
//                                  -> lib/rustlib/etc/ (dist::DebuggerScripts)
//   C/src/etc/{rust-gdb, rust-gdbgui, rust-lldb} -> bin/ (unless S/bin has them)
//   C/src/doc/man/*                -> share/man/man1/
//   C/README.md, C/LICENSES/*      -> share/doc/rust/, share/doc/rust/licenses/
//   build/COPYRIGHT{,-library}.html (or build/H/...) -> share/doc/rust/ (run::GenerateCopyright)
// rust-std-X, for each S/lib/rustlib/X/lib (dist::Std, copy_target_libs)
//   the files the std stamp (build/H/stage{2,1,0}-std/X/{release,debug}/.libstd-stamp) lists:
//   `t` entries -> lib/rustlib/X/lib/, `s` -> lib/rustlib/X/lib/self-contained/, `h` only when
//   X is itself a host. Without a stamp: every file of S/lib/rustlib/X/lib except the compiler's
//   own crates (rustc-dev; librustc_driver-*, librustc_<crate>-*).
// cargo-H (dist::Cargo): T/cargo -> bin/; C/src/tools/cargo/src/etc/_cargo ->
//   share/zsh/site-functions/; .../cargo.bashcomp.sh -> etc/bash_completion.d/cargo;
//   .../src/etc/man/* -> share/man/man1/; C/src/tools/cargo/{README.md,LICENSE-*} ->
//   share/doc/cargo/
// clippy-preview-H: T/{cargo-clippy,clippy-driver} -> bin/; C/src/tools/clippy legal -> share/doc/clippy/
// rustfmt-preview-H: T/{rustfmt,cargo-fmt} -> bin/; C/src/tools/rustfmt legal -> share/doc/rustfmt/
// rust-analyzer-preview-H: T/rust-analyzer -> bin/; C/src/tools/rust-analyzer legal
// rust-docs-H (dist::Docs): build/H/doc/** -> share/doc/rust/html/, plus C/src/doc/{robots,sitemap}.txt
// rust-src (dist::Src): C/library and C/src/llvm-project/libunwind -> lib/rustlib/src/rust/,
//   without library/backtrace/crates, library/stdarch/{Cargo.toml,crates/stdarch-verify,
//   crates/intrinsic-test}, VCS files, `*~` and `*.pyc`.
//
// Inherent differences from upstream tarballs: files bootstrap takes from the checkout are only
// there when build/.. is the checkout; a build without lld, llvm-tools or wasm-component-ld has
// no such files, and the images simply lack them, as bootstrap's would.
#include "cross/image_split.hpp"

#include "cross/error.hpp"
#include "cross/image_set.hpp"
#include "cross/prefix_rules.hpp"
#include "targets/target_table.hpp"
#include "targets/triple.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <set>

namespace distbuild::cross {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 9> k_tool_binaries = {
    "cargo", "cargo-clippy", "clippy-driver", "rustfmt", "cargo-fmt",
    "rust-analyzer", "miri", "cargo-miri", "rust-analyzer-proc-macro-srv"};
constexpr std::array<std::string_view, 4> k_lld_wrappers = {"ld.lld", "ld64.lld", "lld-link",
                                                             "wasm-ld"};
constexpr std::array<std::string_view, 7> k_debugger_scripts = {
    "rust_types.py", "gdb_load_rust_pretty_printers.py", "gdb_lookup.py", "gdb_providers.py",
    "lldb_lookup.py", "lldb_providers.py", "lldb_commands"};
constexpr std::array<std::string_view, 3> k_debugger_wrappers = {"rust-gdb", "rust-gdbgui",
                                                                 "rust-lldb"};

bool path_exists(const fs::path& path) {
  std::error_code ec;
  return fs::exists(fs::symlink_status(path, ec));
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    out.push_back(entry.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

bool is_tool_binary(const std::string& file_name, const std::string& exe) {
  return std::any_of(k_tool_binaries.begin(), k_tool_binaries.end(),
                     [&](std::string_view tool) { return file_name == std::string(tool) + exe; });
}

// One split of one build tree; the members are what every rule needs.
class BuildTreeSplit {
public:
  BuildTreeSplit(const fs::path& build_dir, const SplitOptions& options)
      : m_build(build_dir), m_options(options),
        m_images(options.work_dir, roots(build_dir), options.reuse_work_dir) {
    const fs::path parent = fs::weakly_canonical(build_dir).parent_path();
    if (fs::is_directory(parent / "library") || fs::is_directory(parent / "src" / "etc")) {
      m_checkout = parent;
    }
    for (const auto& entry : sorted_entries(build_dir)) {
      const std::string name = entry.filename().string();
      if (targets::parse_triple(name) && fs::is_directory(entry / "stage2")) {
        m_hosts.push_back(name);
      }
    }
    if (m_hosts.empty()) {
      throw Error(build_dir, "not a Rust build tree: no <host>/stage2 directory");
    }
  }

  std::vector<SplitImage> run() {
    for (const auto& host : m_hosts) {
      rustc(host);
      for (const auto& entry : sorted_entries(sysroot(host) / "lib" / "rustlib")) {
        const std::string target = entry.filename().string();
        if (targets::parse_triple(target) && fs::is_directory(entry / "lib") &&
            !m_images.has_image("rust-std", target)) {
          std_libs(host, target);
        }
      }
      tool(host, "cargo", {"cargo"}, "src/tools/cargo",
           {"README.md", "LICENSE-MIT", "LICENSE-APACHE", "LICENSE-THIRD-PARTY"}, "share/doc/cargo");
      tool(host, "clippy-preview", {"clippy-driver", "cargo-clippy"}, "src/tools/clippy",
           {"README.md", "LICENSE-APACHE", "LICENSE-MIT"}, "share/doc/clippy");
      tool(host, "rustfmt-preview", {"rustfmt", "cargo-fmt"}, "src/tools/rustfmt",
           {"README.md", "LICENSE-APACHE", "LICENSE-MIT"}, "share/doc/rustfmt");
      tool(host, "rust-analyzer-preview", {"rust-analyzer"}, "src/tools/rust-analyzer",
           {"README.md", "LICENSE-APACHE", "LICENSE-MIT"}, "share/doc/rust-analyzer");
      docs(host);
    }
    rust_src();
    return m_images.finish();
  }

private:
  static std::vector<fs::path> roots(const fs::path& build_dir) {
    return {build_dir, fs::weakly_canonical(build_dir).parent_path()};
  }
  fs::path sysroot(const std::string& host) const { return m_build / host / "stage2"; }
  fs::path tools_bin(const std::string& host) const { return m_build / host / "stage2-tools-bin"; }

  void add(const std::string& package, const std::string& target, const fs::path& source,
           const fs::path& dest) {
    if (split_wants(m_options, package, target)) {
      m_images.add(package, target, source, dest);
    }
  }
  // A checkout file, when there is a checkout and the file is in it.
  void add_from_checkout(const std::string& package, const std::string& target,
                         const fs::path& rel, const fs::path& dest) {
    if (!m_checkout.empty() && path_exists(m_checkout / rel)) {
      add(package, target, m_checkout / rel, dest);
    }
  }
  void add_dir_files(const std::string& package, const std::string& target, const fs::path& dir,
                     const fs::path& dest_dir) {
    for (const auto& entry : sorted_entries(dir)) {
      if (!fs::is_directory(entry)) {
        add(package, target, entry, dest_dir / entry.filename());
      }
    }
  }

  void rustc(const std::string& host) {
    const std::string exe = targets::exe_suffix(host);
    const fs::path root = sysroot(host);
    std::set<std::string> bins;
    for (const auto& entry : sorted_entries(root / "bin")) {
      const std::string name = entry.filename().string();
      if (!fs::is_directory(entry) && !is_tool_binary(name, exe)) {
        add("rustc", host, entry, fs::path("bin") / name);
        bins.insert(name);
      }
    }
    add_dir_files("rustc", host, root / "lib", "lib");
    const std::string proc_macro_srv = "rust-analyzer-proc-macro-srv" + exe;
    if (path_exists(root / "libexec" / proc_macro_srv)) {
      add_dir_files("rustc", host, root / "libexec", "libexec");
    } else if (path_exists(tools_bin(host) / proc_macro_srv)) {
      add("rustc", host, tools_bin(host) / proc_macro_srv, fs::path("libexec") / proc_macro_srv);
    }

    const fs::path target_bin = fs::path("lib") / "rustlib" / host / "bin";
    for (std::string_view name : {"rust-lld", "wasm-component-ld", "rust-objcopy"}) {
      const std::string file = std::string(name) + exe;
      if (path_exists(root / target_bin / file)) {
        add("rustc", host, root / target_bin / file, target_bin / file);
      }
    }
    if (path_exists(root / target_bin / ("llvm-objcopy" + exe)) &&
        !path_exists(root / target_bin / ("rust-objcopy" + exe))) {
      add("rustc", host, root / target_bin / ("llvm-objcopy" + exe),
          target_bin / ("rust-objcopy" + exe));
    }
    for (std::string_view name : k_lld_wrappers) {
      const std::string file = std::string(name) + exe;
      if (path_exists(root / target_bin / "gcc-ld" / file)) {
        add("rustc", host, root / target_bin / "gcc-ld" / file, target_bin / "gcc-ld" / file);
      }
    }

    add_dir_files("rustc", host, root / "etc", "etc");
    const fs::path rustlib_etc = fs::path("lib") / "rustlib" / "etc";
    if (fs::is_directory(root / rustlib_etc)) {
      add_dir_files("rustc", host, root / rustlib_etc, rustlib_etc);
    } else {
      for (std::string_view script : k_debugger_scripts) {
        add_from_checkout("rustc", host, fs::path("src/etc") / script, rustlib_etc / script);
      }
    }
    for (std::string_view wrapper : k_debugger_wrappers) {
      if (!bins.count(std::string(wrapper))) {
        add_from_checkout("rustc", host, fs::path("src/etc") / wrapper, fs::path("bin") / wrapper);
      }
    }
    if (!m_checkout.empty()) {
      add_dir_files("rustc", host, m_checkout / "src/doc/man", "share/man/man1");
      add_dir_files("rustc", host, m_checkout / "LICENSES", "share/doc/rust/licenses");
    }
    add_from_checkout("rustc", host, "README.md", "share/doc/rust/README.md");
    for (std::string_view name : {"COPYRIGHT.html", "COPYRIGHT-library.html"}) {
      for (const fs::path& dir : {m_build, m_build / host}) {
        if (path_exists(dir / name)) {
          add("rustc", host, dir / name, fs::path("share/doc/rust") / name);
          break;
        }
      }
    }
  }

  // bootstrap's stamp: NUL-separated entries, each a type letter (h, t, s) then a path.
  std::optional<fs::path> std_stamp(const std::string& host, const std::string& target) const {
    for (std::string_view stage : {"stage2-std", "stage1-std", "stage0-std"}) {
      for (std::string_view profile : {"release", "debug"}) {
        const fs::path dir = m_build / host / stage / target / profile;
        for (const auto& entry : sorted_entries(dir)) {
          const std::string name = entry.filename().string();
          if (name.find("libstd") != std::string::npos && name.ends_with("stamp")) {
            return entry;
          }
        }
      }
    }
    return std::nullopt;
  }

  void std_libs(const std::string& host, const std::string& target) {
    const fs::path lib_rel = fs::path("lib") / "rustlib" / target / "lib";
    const fs::path lib_dir = sysroot(host) / lib_rel;
    if (auto stamp = std_stamp(host, target)) {
      std::ifstream in(*stamp, std::ios::binary);
      const std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
      const bool target_is_host =
          std::find(m_hosts.begin(), m_hosts.end(), target) != m_hosts.end();
      std::size_t start = 0;
      while (start < bytes.size()) {
        std::size_t end = bytes.find('\0', start);
        if (end == std::string::npos) {
          end = bytes.size();
        }
        std::string entry = bytes.substr(start, end - start);
        start = end + 1;
        if (entry.empty()) {
          continue;
        }
        char kind = 't';
        if (entry[0] == 'h' || entry[0] == 't' || entry[0] == 's') {
          kind = entry[0];
          entry.erase(0, 1);
        }
        if (kind == 'h' && !target_is_host) {
          continue;
        }
        fs::path source = entry;
        const fs::path name = source.filename();
        const fs::path dest = kind == 's' ? lib_rel / "self-contained" / name : lib_rel / name;
        if (!path_exists(source)) {
          source = lib_dir / (kind == 's' ? fs::path("self-contained") / name : name);
        }
        if (!path_exists(source)) {
          throw Error(*stamp, "lists " + entry + ", which is missing");
        }
        add("rust-std", target, source, dest);
      }
      return;
    }
    std::error_code ec;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(lib_dir, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (!it->is_directory()) {
        files.push_back(it->path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      if (!is_compiler_crate_file(file.filename().string())) {
        add("rust-std", target, file, lib_rel / file.lexically_relative(lib_dir));
      }
    }
  }

  void tool(const std::string& host, const std::string& package,
            std::initializer_list<std::string_view> binaries, const fs::path& source_rel,
            std::initializer_list<std::string_view> legal, const fs::path& doc_dest) {
    const std::string exe = targets::exe_suffix(host);
    const fs::path bin = tools_bin(host);
    const std::string first = std::string(*binaries.begin()) + exe;
    if (!path_exists(bin / first) || !split_wants(m_options, package, host)) {
      return;
    }
    for (std::string_view name : binaries) {
      const std::string file = std::string(name) + exe;
      if (!path_exists(bin / file)) {
        throw Error(bin / file, "missing, but " + first + " is there (both belong to " + package + ")");
      }
      add(package, host, bin / file, fs::path("bin") / file);
    }
    if (package == "cargo" && !m_checkout.empty()) {
      const fs::path etc = source_rel / "src" / "etc";
      add_from_checkout(package, host, etc / "_cargo", "share/zsh/site-functions/_cargo");
      add_from_checkout(package, host, etc / "cargo.bashcomp.sh", "etc/bash_completion.d/cargo");
      add_dir_files(package, host, m_checkout / etc / "man", "share/man/man1");
    }
    for (std::string_view name : legal) {
      add_from_checkout(package, host, source_rel / name, doc_dest / name);
    }
  }

  void docs(const std::string& host) {
    const fs::path doc = m_build / host / "doc";
    if (!fs::is_directory(doc) || !split_wants(m_options, "rust-docs", host)) {
      return;
    }
    m_images.add_tree("rust-docs", host, doc, "share/doc/rust/html");
    add_from_checkout("rust-docs", host, "src/doc/robots.txt", "share/doc/rust/html/robots.txt");
    add_from_checkout("rust-docs", host, "src/doc/sitemap.txt", "share/doc/rust/html/sitemap.txt");
  }

  static bool excluded_from_src(const fs::path& rel) {
    static const std::array<std::string_view, 4> k_excluded = {
        "library/backtrace/crates", "library/stdarch/Cargo.toml",
        "library/stdarch/crates/stdarch-verify", "library/stdarch/crates/intrinsic-test"};
    static const std::array<std::string_view, 10> k_vcs = {
        ".git", ".gitignore", ".gitmodules", ".gitattributes", ".cvsignore",
        ".svn", ".hg", ".hgignore", ".bzr", "CVS"};
    const std::string text = rel.generic_string();
    for (std::string_view excluded : k_excluded) {
      if (text == excluded || text.starts_with(std::string(excluded) + "/")) {
        return true;
      }
    }
    for (const auto& part : rel) {
      if (std::find(k_vcs.begin(), k_vcs.end(), part.string()) != k_vcs.end()) {
        return true;
      }
    }
    return text.ends_with("~") || text.ends_with(".pyc");
  }

  void rust_src() {
    if (m_checkout.empty() || !fs::is_directory(m_checkout / "library") ||
        !split_wants(m_options, "rust-src", "*")) {
      return;
    }
    const fs::path dest = "lib/rustlib/src/rust";
    for (std::string_view top : {"library", "src/llvm-project/libunwind"}) {
      const fs::path dir = m_checkout / top;
      if (!fs::is_directory(dir)) {
        continue;
      }
      std::vector<fs::path> files;
      std::error_code ec;
      for (auto it = fs::recursive_directory_iterator(dir, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        const fs::path rel = it->path().lexically_relative(m_checkout);
        if (excluded_from_src(rel)) {
          if (it->is_directory() && !it->is_symlink()) {
            it.disable_recursion_pending();
          }
          continue;
        }
        if (!it->is_directory() || it->is_symlink()) {
          files.push_back(rel);
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& rel : files) {
        add("rust-src", "*", m_checkout / rel, dest / rel);
      }
    }
  }

  fs::path m_build;
  const SplitOptions& m_options;
  ImageSet m_images;
  fs::path m_checkout;
  std::vector<std::string> m_hosts;
};

} // namespace

std::vector<SplitImage> split_build_tree(const fs::path& build_dir, const SplitOptions& options) {
  if (!fs::is_directory(build_dir)) {
    throw Error(build_dir, "not a directory");
  }
  return BuildTreeSplit(build_dir, options).run();
}

} // namespace distbuild::cross
