#!/usr/bin/env bash
# Runs two distbuild binaries on the same inputs and compares every byte they write: a check that
# a refactoring changed no output. Unsigned runs only (a signature embeds its creation time).
#
#   scripts/compare-outputs.sh OLD_DISTBUILD NEW_DISTBUILD [WORK_DIR]
#
# Cases: pack of the example component (gz, xz, zst); dist from staged images, then a second
# release into the same tree (top level, pins, manifests.txt, index page); dist --toolchain of
# the installed stable's rustfmt (fast profile, when rustup's stable is installed); rustup
# self-update tree; overlay of a rebuilt package onto the first tree, served from file://;
# mirror of that tree. Prints one line per case and exits 1 on the first difference.
set -euo pipefail
old=$(realpath "$1"); new=$(realpath "$2")
work=${3:-$(mktemp -d)}
here=$(cd "$(dirname "$0")/.." && pwd)
export DISTBUILD_NO_CACHE=1 SOURCE_DATE_EPOCH=1700000000
stable=$(ls -d "$HOME"/.rustup/toolchains/stable-* 2>/dev/null | head -1 || true)

run_case() {  # run_case NAME COMMAND... ; BIN, OUT and SIDE in it become the side's binary,
              # output dir and name
  local name=$1; shift
  for side in old new; do
    bin=${!side}; out="$work/$side/$name"
    rm -rf "$out"; mkdir -p "$out"
    local args=("${@//SIDE/$side}"); args=("${args[@]//BIN/$bin}"); args=("${args[@]//OUT/$out}")
    ( cd "$work/$side" && "${args[@]}" ) > "$work/$side/$name.log" 2>&1 || {
      echo "$name: $side run failed:"; cat "$work/$side/$name.log"; exit 1; }
  done
  # pack's <stem>.facts.json records each tarball's inode and ctime (README: many machines): by
  # design not the same from run to run, and not part of any tree.
  if diff -r --no-dereference --exclude='*.facts.json' "$work/old/$name" "$work/new/$name" \
      > "$work/$name.diff"; then
    echo "$name: identical ($(find "$work/new/$name" -type f | wc -l) files)"
  else
    echo "$name: DIFFERS"; head -40 "$work/$name.diff"; exit 1
  fi
}

demo="$here/examples/components/demo-tool"
run_case pack sh -c '"$0" pack --image "$1/image" --overlay "$1/overlay" --component demo-tool \
  --package demo-tool --version 1.0.0 --target x86_64-unknown-linux-gnu --output-dir "$2"' \
  BIN "$demo" OUT

stage="$work/stage"; rm -rf "$stage"
mkdir -p "$stage/rustc/x86_64-unknown-linux-gnu" "$stage/rust-std/x86_64-unknown-linux-gnu"
cp -r "$demo/image/." "$stage/rustc/x86_64-unknown-linux-gnu/"
mkdir -p "$stage/rust-std/x86_64-unknown-linux-gnu/lib/rustlib/x86_64-unknown-linux-gnu/lib"
echo std > "$stage/rust-std/x86_64-unknown-linux-gnu/lib/rustlib/x86_64-unknown-linux-gnu/lib/libstd.rlib"
run_case dist sh -c '"$0" dist --stage "$1" --out "$2" --version 1.90.0 --date 2026-01-02 &&
  "$0" dist --stage "$1" --out "$2" --version 1.91.0 --date 2026-02-03 &&
  "$0" dist --stage "$1" --out "$2" --channel beta --version 1.92.0-beta.1 --date 2026-02-04 &&
  "$0" dist --stage "$1" --out "$2" --channel nightly --version 1.93.0-nightly --date 2026-02-05' \
  BIN "$stage" OUT

if [ -n "$stable" ]; then
  run_case toolchain sh -c '"$0" dist --toolchain "$1" --components rustc,rust-std,rustfmt --profile fast \
    --formats gz --date 2026-03-04 --out "$2"' BIN "$stable" OUT
fi

run_case rustup sh -c '"$0" dist --stage "$1" --out "$2" --version 1.90.0 --date 2026-01-02 &&
  "$0" rustup --tree "$2" --binary "$1/rustc/x86_64-unknown-linux-gnu/bin/demo-tool" \
    --version 1.28.2 --target x86_64-unknown-linux-gnu' BIN "$stage" OUT

# overlay and mirror read the old side's dist tree (identical by then), since the upstream URL is
# recorded in the provenance file.
# overlay: rust-docs added to the dist case's stable, the rest mirrored from file://
docs="$work/docs-stage"; rm -rf "$docs"
mkdir -p "$docs/rust-docs/x86_64-unknown-linux-gnu/share/doc/rust/html"
echo '<h1>docs</h1>' > "$docs/rust-docs/x86_64-unknown-linux-gnu/share/doc/rust/html/index.html"
run_case overlay sh -c '"$0" overlay --upstream "file://$1/dist/channel-rust-stable.toml" \
  --add "$2" --out "$3"' BIN "$work/old/dist" "$docs" OUT
run_case mirror sh -c '"$0" mirror --upstream "$1" --channels stable 1.90.0 beta --out "$2"' BIN "$work/old/dist" OUT
echo "compare-outputs: every case identical"
