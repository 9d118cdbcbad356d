// libFuzzer target: what `serve` decides from attacker-chosen request text, without a socket.
// The input is "<decoded path>\n<raw target>\n<Range header>"; resolve_request_path() must only
// ever answer Ok with a regular file strictly inside the tree and never a hidden one, and
// answer_range() must only ever answer a range inside the file (byte_range.hpp).
#include "builder/web/byte_range.hpp"
#include "builder/web/serve_path.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace {

namespace fs = std::filesystem;

// A tree with a file, a hidden file, key material, a link out and a secret beside it.
struct Tree {
  fs::path root;
  Tree() {
    std::string pattern = (fs::temp_directory_path() / "distbuild-fuzz-serve-XXXXXX").string();
    fs::path dir = ::mkdtemp(pattern.data());
    std::error_code ec;
    fs::create_directories(dir / "tree/dist/2026-04-16", ec);
    fs::create_directories(dir / "tree/.staging-1", ec);
    for (const char* name : {"tree/index.html", "tree/dist/channel-rust-stable.toml",
                             "tree/dist/2026-04-16/x.tar.xz", "tree/.distbuild.lock",
                             "tree/.staging-1/y", "tree/signing.key", "secret.txt"}) {
      std::ofstream(dir / name) << "x";
    }
    fs::create_symlink(dir / "secret.txt", dir / "tree/dist/out.txt", ec);
    fs::create_directory_symlink(dir, dir / "tree/up", ec);
    root = fs::canonical(dir / "tree");
  }
};

std::string_view next_line(std::string_view& text) {
  std::size_t end = text.find('\n');
  std::string_view line = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  return line;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace distbuild::builder;
  static Tree tree;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view decoded = next_line(input);
  std::string_view raw = next_line(input);
  std::string_view range = next_line(input);

  ResolvedPath resolved = resolve_request_path(tree.root, decoded, raw);
  if (resolved.verdict == PathVerdict::Ok) {
    fs::path rel = resolved.file.lexically_relative(tree.root);
    if (rel.empty() || *rel.begin() == ".." || !fs::is_regular_file(resolved.file)) {
      std::abort();
    }
    for (const auto& part : rel) {
      if (is_hidden_name(part.string())) {
        std::abort();
      }
    }
  }

  for (std::uint64_t file_size : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{1000},
                                  std::uint64_t{1} << 40}) {
    ByteRangeAnswer answer = answer_range(range, file_size);
    if (answer.kind == ByteRangeAnswer::Partial &&
        (answer.length == 0 || answer.offset >= file_size ||
         answer.length > file_size - answer.offset)) {
      std::abort();
    }
  }
  return 0;
}
