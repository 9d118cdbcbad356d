#!/usr/bin/env bash
# A mirror with an overlay: the steps of README.md in this directory, in the same order.
#
#   ADD=/srv/build/rustfmt-tarballs examples/mirror-with-overlay/run.sh
#
# Inputs (environment; defaults in brackets):
#   ADD          what to add: a directory of tarballs (`distbuild pack`), of staged images, or an
#                installed toolchain                                                   [required]
#   ADD_COMPONENTS  only these packages of $ADD, comma-separated                      [all of them]
#   UPSTREAM     the dist server, as RUSTUP_DIST_SERVER names it      [https://static.rust-lang.org]
#   UPSTREAM_KEY upstream's public key, armored  [$WORK/rust-key.asc, fetched from static.rust-lang.org]
#   CHANNEL      the channel to mirror and extend                                        [stable]
#   HOSTS        hosts your users install on, comma-separated              [x86_64-unknown-linux-gnu]
#   TARGETS      extra rust-std targets to keep, comma-separated                         [none]
#   WORK         where the key, the mirror and the published tree go                    [./work]
#   DISTBUILD    the distbuild binary     [distbuild on PATH, else ../../build/builder/distbuild]
#   PROFILE, FORMATS  how added images are packed                              [balanced, xz,zst]
#   KEY_NAME, KEY_EMAIL  the mirror's signing key's user ID      [Rust mirror, mirror@localhost]
# Leaves: $WORK/gnupg (the mirror's key), $WORK/mirror (upstream, as upstream signed it),
# $WORK/tree (the tree to publish), $WORK/release-key.asc (the keys your users check with).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${ADD:?set ADD to the tarballs, staged images or toolchain to add}"
ADD_COMPONENTS=${ADD_COMPONENTS:-}
UPSTREAM=${UPSTREAM:-https://static.rust-lang.org}
WORK=${WORK:-$PWD/work}
UPSTREAM_KEY=${UPSTREAM_KEY:-$WORK/rust-key.asc}
CHANNEL=${CHANNEL:-stable}
HOSTS=${HOSTS:-x86_64-unknown-linux-gnu}
TARGETS=${TARGETS:-}
DISTBUILD=${DISTBUILD:-$(command -v distbuild || echo "$here/../../build/builder/distbuild")}
PROFILE=${PROFILE:-balanced}
FORMATS=${FORMATS:-xz,zst}
KEY_NAME=${KEY_NAME:-Rust mirror}
KEY_EMAIL=${KEY_EMAIL:-mirror@localhost}
mkdir -p "$WORK"

# 1. Upstream's key. Rust's is published at static.rust-lang.org; compare its fingerprint with
#    the one on https://forge.rust-lang.org/infra/other-installation-methods.html before trusting it.
if [ ! -f "$UPSTREAM_KEY" ]; then
  curl -fsSL https://static.rust-lang.org/rust-key.gpg.ascii -o "$UPSTREAM_KEY"
fi

# 2. The mirror's own signing key, in its own GnuPG home (made once; a second run finds it).
fpr=$("$DISTBUILD" --json keygen --gnupg-home "$WORK/gnupg" --name "$KEY_NAME" \
          --email "$KEY_EMAIL" | sed -n 's/^ *"fingerprint": "\([0-9A-F]*\)".*/\1/p')
echo "mirror key: $fpr"

# 3. Mirror the channel for your hosts and targets only. Every file is checked against the
#    manifest's hashes, the manifest against upstream's signature; files already present are
#    skipped, so running this from cron costs one manifest when nothing changed. A manifest cut
#    down to your hosts is re-signed with the mirror's key.
select_args=(--hosts "$HOSTS")
if [ -n "$TARGETS" ]; then select_args+=(--targets "$TARGETS"); fi
"$DISTBUILD" mirror --upstream "$UPSTREAM" --channels "$CHANNEL" "${select_args[@]}" \
    --upstream-key "$UPSTREAM_KEY" --out "$WORK/mirror" --sign-key "$fpr" --gnupg-home "$WORK/gnupg"

# 4. The overlay: take the mirrored channel, add your packages (filling what upstream lacks or
#    adding targets it never had), and publish a tree signed with the mirror's key. Upstream's
#    signatures are kept on the bytes upstream made; its release-key.asc holds both keys.
add_args=(--add "$ADD")
if [ -n "$ADD_COMPONENTS" ]; then add_args+=(--components "$ADD_COMPONENTS"); fi
"$DISTBUILD" overlay --upstream "$WORK/mirror/dist/channel-rust-$CHANNEL.toml" \
    --upstream-key "$WORK/mirror/release-key.asc" "${add_args[@]}" "${select_args[@]}" \
    --out "$WORK/tree" --profile "$PROFILE" --formats "$FORMATS" \
    --sign-key "$fpr" --gnupg-home "$WORK/gnupg"

# 5. Check the published tree end to end with the keys it publishes.
"$DISTBUILD" verify "$WORK/tree"

# 6. The keys your users check signatures with (the tree holds the same file at its root).
cp "$WORK/tree/release-key.asc" "$WORK/release-key.asc"
echo "publish $WORK/tree; users: RUSTUP_DIST_SERVER=<its URL> rustup toolchain install $CHANNEL"
