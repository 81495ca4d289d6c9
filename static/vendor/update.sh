#!/usr/bin/env bash
# Refresh the vendored front-end packages from the npm registry.
# Usage: static/vendor/update.sh [workdir]   (needs node and npm; run from anywhere)
# Copies only the built files the portal serves, plus each package's licence, and strips the
# source-map comments (the maps are not shipped, and the manifest static storage would fail on them).
set -euo pipefail

VENDOR="$(cd "$(dirname "$0")" && pwd)"
WORK="${1:-$(mktemp -d)}"
mkdir -p "$WORK"
cd "$WORK"
[ -f package.json ] || npm init -y >/dev/null
npm install --no-audit --no-fund @uswds/uswds htmx.org chart.js >/dev/null

strip_map() { sed -i -e '/sourceMappingURL=/d' "$@"; }

# USWDS: CSS, JS, the woff2 fonts and the images its CSS references, and the icon sprite.
SRC=node_modules/@uswds/uswds
DST="$VENDOR/uswds"
rm -rf "$DST"
mkdir -p "$DST/css" "$DST/js" "$DST/img"
cp "$SRC/LICENSE.md" "$DST/"
cp "$SRC/dist/css/uswds.min.css" "$DST/css/"
cp "$SRC/dist/js/uswds.min.js" "$SRC/dist/js/uswds-init.min.js" "$DST/js/"
cp "$SRC/dist/img/sprite.svg" "$DST/img/"
strip_map "$DST/css/uswds.min.css" "$DST/js/uswds.min.js" "$DST/js/uswds-init.min.js"
grep -o 'url(\.\./[^)]*)' "$DST/css/uswds.min.css" | sed -e 's/^url(\.\.\///' -e 's/)$//' | sort -u |
  while read -r asset; do
    mkdir -p "$DST/$(dirname "$asset")"
    cp "$SRC/dist/$asset" "$DST/$asset"
  done

# htmx
DST="$VENDOR/htmx"
rm -rf "$DST"
mkdir -p "$DST"
cp node_modules/htmx.org/LICENSE "$DST/"
cp node_modules/htmx.org/dist/htmx.min.js "$DST/"
strip_map "$DST/htmx.min.js"

# Chart.js
DST="$VENDOR/chartjs"
rm -rf "$DST"
mkdir -p "$DST"
cp node_modules/chart.js/LICENSE.md "$DST/"
cp node_modules/chart.js/dist/chart.umd.min.js "$DST/"
strip_map "$DST/chart.umd.min.js"

for p in @uswds/uswds htmx.org chart.js; do
  printf '%s %s\n' "$p" "$(node -p "require('./node_modules/$p/package.json').version")"
done
