#!/usr/bin/env bash
# Installs everything distbuild needs to build and test, from Debian's packages only.
# Idempotent and quiet: when every package is already installed it runs no apt-get at all.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git ca-certificates
  libarchive-dev liblzma-dev libzstd-dev zlib1g-dev libssl-dev
  libgpgme-dev libgpg-error-dev gnupg gpgv
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libcurl4-openssl-dev libcpp-httplib-dev
  libgtest-dev googletest
  # the libFuzzer targets (fuzz/, a separate build by scripts/fuzz.sh): clang with -fsanitize=fuzzer
  clang libclang-rt-14-dev
  # used by the tests as independent checkers and servers
  xz-utils zstd gzip tar file python3 curl binutils
  strace          # fault injection: kills and full disks mid-publish (tests/e2e/crash_safety_test.cpp)
  time            # /usr/bin/time -v: wall, CPU and peak memory in bench/run.py
  chromium        # opens index.html headless (tests/e2e/index_page_test.cpp)
  groff-base      # groff -man -ww checks distbuild.1 (tests/builder/cli/man_page_test.cpp)
  shellcheck      # checks the generated install.sh (tests/builder/pack/install_script_test.cpp)
  nodejs          # runs tuf-js, the real TUF client (tests/e2e/tuf_client_test.cpp)
  # the porter's armv7 end-to-end test (tests/e2e/porter_armv7_test.cpp): cross linker, armhf
  # libc for it and qemu to run the result; libLLVM-14 for Debian's rustc 1.63
  qemu-user gcc-arm-linux-gnueabihf libc6-dev-armhf-cross libllvm14
  # the arm64 half of the Debian /usr-prefix test (tests/e2e/debian_usr_prefix_test.cpp): cross
  # linker and arm64 libc for a cross-built program, run with qemu-aarch64
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross libstdc++6-arm64-cross
)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

# The same tests fetch Debian's armhf and arm64 Rust packages with `apt-get download`, which
# needs those package indexes. Only the first run adds the architectures and updates.
if ! dpkg --print-foreign-architectures | grep -qx armhf ||
   ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $sudo dpkg --add-architecture armhf
  $sudo dpkg --add-architecture arm64
  # The armhf security index may be mid-sync (exit 100); the packages still download.
  $sudo apt-get update -qq 2>/dev/null ||
    echo "install-deps: apt-get update failed for some index (mirror mid-sync?); continuing" >&2
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq || true   # a mid-sync index may fail; packages usually still install
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Debian packages npm apart from nodejs; a nodejs that bundles npm (NodeSource's) needs no more.
if ! command -v npm >/dev/null 2>&1; then
  echo "install-deps: installing npm" >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends npm >/dev/null
fi

# tuf-js for the TUF tests, at the versions tests/tuf/package-lock.json pins (npm ci checks each
# package's integrity hash). Only when the lock changed since the last install.
tuf_dir="$(cd "$(dirname "$0")/.." && pwd)/tests/tuf"
stamp="$tuf_dir/node_modules/.distbuild-installed-lock"
if ! cmp -s "$tuf_dir/package-lock.json" "$stamp" 2>/dev/null; then
  echo "install-deps: npm ci in tests/tuf" >&2
  (cd "$tuf_dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  cp "$tuf_dir/package-lock.json" "$stamp"
fi
