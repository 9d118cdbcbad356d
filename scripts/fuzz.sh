#!/usr/bin/env bash
# The libFuzzer targets (fuzz/): a clang build of their own, instrumented with ASan and UBSan,
# each target run for DISTBUILD_FUZZ_SECONDS (25) by ctest. Part of the README's test command.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DDISTBUILD_FUZZ=ON
cmake --build build-fuzz --target distbuild_fuzzers
ctest --test-dir build-fuzz -R '^Fuzz\.' --output-on-failure -j2
