#!/usr/bin/env bash
# Regenerate the sample escalation pack and the README's pictures of it:
#
#   scripts/make-example-pack.sh
#
# writes examples/pack/contoso-pack.html (the page `azengage pack` makes for the demo repository of
# scripts/make-demo-repo.sh, with the demo's Cost Management export from scripts/gen-example-costs.py) and
# docs/images/pack-page-1.png and pack-page-2.png (the page printed to A4 by headless Chromium, rasterised by
# pdftoppm). Needs git, python3, a Chromium-family browser and poppler-utils (Debian: apt-get install chromium
# poppler-utils). Deterministic apart from the browser's version: the HTML is the same bytes on every run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$root"
scripts/make-demo-repo.sh "$work/contoso-demo" >/dev/null
python3 scripts/gen-example-costs.py --contoso "$work/costs" >/dev/null
cargo build --quiet
mkdir -p examples/pack docs/images
target/debug/azengage pack "$work/contoso-demo" --as-of 2026-11-23 --costs "$work/costs" \
  --out examples/pack/contoso-pack.html --pdf "$work/contoso-pack.pdf"
pages="$(pdfinfo "$work/contoso-pack.pdf" | awk '/^Pages:/ { print $2 }')"
echo "the pack prints on $pages A4 page(s)"
rm -f docs/images/pack-page-*.png
pdftoppm -png -r 64 "$work/contoso-pack.pdf" docs/images/pack-page
ls -l examples/pack/contoso-pack.html docs/images/pack-page-*.png
