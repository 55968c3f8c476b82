#!/usr/bin/env bash
# Fetches what `tracesim boot` boots: a Debian kernel image (and its config) and Debian's static
# busybox, for amd64 or arm64, into a cache outside the repository, and prints their paths.
#
#   scripts/fetch-boot-kernel.sh kernel ARCH VERSION   -> image=PATH, config=PATH (or empty)
#   scripts/fetch-boot-kernel.sh busybox ARCH          -> busybox=PATH
#     ARCH     amd64 | arm64 (x86_64, aarch64 accepted)
#     VERSION  a Debian ABI name (6.1.0-57-cloud-amd64, 6.12.117+deb13-cloud-arm64,
#              7.3.4+deb13-cloud-amd64), or SUITE[:FLAVOUR] for the newest kernel of a suite:
#              bookworm, trixie, trixie-backports or sid; FLAVOUR defaults to cloud, and
#              `sid:` is the flavour-less kernel (amd64 / arm64)
#   TRACESIM_CACHE  cache folder (default ~/.cache/tracesim); files go under boot/
#
# apt runs with a private configuration under the cache (its own sources list, built from this
# host's Debian mirrors, and its own lists), so the host's apt setup is never changed and
# arm64 packages need no `dpkg --add-architecture`. The lists are refreshed once a day at most;
# a cached kernel is printed without any network access. Errors: one line on stderr starting
# "fetch-boot-kernel:", exit 1 (2 for usage errors).
set -euo pipefail

die() { echo "fetch-boot-kernel: $*" >&2; exit 1; }
usage() {
    echo "fetch-boot-kernel: $*" >&2
    echo "usage: $0 kernel ARCH VERSION | busybox ARCH" >&2
    exit 2
}

what=${1:-}
case "$what" in
    kernel) [ $# -eq 3 ] || usage "kernel wants ARCH and VERSION" ;;
    busybox) [ $# -eq 2 ] || usage "busybox wants ARCH" ;;
    *) usage "unknown command '${what}'" ;;
esac
case "$2" in
    amd64 | x86_64) arch=amd64 ;;
    arm64 | aarch64) arch=arm64 ;;
    *) usage "unknown arch '$2' (amd64 or arm64)" ;;
esac

cache=${TRACESIM_CACHE:-${HOME:-/tmp}/.cache/tracesim}/boot
P=$cache/apt
mkdir -p "$cache/$arch" "$P/lists/partial" "$P/cache/archives/partial"

# ---- the private apt ----

mkdir -p "$P/empty.d"
# Nothing of the host's apt setup but its keyring: no other sources, no pinning. The cache sits
# in a home folder _apt cannot enter, so apt downloads as the caller (it would anyway, warning).
apt_opts=(
    -o "Dir::Etc::SourceList=$P/sources.list" -o "Dir::Etc::SourceParts=$P/empty.d"
    -o "Dir::Etc::Preferences=$P/empty.d/none" -o "Dir::Etc::PreferencesParts=$P/empty.d"
    -o "Dir::State::Lists=$P/lists" -o "Dir::Cache=$P/cache"
    -o APT::Architectures::=amd64 -o APT::Architectures::=arm64 -o Acquire::Languages=none
    -o APT::Sandbox::User=root
)

# The first URI of this host's apt sources whose path ends in /$1 (debian, debian-security):
# one-line `deb` entries and deb822 `URIs:` fields alike. No mirror is named in this script.
host_mirror() {
    local want=$1 files=() f uri
    [ -f /etc/apt/sources.list ] && files+=(/etc/apt/sources.list)
    for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] && files+=("$f")
    done
    [ ${#files[@]} -gt 0 ] || return 0
    # Words, not lines: a deb822 URIs: field may list several.
    # shellcheck disable=SC2013
    for uri in $(sed -n -e 's/#.*//' \
            -e 's/^[[:space:]]*URIs:[[:space:]]*//p' \
            -e 's/^[[:space:]]*deb[[:space:]]\+\(\[[^]]*\][[:space:]]*\)\?\([^[:space:]]\+\).*/\2/p' \
            "${files[@]}"); do
        uri=${uri%/}
        if [ "${uri##*/}" = "$want" ]; then echo "$uri"; return 0; fi
    done
}

# Writes the private sources list and refreshes the lists when they are missing, a day old, or
# the list changed. A suite whose index fails (apt says which) is left out, not fatal: only the
# package looked up later has to be found.
apt_update() {
    local main security opts="[arch=amd64,arm64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]"
    main=$(host_mirror debian)
    security=$(host_mirror debian-security)
    [ -n "$main" ] || die "no Debian mirror in this host's apt sources (/etc/apt/sources.list, /etc/apt/sources.list.d): no URI ending in /debian"
    {
        for s in bookworm bookworm-updates trixie trixie-updates trixie-backports sid; do
            echo "deb $opts $main $s main"
        done
        if [ -n "$security" ]; then
            echo "deb $opts $security bookworm-security main"
            echo "deb $opts $security trixie-security main"
        fi
    } > "$P/sources.list.new"
    if ! cmp -s "$P/sources.list.new" "$P/sources.list" 2>/dev/null; then
        mv "$P/sources.list.new" "$P/sources.list"
        rm -f "$P/updated"
    else
        rm -f "$P/sources.list.new"
    fi
    if [ -z "$(find "$P/updated" -mmin -1440 2>/dev/null)" ]; then
        [ -n "$security" ] || echo "fetch-boot-kernel: no debian-security mirror in this host's apt sources: security updates left out" >&2
        echo "fetch-boot-kernel: updating the package lists (private, under $P) ..." >&2
        apt-get "${apt_opts[@]}" -q update >&2 || true
        if compgen -G "$P/lists/*_Packages*" > /dev/null; then touch "$P/updated"; fi
    fi
    compgen -G "$P/lists/*_Packages*" > /dev/null || die "apt could not download any package list (see apt's errors above)"
}

# The suites a shorthand covers: its updates and security fixes belong to it.
suite_group() {
    case "$1" in
        bookworm | trixie) echo "$1 $1-updates $1-security" ;;
        *) echo "$1" ;;
    esac
}

# "PACKAGE VERSION SOURCE" for every package of the given suites (for $arch), from the lists.
packages() {
    local suite f files=()
    for suite in "$@"; do
        for f in "$P"/lists/*_dists_"${suite}"_main_binary-"${arch}"_Packages*; do
            [ -f "$f" ] && files+=("$f")
        done
    done
    [ ${#files[@]} -gt 0 ] || return 0
    /usr/lib/apt/apt-helper cat-file "${files[@]}" | awk '
        function emit() { if (p != "") print p, v, (s == "" ? p : s); p = v = s = "" }
        /^Package: / { emit(); p = $2 }
        /^Version: / { v = $2 }
        /^Source: / { s = $2 }
        END { emit() }'
}

# "ABI VERSION SOURCE PACKAGE" for each kernel image package of the suites: the 6.x naming
# (linux-image-ABI-unsigned) and 7.x's (linux-binary-unsigned-ABI; linux-image-ABI is a meta
# package there).
kernels() {
    packages "$@" | awk '
        $1 ~ /^linux-image-[0-9].*-unsigned$/ { print substr($1, 13, length($1) - 21), $2, $3, $1 }
        $1 ~ /^linux-binary-unsigned-[0-9]/ { print substr($1, 23), $2, $3, $1 }'
}

# A name as a regex that matches only itself (ABI names hold letters, digits, . + -): the
# bracket form, because awk -v would eat backslashes.
re_quote() { printf '%s' "$1" | sed 's/[.+]/[&]/g'; }

# "ABI ..." lines whose ABI is VERSION-SUFFIX exactly (SUFFIX: cloud-amd64, amd64, rt-arm64...).
with_suffix() {
    local re
    re="^[0-9]+[.][0-9]+([.][0-9]+)?(-[0-9]+|[+]deb[0-9]+)-$(re_quote "$1")\$"
    awk -v re="$re" '$1 ~ re'
}

# What exists, for an error message: each suite's ABIs with SUFFIX, or its flavours.
known_kernels() {
    local suffix=$1 g list out=""
    for g in bookworm trixie trixie-backports sid; do
        # shellcheck disable=SC2046
        list=$(kernels $(suite_group "$g") | with_suffix "$suffix" | sort -k2,2V | awk '{print $1}' | uniq | tr '\n' ' ')
        [ -n "$list" ] && out+="; $g: ${list% }"
    done
    echo "${out#; }"
}

# Downloads PACKAGE=VERSION for $arch into the directory $1 (apt verifies it against the lists).
download() {
    local dir=$1
    shift
    (cd "$dir" && apt-get "${apt_opts[@]}" -q download "$@" >&2) || die "apt could not download $*"
}

# Extracts the package member matching the extended regex $2 of the .deb $1 to the file $3.
extract() {
    local deb=$1 re=$2 out=$3 member
    member=$(dpkg-deb -c "$deb" | awk '{print $NF}' | grep -E "$re" | head -n 1) || true
    [ -n "$member" ] || return 1
    dpkg-deb --fsys-tarfile "$deb" | tar -x -O "$member" > "$out"
}

tmp=""
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# One fetch at a time per cache: apt's lists and the cache's files are shared.
exec 9> "$P/lock"
flock 9
# What a killed fetch left (it never reached the cache's own files).
find "$cache" -maxdepth 1 -name '.fetch.*' -mmin +60 -exec rm -rf {} + 2>/dev/null || true

# ---- busybox ----

# Is $1 a static ELF executable for $arch (no PT_INTERP program header)?
static_elf_for() {
    local file=$1 machine phoff phentsize phnum i type
    [ -f "$file" ] || return 1
    [ "$(od -An -tx1 -N4 "$file" | tr -d ' ')" = 7f454c46 ] || return 1
    machine=$(od -An -tu2 -j18 -N2 "$file" | tr -d ' ')
    case "$arch" in amd64) [ "$machine" = 62 ] ;; arm64) [ "$machine" = 183 ] ;; esac || return 1
    phoff=$(od -An -tu8 -j32 -N8 "$file" | tr -d ' ')
    phentsize=$(od -An -tu2 -j54 -N2 "$file" | tr -d ' ')
    phnum=$(od -An -tu2 -j56 -N2 "$file" | tr -d ' ')
    for ((i = 0; i < phnum; i++)); do
        type=$(od -An -tu4 -j$((phoff + i * phentsize)) -N4 "$file" | tr -d ' ')
        [ "$type" != 3 ] || return 1
    done
}

if [ "$what" = busybox ]; then
    # This host's own busybox-static serves its own arch.
    if static_elf_for /bin/busybox; then echo "busybox=/bin/busybox"; exit 0; fi
    out=$cache/$arch/busybox
    if [ -s "$out" ]; then echo "busybox=$out"; exit 0; fi
    apt_update
    # bookworm's first (the version the agent was tested with), else the newest anywhere.
    version=$(packages bookworm bookworm-updates bookworm-security | awk '$1 == "busybox-static" {print $2}' | sort -V | tail -n 1)
    if [ -z "$version" ]; then
        # shellcheck disable=SC2046
        version=$(packages $(suite_group trixie) trixie-backports sid | awk '$1 == "busybox-static" {print $2}' | sort -V | tail -n 1)
    fi
    [ -n "$version" ] || die "no busybox-static package for $arch in the package lists"
    tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
    download "$tmp" "busybox-static:$arch=$version"
    extract "$tmp"/busybox-static_*.deb '(^|/)bin/busybox$' "$tmp/busybox" || die "busybox-static $version has no bin/busybox"
    chmod 755 "$tmp/busybox"
    static_elf_for "$tmp/busybox" || die "busybox-static $version's busybox is not a static $arch executable"
    mv "$tmp/busybox" "$out"
    echo "busybox=$out"
    exit 0
fi

# ---- the kernel ----

version=$3
case "$version" in
    [0-9]*)
        abi=$version
        case "$abi" in *-"$arch" | *-"$arch"-*) ;; *) usage "$abi is not an $arch kernel's ABI name" ;; esac
        ;;
    *)
        suite=${version%%:*}
        case "$suite" in bookworm | trixie | trixie-backports | sid) ;; *) usage "unknown suite '$suite' (bookworm, trixie, trixie-backports, sid)" ;; esac
        flavour=cloud
        [ "$suite" = "$version" ] || flavour=${version#*:}
        # cloud -> cloud-amd64; empty -> amd64; a full flavour name (arm64-16k) as it is.
        case "$flavour" in
            "") suffix=$arch ;;
            "$arch" | "$arch"-* | *-"$arch") suffix=$flavour ;;
            *) suffix=$flavour-$arch ;;
        esac
        # A day's resolution is kept with the lists, so a repeated call needs no network.
        resolved=$P/resolved-$arch-$suite-$suffix
        abi=""
        if [ -n "$(find "$resolved" -mmin -1440 2>/dev/null)" ]; then abi=$(cat "$resolved"); fi
        if [ -z "$abi" ] || [ ! -s "$cache/$arch/$abi/vmlinuz" ]; then
            apt_update
            # The suite's own kernel (source package linux), not a newer line backported into
            # it (bookworm-security's linux-6.12).
            # shellcheck disable=SC2046
            abi=$(kernels $(suite_group "$suite") | awk '$3 == "linux"' | with_suffix "$suffix" | sort -k2,2V | tail -n 1 | awk '{print $1}')
            if [ -z "$abi" ]; then
                # shellcheck disable=SC2046
                flavours=$(kernels $(suite_group "$suite") | sed -n "s/^[0-9][^-]*\(-[0-9][0-9]*\)\?-\([^ ]*\) .*/\2/p" | grep -- "$arch" | sort -u | tr '\n' ' ')
                die "$suite has no $suffix kernel (its $arch flavours: ${flavours% })"
            fi
            echo "$abi" > "$resolved.new" && mv "$resolved.new" "$resolved"
        fi
        ;;
esac

dir=$cache/$arch/$abi
if [ -s "$dir/vmlinuz" ]; then
    config=""
    [ ! -s "$dir/config" ] || config=$dir/config
    echo "image=$dir/vmlinuz"
    echo "config=$config"
    exit 0
fi

apt_update
# shellcheck disable=SC2046
found=$(kernels $(suite_group bookworm) $(suite_group trixie) trixie-backports sid | awk -v abi="$abi" '$1 == abi' | sort -k2,2V | tail -n 1)
if [ -z "$found" ]; then
    suffix=$(echo "$abi" | sed -n 's/^[0-9][^-]*\(-[0-9][0-9]*\)\?-//p')
    die "no Debian kernel $abi for $arch (${suffix} kernels: $(known_kernels "$suffix"))"
fi
read -r _ pkgver _ pkg <<< "$found"

tmp=$(mktemp -d "$cache/.fetch.XXXXXX")
echo "fetch-boot-kernel: downloading $pkg $pkgver ($arch) ..." >&2
case "$pkg" in
    linux-binary-unsigned-*)
        # 7.x: the image is in linux-binary-unsigned-ABI, the config in linux-base-ABI.
        download "$tmp" "$pkg:$arch=$pkgver" "linux-base-$abi:$arch=$pkgver"
        ;;
    *) download "$tmp" "$pkg:$arch=$pkgver" ;;
esac
q=$(re_quote "$abi")
image_re="^[.]/(boot/vmlinuz-$q|usr/lib/modules/$q/vmlinuz([.]unsigned)?)\$"
config_re="^[.]/(boot/config-$q|usr/lib/modules/$q/config)\$"
got_image="" got_config=""
for deb in "$tmp"/*.deb; do
    [ -n "$got_image" ] || { extract "$deb" "$image_re" "$tmp/vmlinuz" && got_image=1; } || true
    [ -n "$got_config" ] || { extract "$deb" "$config_re" "$tmp/config" && got_config=1; } || true
done
[ -n "$got_image" ] || die "$pkg $pkgver holds no kernel image for $abi"
# Renamed into place, the image last: a present vmlinuz means a complete entry.
mkdir -p "$dir"
[ -z "$got_config" ] || mv "$tmp/config" "$dir/config"
mv "$tmp/vmlinuz" "$dir/vmlinuz"
config=""
[ -z "$got_config" ] || config=$dir/config
echo "image=$dir/vmlinuz"
echo "config=$config"
