#!/usr/bin/env bash
# A real consumer of `tracesim trace --format perfetto`: speedscope (npm package, pinned) opened
# offline in headless Chromium, the export loaded the way speedscope's own CLI loads a file
# (a local script calling speedscope.loadFileFromBase64). Passes when speedscope names the file
# in its title and lists our tracks; an import error is an alert, caught and reported.
# The package is fetched once into ~/.cache/tracesim/npm. Exit 77 (skipped) without Chromium,
# npm or the package.
#   speedscope.sh <tracesim>
set -euo pipefail
tracesim=$1
version=1.25.0
chromium_bin=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chromium_bin" ] || { echo "SKIP: no chromium (make deps installs it)"; exit 77; }
cache=${XDG_CACHE_HOME:-$HOME/.cache}/tracesim/npm
app=$cache/speedscope-$version/package/dist/release/index.html
if [ ! -f "$app" ]; then
    command -v npm >/dev/null || { echo "SKIP: no npm to fetch speedscope"; exit 77; }
    mkdir -p "$cache/speedscope-$version"
    (cd "$cache/speedscope-$version" && npm pack --silent "speedscope@$version" >/dev/null 2>&1 &&
        tar xzf "speedscope-$version.tgz") || { echo "SKIP: npm could not fetch speedscope@$version"; exit 77; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
status=0
for case in "x86_64 kretprobe" "arm64 trig-kretprobe"; do
    set -- $case
    "$tracesim" trace --arch "$1" --path "$2" --format perfetto -o "$work/$2.json"
    {
        echo 'window.alert = m => { document.title = "ALERT: " + m; };'
        printf 'speedscope.loadFileFromBase64("%s.json", "%s");\n' "$2" "$(base64 -w0 "$work/$2.json")"
    } > "$work/load.js"
    # Under a loaded machine headless Chromium can dump the DOM after speedscope has set the
    # title but before it has drawn the track list; a dump like that is retried (three tries),
    # an import error (an alert) or a wrong title is not.
    for try in 1 2 3; do
        dom=$("$chromium_bin" --headless --no-sandbox --disable-gpu --no-first-run \
            --disable-background-networking --disable-component-update --disable-sync \
            --user-data-dir="$work/profile-$2-$try" --allow-file-access-from-files \
            --virtual-time-budget=10000 --window-size=1200,800 \
            --dump-dom "file://$app#localProfilePath=$work/load.js" 2>/dev/null)
        title=$(printf '%s' "$dom" | sed -n 's/.*<title>\([^<]*\)<\/title>.*/\1/p' | head -1)
        tracks=$(printf '%s' "$dom" | grep -c "in flight 0" || true)
        [ "$title" = "$2.json - speedscope" ] && [ "$tracks" = 0 ] || break
        echo "$1 $2: try $try: titled but no track list yet"
    done
    if [ "$title" = "$2.json - speedscope" ] && [ "$tracks" != 0 ]; then
        echo "$1 $2: speedscope imported $(stat -c %s "$work/$2.json") B ($title)"
    else
        [ "$tracks" = 0 ] && lists="no track list" || lists="a track list"
        echo "$1 $2: speedscope did not import it: ${title:-no title}, $lists"
        status=1
    fi
done
exit $status
