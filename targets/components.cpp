// The component table (spec 1.4, 2.4, 5.1). Order matters: compose_channel() lists `[pkg.rust]`
// extensions in this order, which is the order upstream's build-manifest writes them.
#include "targets/components.hpp"

#include <array>

namespace distbuild::targets {

namespace {

using enum ComponentScope;

constexpr std::array k_components{
    ComponentKind{"rustc", "rustc", Host, false, false},
    ComponentKind{"rust-std", "rust-std", Target, true, false},
    ComponentKind{"cargo", "cargo", Host, false, false},
    ComponentKind{"rust-docs", "rust-docs", Host, false, false},
    // Only built for *-pc-windows-gnu hosts; which triples get it is the builder's business.
    ComponentKind{"rust-mingw", "rust-mingw", Host, false, false},
    ComponentKind{"rust-src", "rust-src", Any, false, false},
    ComponentKind{"rustc-dev", "rustc-dev", Host, false, false},
    ComponentKind{"rustc-docs", "rustc-docs", Host, false, false},
    ComponentKind{"rust-analysis", "rust-analysis", Target, true, false},
    ComponentKind{"rust-analyzer-preview", "rust-analyzer", Host, false, false},
    ComponentKind{"clippy-preview", "clippy", Host, false, false},
    ComponentKind{"rustfmt-preview", "rustfmt", Host, false, false},
    ComponentKind{"llvm-tools-preview", "llvm-tools", Host, false, false},
    ComponentKind{"miri-preview", "miri", Host, false, true},
    ComponentKind{"rust-docs-json-preview", "rust-docs-json", Host, false, true},
    ComponentKind{"rustc-codegen-cranelift-preview", "rustc-codegen-cranelift", Host, false, true},
    ComponentKind{"llvm-bitcode-linker-preview", "llvm-bitcode-linker", Host, false, false},
    ComponentKind{"rustc-codegen-gcc-preview", "rustc-codegen-gcc", Host, false, false},
    ComponentKind{"enzyme-preview", "enzyme", Host, false, false},
};

constexpr ComponentKind k_rust_combined{"rust", "rust", Host, false, false};

std::string_view first_word(std::string_view text) {
  std::size_t end = text.find_first_of(" \t\n");
  return end == std::string_view::npos ? text : text.substr(0, end);
}

} // namespace

std::optional<ComponentKind> find_component(std::string_view name) {
  for (const ComponentKind& kind : k_components) {
    if (kind.package == name || kind.tarball_name == name) {
      return kind;
    }
  }
  return std::nullopt;
}

std::span<const ComponentKind> known_components() {
  return k_components;
}

const ComponentKind& rust_combined_kind() {
  return k_rust_combined;
}

std::string installer_component_name(const ComponentKind& kind, std::string_view target) {
  std::string name(kind.package);
  if (kind.target_in_component_name) {
    name += '-';
    name += target;
  }
  return name;
}

std::string version_label(std::string_view channel, std::string_view version) {
  if (channel == "beta" || channel == "nightly") {
    return std::string(channel);
  }
  std::string number(first_word(version));
  if (channel == "stable") {
    return number;
  }
  return number + "-dev";
}

std::string tarball_stem(const ComponentKind& kind, std::string_view label, std::string_view target) {
  std::string stem(kind.tarball_name);
  stem += '-';
  stem += label;
  if (kind.scope != ComponentScope::Any) {
    stem += '-';
    stem += target;
  }
  return stem;
}

} // namespace distbuild::targets
