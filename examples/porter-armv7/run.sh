#!/usr/bin/env bash
# A porter's armv7 tree: the steps of README.md in this directory, in the same order.
#
#   FROM=/path/to/armv7/prefix VERSION=1.63.0 examples/porter-armv7/run.sh
#
# Inputs (environment; defaults in brackets):
#   FROM      install prefix (`x.py install`'s DESTDIR/prefix) or Rust build tree  [required]
#   VERSION   the release version you built                                        [1.63.0]
#   TARGET    the target triple you ported                          [armv7-unknown-linux-gnueabihf]
#   WORK      where the key and the tree go                                        [./work]
#   DISTBUILD the distbuild binary          [distbuild on PATH, else ../../build/builder/distbuild]
#   DATE      release date YYYY-MM-DD                                              [today, UTC]
#   PROFILE   compression profile: fast, balanced, best                            [balanced]
#   FORMATS   tarball formats                                                      [gz,xz,zst]
#   KEY_NAME, KEY_EMAIL  the signing key's user ID         [Porter signing key, porter@localhost]
# Leaves: $WORK/gnupg (the signing key), $WORK/tree (the tree to publish), $WORK/release-key.asc.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${FROM:?set FROM to the install prefix or build tree of your port}"
VERSION=${VERSION:-1.63.0}
TARGET=${TARGET:-armv7-unknown-linux-gnueabihf}
WORK=${WORK:-$PWD/work}
DISTBUILD=${DISTBUILD:-$(command -v distbuild || echo "$here/../../build/builder/distbuild")}
DATE=${DATE:-}
PROFILE=${PROFILE:-balanced}
FORMATS=${FORMATS:-gz,xz,zst}
KEY_NAME=${KEY_NAME:-Porter signing key}
KEY_EMAIL=${KEY_EMAIL:-porter@localhost}
mkdir -p "$WORK"

# 1. Which triple does the board need? (a Pi 2/3/4 on a 32-bit OS: armv7-unknown-linux-gnueabihf)
"$DISTBUILD" targets --board raspberry-pi

# 2. A signing key of its own, in its own GnuPG home (never your personal keyring).
#    Run again, it finds the key it made the first time instead of making another.
fpr=$("$DISTBUILD" --json keygen --gnupg-home "$WORK/gnupg" --name "$KEY_NAME" \
          --email "$KEY_EMAIL" |
      sed -n 's/^ *"fingerprint": "\([0-9A-F]*\)".*/\1/p')
echo "signing key: $fpr"

# 3. The porter's run: split the prefix into rustc, rust-std, cargo..., check that every ELF file
#    is built for $TARGET, pack, write manifests, pins, checksums, and sign every file.
date_args=()
if [ -n "$DATE" ]; then date_args=(--date "$DATE"); fi
"$DISTBUILD" --target "$TARGET" --from "$FROM" --version "$VERSION" "${date_args[@]}" \
    --out "$WORK/tree" --profile "$PROFILE" --formats "$FORMATS" \
    --sign-key "$fpr" --gnupg-home "$WORK/gnupg"

# 4. Check the tree end to end (manifests, hashes, tarballs, pins, signatures) before publishing.
"$DISTBUILD" verify "$WORK/tree"

# 5. The public key, to publish next to the tree (the tree holds the same file at its root).
cp "$WORK/tree/release-key.asc" "$WORK/release-key.asc"
echo "key: $fpr"
echo "On the Pi: RUSTUP_DIST_SERVER=<where you publish $WORK/tree> rustup toolchain install $VERSION"
