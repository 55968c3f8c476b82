#!/usr/bin/env bash
# Fetches a Debian kernel's vmlinux (from its -dbg package) and System.map (from its image
# package) for `tracesim kernel`, into a cache folder outside the repository, and prints the
# vmlinux's path. Large (the -dbg package is ~1 GB unpacked): never run by the tests or CI, and
# never commit what it fetches.
#
#   scripts/fetch-debian-kernel.sh [ARCH] [VERSION]
#     ARCH     amd64 (x86_64) or arm64 (aarch64); default: amd64
#     VERSION  e.g. 6.1.0-28 or 6.12.117+deb12; default: the newest 6.1.0-N this host's apt
#              knows for ARCH
#   TRACESIM_CACHE  cache folder (default ~/.cache/tracesim)
#
#   build/tracesim kernel --vmlinux "$(scripts/fetch-debian-kernel.sh amd64)" --arch x86_64
#   build/tracesim kernel --vmlinux "$(scripts/fetch-debian-kernel.sh arm64)" --arch arm64
#
# arm64 on an amd64 host needs the foreign architecture enabled once (as root):
#   dpkg --add-architecture arm64 && apt-get update
set -euo pipefail

arch=${1:-amd64}
case "$arch" in
    amd64 | x86_64) arch=amd64 ;;
    arm64 | aarch64) arch=arm64 ;;
    *) echo "fetch-debian-kernel: unknown arch '$arch' (amd64 or arm64)" >&2; exit 2 ;;
esac
host=$(dpkg --print-architecture)
if [ "$arch" != "$host" ] && ! dpkg --print-foreign-architectures | grep -qx "$arch"; then
    echo "fetch-debian-kernel: apt does not know $arch packages on this $host host; as root run:" >&2
    echo "  dpkg --add-architecture $arch && apt-get update" >&2
    exit 1
fi

version=${2:-}
if [ -z "$version" ]; then
    # linux-image-6.1.0-28-amd64-dbg -> 6.1.0-28, newest first
    version=$(apt-cache search --names-only "^linux-image-[0-9][0-9.]*-[0-9]+-$arch-dbg\$" |
        sed -n "s/^linux-image-\([0-9.]*-[0-9]*\)-$arch-dbg .*/\1/p" | sort -V | tail -n 1)
    [ -n "$version" ] || { echo "fetch-debian-kernel: apt knows no linux-image-*-$arch-dbg package" >&2; exit 1; }
fi
release="$version-$arch"
cache=${TRACESIM_CACHE:-$HOME/.cache/tracesim}/debian/$release
if [ -s "$cache/vmlinux" ]; then echo "$cache/vmlinux"; exit 0; fi

work=$(mktemp -d "${TMPDIR:-/tmp}/tracesim-kernel.XXXXXX")
trap 'rm -rf "$work"' EXIT
chmod 755 "$work" # apt-get download runs as _apt when it can
cd "$work"
echo "fetch-debian-kernel: downloading linux-image-$release-dbg (large) ..." >&2
apt-get download "linux-image-$release-dbg:$arch" >&2
# System.map ships in the unsigned image (amd64) or the image itself.
apt-get download "linux-image-$release-unsigned:$arch" >&2 2>/dev/null ||
    apt-get download "linux-image-$release:$arch" >&2
# Only the two files: the -dbg package also holds every module's debug info (GBs).
mkdir extracted
for deb in ./*.deb; do
    dpkg-deb --fsys-tarfile "$deb" |
        tar -x -C extracted --wildcards --no-anchored "vmlinux-$release" "System.map-$release" 2>/dev/null || true
done

vmlinux=$(find extracted -type f \( -name "vmlinux-$release" -o -path "*/$release/vmlinux" \) | head -n 1)
map=$(find extracted -type f -name "System.map-$release" | head -n 1)
[ -n "$vmlinux" ] || { echo "fetch-debian-kernel: no vmlinux in the packages" >&2; exit 1; }
mkdir -p "$cache"
mv "$vmlinux" "$cache/vmlinux"
# Debian's image ships a one-line placeholder System.map; the vmlinux has the symbols.
if [ -n "$map" ] && [ "$(wc -l < "$map")" -gt 1 ]; then mv "$map" "$cache/System.map"; fi
echo "$cache/vmlinux"
