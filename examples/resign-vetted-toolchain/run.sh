#!/usr/bin/env bash
# A release engineer re-signing a vetted toolchain: the steps of README.md in this directory,
# in the same order.
#
#   VETTED=/srv/incoming/tree VENDOR_KEY=vendor-key.asc examples/resign-vetted-toolchain/run.sh
#
# Inputs (environment; defaults in brackets):
#   VETTED      the tree you received and vetted (left untouched)                [required]
#   VENDOR_KEY  the vendor's public key, armored, obtained out of band           [required]
#   WORK        where the in-house key and the re-signed tree go                 [./work]
#   DISTBUILD   the distbuild binary       [distbuild on PATH, else ../../build/builder/distbuild]
#   KEY_NAME, KEY_EMAIL  the in-house key's user ID      [In-house Rust releases, rust@localhost]
# Leaves: $WORK/gnupg (the in-house key), $WORK/tree (the re-signed tree to publish),
# $WORK/inhouse-key.asc (the public key to publish).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${VETTED:?set VETTED to the tree you received}"
: "${VENDOR_KEY:?set VENDOR_KEY to the armored public key of the vendor}"
WORK=${WORK:-$PWD/work}
DISTBUILD=${DISTBUILD:-$(command -v distbuild || echo "$here/../../build/builder/distbuild")}
KEY_NAME=${KEY_NAME:-In-house Rust releases}
KEY_EMAIL=${KEY_EMAIL:-rust@localhost}
mkdir -p "$WORK"

# 1. Check what you received against the vendor's key (not the key file inside the tree, which
#    whoever handed you the tree could have replaced): every hash, tarball, pin and signature.
"$DISTBUILD" verify "$VETTED" --key "$VENDOR_KEY"

# 2. Work on a copy. Hard links cost no space: `sign` replaces .asc and key files by renaming
#    new ones into place, so the vetted tree keeps the vendor's signatures.
rm -rf "$WORK/tree"
cp -al "$VETTED" "$WORK/tree"

# 3. The in-house key, in its own GnuPG home (made once; a second run finds it).
fpr=$("$DISTBUILD" --json keygen --gnupg-home "$WORK/gnupg" --name "$KEY_NAME" \
          --email "$KEY_EMAIL" | sed -n 's/^ *"fingerprint": "\([0-9A-F]*\)".*/\1/p')
echo "in-house key: $fpr"

# 4. Re-sign every file of the copy with the in-house key. Tarballs, manifests and checksums
#    are not touched; the .asc files and release-key.asc/.fingerprint are replaced. The tree is
#    signed with the vendor's key, so this is a key change: --rotate-key says it is meant.
"$DISTBUILD" sign "$WORK/tree" --sign-key "$fpr" --gnupg-home "$WORK/gnupg" --rotate-key

# 5. Export the in-house public key from its own home, and verify the re-signed tree with that
#    key only: every signature must now be ours.
gpg --homedir "$WORK/gnupg" --batch --armor --export "$fpr" > "$WORK/inhouse-key.asc"
"$DISTBUILD" verify "$WORK/tree" --key "$WORK/inhouse-key.asc"

# 6. Publish: $WORK/tree as the dist server, $WORK/inhouse-key.asc on a page your users trust.
echo "publish $WORK/tree and $WORK/inhouse-key.asc (fingerprint $fpr)"
