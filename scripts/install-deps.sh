#!/usr/bin/env bash
# Installs the Debian packages tracesim needs, only those that are missing.
# Run as root (apt-get); prints nothing when everything is present.
set -euo pipefail
packages=(
    g++ cmake ninja-build make pkg-config
    llvm-19-dev          # MC assembler/disassembler, MCA timing pipeline (shared libLLVM)
    lld-19               # ld.lld-19: the tests link "vmlinux" images (arm64 too) from kernels/*.S
    libunicorn-dev       # the emulated CPUs
    libfmt-dev           # formatting
    doctest-dev          # tests
    libtomlplusplus-dev  # scenario, catalogue and core-profile files
    libcli11-dev         # command line
    librsvg2-bin         # rsvg-convert: --format png/pdf, and the tests render the charts
    chromium             # tests/charts: the charts laid out in a real browser (text overlap)
    qemu-system-x86      # tracesim boot: real x86_64 kernels under TCG, with our plugin
    qemu-system-arm      # tracesim boot: real arm64 kernels (qemu-system-aarch64)
    busybox-static       # the x86_64 guest's shell and tools (arm64's is fetched from Debian)
    gcc-aarch64-linux-gnu libc6-dev-arm64-cross # the arm64 guest agent, linked static
    clang-19 libclang-rt-19-dev # make test-asan / make fuzz: libFuzzer targets (gcc has none)
)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm fetches speedscope for the timeline-export test (tests/charts/speedscope.sh); a machine
# whose Node.js already brings npm keeps it.
command -v npm >/dev/null 2>&1 || missing+=(npm)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "tracesim: installing missing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -ne 0 ]; then
    echo "tracesim: need root to install packages (try: sudo $0)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
