#!/usr/bin/env bash
# Rebuild impactkit/report/js/plotly-impactkit.min.js from npm: the exact packages of
# package-lock.json (plotly.js must be the version the plotly Python package embeds, so figures
# validated by plotly.py match the schema of the bundle). `make plotly-bundle` runs this;
# `make plotly-bundle-check` rebuilds into a temporary file and compares it with the shipped one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$(realpath -m "${1:-$here/../../impactkit/report/js/plotly-impactkit.min.js}")
# a fixed folder: the CSS the bundle injects is keyed by a hash of its absolute path
work=/tmp/impactkit-plotly-bundle
rm -rf "$work" && mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
cp "$here/package.json" "$here/package-lock.json" "$here/build.js" "$work/"
mkdir -p "$(dirname "$out")"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && node build.js "$out")
echo "$out: $(wc -c < "$out") bytes"
