#!/usr/bin/env bash
# Opens SVG charts in headless Chromium and fails if any two text elements overlap or a text
# element leaves its canvas. Each chart is inlined into one page; a script there reads every
# <text>'s bounding box as the browser laid it out (getBoundingClientRect: the glyphs' real
# extent in the fonts Chromium picked, rotations included) and writes its verdict into the page,
# which --dump-dom prints. Exit 0: all clean; 1: a collision (listed); 77: no Chromium (skipped).
#   check_layout.sh chart.svg...
set -euo pipefail
chromium_bin=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium_bin" ]; then
    echo "SKIP: no chromium (Debian package chromium; make deps installs it)"
    exit 77
fi
[ $# -gt 0 ] || { echo "usage: $0 chart.svg..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
page=$work/charts.html
{
    echo '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
    for svg in "$@"; do
        echo "<div data-file=\"$svg\">"
        sed '/^<?xml/d' "$svg"
        echo '</div>'
    done
    cat <<'EOF'
<pre id="verdict"></pre>
<script>
const problems = [];
let texts = 0;
const slack = 0.5; // px: anti-aliasing, not layout
for (const div of document.querySelectorAll('div[data-file]')) {
  const file = div.dataset.file;
  const svg = div.querySelector('svg');
  const canvas = svg.getBoundingClientRect();
  const boxes = [...svg.querySelectorAll('text')]
    .filter(t => t.textContent.trim() !== '')
    .map(t => ({text: t.textContent, r: t.getBoundingClientRect()}));
  texts += boxes.length;
  for (const b of boxes)
    if (b.r.left < canvas.left - slack || b.r.right > canvas.right + slack ||
        b.r.top < canvas.top - slack || b.r.bottom > canvas.bottom + slack)
      problems.push(`${file}: "${b.text}" leaves the canvas`);
  for (let i = 0; i < boxes.length; ++i)
    for (let j = i + 1; j < boxes.length; ++j) {
      const a = boxes[i].r, b = boxes[j].r;
      if (a.left < b.right - slack && b.left < a.right - slack &&
          a.top < b.bottom - slack && b.top < a.bottom - slack)
        problems.push(`${file}: "${boxes[i].text}" overlaps "${boxes[j].text}"`);
    }
}
document.getElementById('verdict').textContent = problems.length
  ? 'LAYOUT-CHECK FAIL' + problems.map(p => ' ;; ' + p).join('')
  : `LAYOUT-CHECK OK ${texts} texts in ${document.querySelectorAll('div[data-file]').length} charts`;
</script></body></html>
EOF
} > "$page"
# The flags keep a closed network quiet (no background connections, sync or updates).
out=$("$chromium_bin" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$work/profile" --window-size=1200,900 --dump-dom "file://$page" 2>"$work/err") || {
    echo "chromium failed:"; tail -5 "$work/err"; exit 1; }
verdict=$(printf '%s\n' "$out" | sed -n 's/.*<pre id="verdict">\(.*\)<\/pre>.*/\1/p' |
    sed 's/ ;; /\n/g; s/&quot;/"/g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g')
echo "$verdict"
case "$verdict" in
"LAYOUT-CHECK OK"*) exit 0 ;;
*) exit 1 ;;
esac
