#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed time, as CI does (fuzz/CMakeLists.txt registers one
# ctest per target): seeds from fuzz/seeds/<name> (and, for the tarball reader, a few real
# installer tars made here with tar), a scratch corpus and TMPDIR under the build dir, removed
# afterwards. Exit status is libFuzzer's: non-zero on a crash, a sanitizer report, a leak or a
# timeout, and the reproducer is kept in the work dir (printed) to debug with:
#   <binary> <reproducer>
# Usage: fuzz/run-fuzzer.sh <binary> <name> <seconds> <work dir>
set -euo pipefail
binary="$1" name="$2" seconds="$3" work="$4"
here="$(cd "$(dirname "$0")" && pwd)"
rm -rf "$work/corpus" "$work/tmp"
mkdir -p "$work/corpus" "$work/tmp" "$work/artifacts"
if [ -d "$here/seeds/$name" ]; then
  cp "$here/seeds/$name"/* "$work/corpus/"
fi
if [ "$name" = tarball_reader ]; then
  # Seeds are the tar itself; the first byte picks zstd (0), gzip (1) or raw (2) packing.
  src="$work/tmp/seed"
  mkdir -p "$src/pkg-1.0-x86_64-unknown-linux-gnu/comp/bin"
  printf '3\n' >"$src/pkg-1.0-x86_64-unknown-linux-gnu/rust-installer-version"
  printf 'comp\n' >"$src/pkg-1.0-x86_64-unknown-linux-gnu/components"
  printf 'file:bin/x\n' >"$src/pkg-1.0-x86_64-unknown-linux-gnu/comp/manifest.in"
  printf 'x\n' >"$src/pkg-1.0-x86_64-unknown-linux-gnu/comp/bin/x"
  for format in gnu ustar pax; do
    tar --format="$format" -C "$src" -cf "$work/tmp/seed.tar" pkg-1.0-x86_64-unknown-linux-gnu
    for packing in 0 1 2; do
      { printf "\\x0$packing"; cat "$work/tmp/seed.tar"; } >"$work/corpus/seed-$format-$packing"
    done
  done
  rm -rf "$src" "$work/tmp/seed.tar"
fi
dict=()
if [ -f "$here/$name.dict" ]; then
  dict=(-dict="$here/$name.dict")
fi
status=0
TMPDIR="$work/tmp" "$binary" "${dict[@]}" -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=2048 -max_len=16384 -print_final_stats=1 \
  -artifact_prefix="$work/artifacts/" "$work/corpus" || status=$?
rm -rf "$work/tmp" "$work/corpus"
if [ "$status" -ne 0 ]; then
  echo "run-fuzzer: $name found a problem; reproducer(s) in $work/artifacts/" >&2
fi
exit "$status"
