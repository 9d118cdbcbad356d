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
  # used by the tests as independent checkers and servers
  xz-utils zstd gzip tar file python3 curl binutils
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}" >&2
  $sudo apt-get update -qq || true   # a mid-sync index may fail; packages usually still install
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
