#!/usr/bin/env bash
# Benchmark: azengage's cost-export reader against pandas on a 1,000,000-row FOCUS 1.0 export.
#
#   bench/costs.sh [ROWS]        (default 1000000; work files go to ${BENCH_DIR:-/tmp/azengage-bench};
#                                 AZENGAGE_BIN=path skips the release build and times that binary)
#
# Generates the export (bench/gen_focus.py: every column of Azure's FOCUS 1.0 export, values of realistic
# length), builds azengage in release, then runs each tool once under /usr/bin/time -v and prints wall time
# and peak resident memory side by side with the ratios. Targets: azengage at least 5x faster than pandas,
# and under 200 MB peak memory. Nothing here is a test: it prints figures.
set -euo pipefail

ROWS="${1:-1000000}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(dirname "$HERE")"
DIR="${BENCH_DIR:-/tmp/azengage-bench}"
CSV="$DIR/focus-${ROWS}.csv"
mkdir -p "$DIR"

if [ ! -s "$CSV" ]; then
  echo "generating $CSV ($ROWS rows)..."
  python3 "$HERE/gen_focus.py" "$CSV" "$ROWS"
fi
echo "export: $(du -m "$CSV" | cut -f1) MB, $ROWS rows"

if [ ! -x "$DIR/venv/bin/python" ]; then
  echo "creating a venv with pandas..."
  python3 -m venv "$DIR/venv"
  "$DIR/venv/bin/pip" install --quiet pandas
fi

if [ -n "${AZENGAGE_BIN:-}" ]; then
  AZENGAGE="$AZENGAGE_BIN" # an already built release binary
else
  echo "building azengage (release)..."
  (cd "$ROOT" && cargo build --release --quiet)
  AZENGAGE="$ROOT/target/release/azengage"
fi

# Run "$@" under /usr/bin/time -v; print "seconds peak_kb" from its report.
measure() {
  local log="$DIR/time.log"
  /usr/bin/time -v "$@" > "$DIR/out.txt" 2> "$log"
  local wall rss
  wall=$(grep "Elapsed (wall clock)" "$log" | awk '{print $NF}')
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $NF}')
  # wall is h:mm:ss or m:ss.cc
  python3 -c "
import sys
parts = sys.argv[1].split(':')
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(parts)))
print(f'{secs:.2f} {sys.argv[2]}')" "$wall" "$rss"
}

# The page cache holds the file after generation; read it once more so both tools start warm.
cat "$CSV" > /dev/null

read -r az_s az_kb < <(measure "$AZENGAGE" costs "$CSV" --format json)
az_total=$(python3 -c "import json; print(json.load(open('$DIR/out.txt'))['total'])")
read -r pd_s pd_kb < <(measure "$DIR/venv/bin/python" "$HERE/pandas_costs.py" "$CSV")
pd_out=$(cat "$DIR/out.txt")

python3 - "$az_s" "$az_kb" "$pd_s" "$pd_kb" "$az_total" "$pd_out" <<'PY'
import sys
az_s, az_kb, pd_s, pd_kb = (float(x) for x in sys.argv[1:5])
print()
print(f"{'':24}{'wall (s)':>12}{'peak RSS (MB)':>16}")
print(f"{'azengage costs --json':24}{az_s:>12.2f}{az_kb / 1024:>16.1f}")
print(f"{'pandas read_csv+groupby':24}{pd_s:>12.2f}{pd_kb / 1024:>16.1f}")
print(f"{'pandas / azengage':24}{pd_s / az_s:>11.1f}x{pd_kb / az_kb:>15.1f}x")
print()
print(f"azengage total: {sys.argv[5]}   pandas: {sys.argv[6]}")
faster = pd_s / az_s >= 5
small = az_kb / 1024 < 200
print(f"target >= 5x faster: {'met' if faster else 'MISSED'}; target < 200 MB: {'met' if small else 'MISSED'}")
PY
