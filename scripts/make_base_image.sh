#!/bin/sh
# A local stand-in for the Dockerfile's base (python:3.11.*-slim-bookworm) when no container registry
# answers: Debian bookworm (minbase) + python3, python3-venv, python3-pip, ca-certificates, curl, with a
# venv at /opt/venv first on PATH (so `python`, `pip` and `streamlit` behave as in python:*-slim), made
# with mmdebstrap from Debian's packages and imported with `podman import`. Cached: nothing is rebuilt
# when the image exists (FORCE=1 rebuilds it).
#
#   scripts/make_base_image.sh                 # prints the base it used, e.g. localhost/nnplay-base:bookworm
#   STANDIN=1 scripts/make_base_image.sh       # the stand-in even if a registry answers
#   BASE_TAG=localhost/x:y scripts/make_base_image.sh
# It tries the Dockerfile's pinned default (ARG BASE_IMAGE) first: a machine whose registry answers
# builds on the real python:*-slim image.
#
# The Debian mirror is the machine's own (its apt sources); extra CA certificates of the machine
# (/usr/local/share/ca-certificates/) are copied in, so pip in the image reaches the package index
# through the same network as the machine. The last line of stdout is the image's name (make uses it).
set -eu

TAG=${BASE_TAG:-localhost/nnplay-base:bookworm}
SUITE=${SUITE:-bookworm}
PODMAN=${PODMAN:-podman}
HERE=$(cd "$(dirname "$0")/.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$HERE/deploy/podman/containers.conf}

# The Dockerfile's pinned default first, when it is here or a registry gives it (STANDIN=1 skips this).
OFFICIAL=$(sed -n 's/^ARG BASE_IMAGE=//p' "$HERE/Dockerfile" | head -n 1)
if [ -z "${STANDIN:-}" ] && [ -n "$OFFICIAL" ]; then
    if $PODMAN image exists "$OFFICIAL" || timeout 600 $PODMAN pull -q "$OFFICIAL" >/dev/null 2>&1; then
        echo "base: $OFFICIAL (the Dockerfile's pinned default, from a registry)" >&2
        echo "$OFFICIAL"
        exit 0
    fi
    echo "base: $OFFICIAL cannot be pulled (no container registry answers): a local stand-in instead" >&2
fi

if [ -z "${FORCE:-}" ] && $PODMAN image exists "$TAG"; then
    echo "base: $TAG (cached, made by scripts/make_base_image.sh; FORCE=1 rebuilds it)" >&2
    echo "$TAG"
    exit 0
fi

# The first Debian mirror in the machine's apt sources (deb822 or one-line format), else deb.debian.org.
mirror() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ && $2 !~ /security/ {print $2; exit}' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' "$f"
    done
    echo http://deb.debian.org/debian
}
MIRROR=$(mirror | head -n 1)

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/certs"
for crt in /usr/local/share/ca-certificates/*.crt; do
    [ -f "$crt" ] && cp "$crt" "$WORK/certs/"
done

echo "base: making $TAG with mmdebstrap ($SUITE minbase from $MIRROR, $(ls "$WORK/certs" | wc -l) extra CA certificates)" >&2
start=$(date +%s)
mmdebstrap --quiet --variant=minbase --format=tar \
    --include=python3,python3-venv,python3-pip,ca-certificates,curl \
    --customize-hook="mkdir -p \"\$1/usr/local/share/ca-certificates\"" \
    --customize-hook="cp $WORK/certs/. \"\$1/usr/local/share/ca-certificates/\" -r" \
    --customize-hook='chroot "$1" update-ca-certificates >/dev/null' \
    --customize-hook='chroot "$1" python3 -m venv /opt/venv' \
    --customize-hook='printf "[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n" > "$1/etc/pip.conf"' \
    --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*.bin' \
    "$SUITE" "$WORK/rootfs.tar" "$MIRROR" >&2

$PODMAN import \
    --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["python3"]' \
    --message "nnplay stand-in base: Debian $SUITE minbase + python3 venv at /opt/venv (mmdebstrap)" \
    "$WORK/rootfs.tar" "$TAG" >/dev/null
echo "base: $TAG made in $(( $(date +%s) - start )) s" >&2
echo "$TAG"
