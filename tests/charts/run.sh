#!/usr/bin/env bash
# The charts as a speaker gets them: every shipped scenario's chart (stacked as shipped, and
# grouped), the committed results/*.svg and a crowded stress case, rendered by tracesim, then
#   png   each one as --format png and pdf: a real PNG/PDF of the SVG's size (rsvg-convert);
#   layout  every chart in headless Chromium: no two texts overlap, none leaves the canvas.
#   run.sh <tracesim> <source dir> png|layout
set -euo pipefail
tracesim=$1 src=$2 mode=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
charts=()
for s in "$src"/scenarios/*.toml "$src"/tests/charts/crowded.toml; do
    n=$(basename "$s" .toml)
    "$tracesim" run "$s" --format svg -o "$work/$n.svg"
    charts+=("$work/$n.svg")
    # the same scenario as grouped bars (the other chart kind)
    sed -E 's/^chart = \{ metric = ("[a-z_]+").*/chart = { metric = \1, stack = "none" }/' "$s" \
        > "$work/$n-grouped.toml"
    "$tracesim" run "$work/$n-grouped.toml" --format svg -o "$work/$n-grouped.svg"
    charts+=("$work/$n-grouped.svg")
done
case "$mode" in
png)
    for s in "$src"/scenarios/*.toml; do
        n=$(basename "$s" .toml)
        "$tracesim" run "$s" --format png -o "$work/$n.png"
        "$tracesim" run "$s" --format pdf -o "$work/$n.pdf"
        head -c 8 "$work/$n.png" | od -An -tx1 | grep -q "89 50 4e 47 0d 0a 1a 0a" ||
            { echo "$n.png is not a PNG"; exit 1; }
        head -c 5 "$work/$n.pdf" | grep -q "%PDF-" || { echo "$n.pdf is not a PDF"; exit 1; }
        # the PNG is the SVG's size: width and height from the IHDR chunk
        size=$(od -An -tu1 -j16 -N8 "$work/$n.png" | awk '{print $1*16777216+$2*65536+$3*256+$4 "x" $5*16777216+$6*65536+$7*256+$8}')
        want=$(sed -n 's/^<svg [^>]*width="\([0-9]*\)" height="\([0-9]*\)".*/\1x\2/p' "$work/$n.svg")
        [ "$size" = "$want" ] || { echo "$n.png is $size, its SVG $want"; exit 1; }
        [ "$(stat -c %s "$work/$n.png")" -gt 10000 ] || { echo "$n.png is nearly empty"; exit 1; }
        # the same chart, the same bytes (the PDF's date is fixed)
        "$tracesim" run "$s" --format pdf -o "$work/$n.again.pdf"
        cmp -s "$work/$n.pdf" "$work/$n.again.pdf" || { echo "$n.pdf differs between runs"; exit 1; }
        echo "$n: png $size, pdf $(stat -c %s "$work/$n.pdf") B"
    done
    ;;
layout)
    exec bash "$src/tests/charts/check_layout.sh" "${charts[@]}" "$src"/results/*.svg \
        "$src"/tests/golden/*.svg
    ;;
*) echo "mode: png | layout" >&2; exit 2 ;;
esac
