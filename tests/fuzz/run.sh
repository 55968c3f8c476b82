#!/usr/bin/env bash
# Runs tracesim's fuzz targets: run.sh BUILD_DIR SECONDS [TARGET...] (default: every target),
# each for SECONDS or, with FUZZ_RUNS set, that many executions if they come first. The ctest
# smoke runs set FUZZ_SEED and FUZZ_FRESH (a fixed seed from an empty corpus): the same inputs
# on every run, so CI is not at the mercy of what a random run happens to reach.
# Each gets a corpus folder of its own under BUILD_DIR/fuzz/ (new inputs land there) and a seed
# folder of the shipped files it parses; a crash leaves its input as BUILD_DIR/fuzz/crash-* and
# fails the run. Prints the executions and coverage of each.
set -euo pipefail
build=$(cd "$1" && pwd); seconds=$2; shift 2
src=$(cd "$(dirname "$0")/../.." && pwd)
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(scenario catalogue core_profile baseline system_map image assembler)
out=$build/fuzz
mkdir -p "$out"

seed() { # seed TARGET: the shipped files it parses
    local t=$1 dir=$out/seeds-$1
    rm -rf "$dir"; mkdir -p "$dir"
    case $t in
    scenario) cp "$src"/scenarios/*.toml "$dir/" ;;
    catalogue) cp "$src/kernels/x86_64/paths.toml" "$dir/x86_64.toml"
               cp "$src/kernels/arm64/paths.toml" "$dir/arm64.toml" ;;
    core_profile) cp "$src"/isa/cores/*.toml "$dir/" ;;
    baseline) cp "$src"/results/baseline/*.json "$dir/" ;;
    system_map) cp "$src/tests/fuzz/seeds/System.map" "$dir/" ;;
    image) # a small x86_64 vmlinux-like ELF at a kernel address, and an arm64 Image header
        printf '\t.text\n\t.globl _text\n_text:\n\tnop\n\tret\n' > "$dir/t.s"
        llvm-mc-19 -triple=x86_64 -filetype=obj -o "$dir/t.o" "$dir/t.s"
        ld.lld-19 -Ttext=0xffffffff81000000 -e _text -o "$dir/vmlinux" "$dir/t.o"
        rm "$dir/t.s" "$dir/t.o"
        head -c 64 /dev/zero > "$dir/Image"; printf 'ARM\x64' | dd of="$dir/Image" bs=1 seek=56 conv=notrunc status=none ;;
    assembler) cp "$src"/kernels/x86_64/*/*.S "$dir/" ;;
    esac
    # Inputs that once crashed (fixed; kept so every run tries them first).
    [ -d "$src/tests/fuzz/regressions/$t" ] && cp "$src/tests/fuzz/regressions/$t"/* "$dir/"
    echo "$dir"
}

status=0
for t in "${targets[@]}"; do
    bin=$build/tests/fuzz/tracesim_fuzz
    [ -x "$bin" ] || { echo "fuzz: $bin is not built (configure with -DTRACESIM_FUZZ=ON)"; exit 1; }
    seeds=$(seed "$t")
    [ -n "${FUZZ_FRESH:-}" ] && rm -rf "$out/corpus-$t"
    mkdir -p "$out/corpus-$t"
    log=$out/$t.log
    # Leak checking off: the loaders' static tables live for the process by design.
    if ASAN_OPTIONS=detect_leaks=0 TRACESIM_FUZZ_TARGET=$t TRACESIM_HOME=$src "$bin" -max_total_time="$seconds" \
        ${FUZZ_RUNS:+-runs=$FUZZ_RUNS} ${FUZZ_SEED:+-seed=$FUZZ_SEED} -timeout=30 -rss_limit_mb=4096 \
        -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$out/" \
        "$out/corpus-$t" "$seeds" > "$log" 2>&1; then
        runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 || true)
        echo "fuzz $t: $runs executions, $cov, no crash"
    else
        echo "fuzz $t: FAILED (log: $log)"; tail -30 "$log"; status=1
    fi
done
exit $status
