#!/usr/bin/env bash
# Fetches Debian bookworm's compiled Rust 1.63 (amd64, arm64 and armhf) and extracts it, for the
# porter's end-to-end tests (tests/e2e/porter_armv7_test.cpp, debian_usr_prefix_test.cpp): real
# compiled components that are not upstream's, for targets upstream's own tooling would not pack
# for us, and whole /usr prefixes as a distribution ships them.
#
#   scripts/fetch-debian-rust.sh <cache dir>
#
# Leaves <cache dir>/debs/*.deb and each package extracted under <cache dir>/root/<package>_<arch>/
# (dpkg-deb -x, so usr/bin, usr/lib/... exactly as Debian ships them). Idempotent: .debs already
# in the cache are not downloaded again, and a finished extraction is marked by a stamp file, so
# repeated test runs cost nothing. Needs `dpkg --add-architecture armhf` and an updated index
# (scripts/install-deps.sh does both). Network: Debian's mirrors only, through apt.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 <cache dir>" >&2
  exit 2
fi
cache=$1

# <apt name>:<arch>. cargo needs libgit2 1.5 and its TLS/HTTP libraries, which a bare machine
# lacks. rustc:armhf (2 MB) is a real armv7 host compiler for the armv7-only tree; running it
# under qemu-arm takes libLLVM-14 for armhf and what that links (the last line, ~40 MB).
packages=(
  rustc:amd64 cargo:amd64 libstd-rust-1.63:amd64 libstd-rust-dev:amd64
  libgit2-1.5:amd64 libhttp-parser2.9:amd64 libmbedcrypto7:amd64 libmbedtls14:amd64
  libmbedx509-1:amd64
  libstd-rust-1.63:armhf libstd-rust-dev:armhf rustc:armhf
  libllvm14:armhf libedit2:armhf libffi8:armhf libstdc++6:armhf libtinfo6:armhf libxml2:armhf
  libz3-4:armhf zlib1g:armhf libbsd0:armhf libmd0:armhf libicu72:armhf liblzma5:armhf
)
# A whole Debian Rust per architecture for the /usr-prefix test: the Rust packages and every
# library rustc and cargo load at run time beyond the base system (libc, libgcc_s, libstdc++,
# libz), which distbuild must find in the prefix and pack (DEBIAN_RUNTIME_LIBRARIES below).
runtime_libraries=(
  libllvm14 libffi8 libedit2 libtinfo6 libxml2 libz3-4 libbsd0 libmd0 libicu72 liblzma5
  libgit2-1.5 libmbedcrypto7 libmbedtls14 libmbedx509-1 libhttp-parser2.9 libssh2-1 libssl3
  libcurl3-gnutls libnghttp2-14 libidn2-0 librtmp1 libpsl5 libnettle8 libgnutls30
  libgssapi-krb5-2 libldap-2.5-0 libzstd1 libbrotli1 libp11-kit0 libunistring2 libtasn1-6
  libhogweed6 libgmp10 libkrb5-3 libk5crypto3 libcom-err2 libkrb5support0 libkeyutils1
  libsasl2-2 libpcre2-8-0 zlib1g
)
for arch in amd64 arm64; do
  for name in rustc cargo libstd-rust-1.63 libstd-rust-dev "${runtime_libraries[@]}"; do
    spec="$name:$arch"
    [[ " ${packages[*]} " == *" $spec "* ]] || packages+=("$spec")
  done
done

# Bumped whenever the package list changes, so an older cache is completed.
stamp="$cache/root/.complete-v4"
if [ -f "$stamp" ]; then
  exit 0
fi

mkdir -p "$cache/debs" "$cache/root"
# Test processes may start this at the same time (ctest -j): one fetches, the others wait.
exec 9>"$cache/.lock"
flock 9
if [ -f "$stamp" ]; then
  exit 0
fi

# apt-get download writes <name>_<version>_<arch>.deb into the current directory; anything
# already there for that name and arch counts as fetched.
to_fetch=()
for spec in "${packages[@]}"; do
  name=${spec%%:*}
  arch=${spec##*:}
  if ! compgen -G "$cache/debs/${name}_*_${arch}.deb" >/dev/null; then
    to_fetch+=("$spec")
  fi
done
if ((${#to_fetch[@]})); then
  # As root apt warns that its _apt user cannot write here; the download still works.
  (cd "$cache/debs" && apt-get download -qq "${to_fetch[@]}" 2> >(grep -v "unsandboxed" >&2))
fi

for spec in "${packages[@]}"; do
  name=${spec%%:*}
  arch=${spec##*:}
  debs=("$cache/debs/${name}"_*_"${arch}".deb)
  dest="$cache/root/${name}_${arch}"
  rm -rf "$dest.tmp"
  dpkg-deb -x "${debs[-1]}" "$dest.tmp"
  rm -rf "$dest"
  mv "$dest.tmp" "$dest"
done
rm -f "$cache/root/.complete-v"*
touch "$stamp"
