#!/bin/bash
# The layers depend one way (docs/architecture.md): a file may include headers of its own layer
# and of the layers below it, never above. base -> isa -> timing -> sim -> report -> cli.
# Usage: layers.sh SOURCE_DIR. Prints each violation as file:line and exits 1 if there is any.
set -u
cd "$1" || exit 2
rank() {
    case "$1" in
    base) echo 0 ;; isa) echo 1 ;; timing) echo 2 ;; sim) echo 3 ;; report) echo 4 ;; cli) echo 5 ;;
    *) echo -1 ;;
    esac
}
bad=0
for layer in base isa timing sim report cli; do
    own=$(rank "$layer")
    while IFS=: read -r file line text; do
        target=$(sed -E 's/.*#include "([a-z_]+)\/.*/\1/' <<<"$text")
        r=$(rank "$target")
        if [ "$r" -gt "$own" ]; then
            echo "$file:$line: $layer/ includes $target/, a layer above it: $text"
            bad=1
        fi
    done < <(grep -rn '^#include "' "$layer" --include='*.h' --include='*.cpp')
done
[ "$bad" = 0 ] && echo "layers: every #include points down or sideways"
exit "$bad"
