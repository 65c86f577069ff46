#!/usr/bin/env bash
# Benchmark `azengage inventory` against the reference Python parsers IaC-scanner users rely on
# (python-hcl2 for .tf, pycep-parser for .bicep) on the same files: wall time, CPU time, files/s, MB/s and
# peak RSS, all from /usr/bin/time -v.
#
#   bench/peers.sh                 # a generated 10,000-file monorepo (bench/gen_monorepo.py)
#   bench/peers.sh DIR             # any checkout
#   FIXTURES=200 bench/peers.sh    # tests/fixtures/{terraform,bicep,arm} replicated 200 times
#
# Environment: BENCH_DIR (work dir, default /tmp/azengage-bench), BENCH_FILES (default 10000),
# SKIP_BUILD=1 (use the existing target/release/azengage), PEERS=0 (azengage only).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/azengage-bench}
mkdir -p "$work"

if [[ $# -ge 1 ]]; then
  target=$(cd "$1" && pwd)
elif [[ -n "${FIXTURES:-}" ]]; then
  target=$work/fixtures-x$FIXTURES
  if [[ ! -d $target ]]; then
    for i in $(seq 1 "$FIXTURES"); do
      mkdir -p "$target/copy$i"
      cp -r "$repo/tests/fixtures/terraform" "$repo/tests/fixtures/bicep" "$repo/tests/fixtures/arm" "$target/copy$i/"
    done
  fi
else
  target=$work/monorepo-${BENCH_FILES:-10000}
  [[ -d $target ]] || python3 "$repo/bench/gen_monorepo.py" "$target" --files "${BENCH_FILES:-10000}"
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$repo" && cargo build --release --quiet)
fi
azengage=${AZENGAGE:-$repo/target/release/azengage}

venv=$work/venv
if [[ "${PEERS:-1}" == 1 && ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet python-hcl2 pycep-parser
fi

# measure NAME FILES BYTES CMD...: run CMD under /usr/bin/time -v and print one row.
results=$work/results.tsv
: > "$results"
measure() {
  local name=$1 files=$2 bytes=$3
  shift 3
  local log=$work/time-$name.log
  /usr/bin/time -v "$@" > "$work/out-$name.txt" 2> "$log" || { echo "$name failed:"; tail -5 "$log"; return 1; }
  local wall user sys rss
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  user=$(grep 'User time' "$log" | awk '{print $NF}')
  sys=$(grep 'System time' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$files" "$bytes" "$wall" "$(echo "$user + $sys" | bc)" "$rss" >> "$results"
}

count() { find "$target" \( -name .git -o -name node_modules -o -name .terraform \) -prune -o -type f -name "$1" -print0 | du -cb --files0-from=- 2>/dev/null | tail -1 | cut -f1; }
nfiles() { find "$target" \( -name .git -o -name node_modules -o -name .terraform \) -prune -o -type f -name "$1" -print | wc -l; }

tf_files=$(nfiles '*.tf'); tf_bytes=$(count '*.tf')
bicep_files=$(nfiles '*.bicep'); bicep_bytes=$(count '*.bicep')
json_files=$(nfiles '*.json'); json_bytes=$(count '*.json')
param_files=$(nfiles '*.bicepparam'); param_bytes=$(count '*.bicepparam')
all_files=$((tf_files + bicep_files + json_files + param_files))
all_bytes=$((tf_bytes + bicep_bytes + json_bytes + param_bytes))

echo "target: $target"
echo "files: $tf_files .tf, $bicep_files .bicep, $param_files .bicepparam, $json_files .json ($all_bytes bytes)"
echo "cpus: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"

# One warm-up so that every tool reads from the page cache.
"$azengage" inventory "$target" --format json > /dev/null 2>&1 || true
measure azengage "$all_files" "$all_bytes" "$azengage" inventory "$target" --format json
if [[ "${PEERS:-1}" == 1 ]]; then
  # azengage on each peer's own files (copied into a tree of one language), for a like-for-like ratio.
  for lang in tf bicep; do
    only=$work/only-$lang-$(basename "$target")
    if [[ ! -d $only ]]; then
      mkdir -p "$only"
      (cd "$target" && find . \( -name .git -o -name node_modules -o -name .terraform \) -prune -o -type f \
        \( -name "*.$lang" -o -name "*.${lang}param" \) -print0 | xargs -0 -r cp --parents -t "$only")
    fi
  done
  measure azengage-tf "$tf_files" "$tf_bytes" "$azengage" inventory "$work/only-tf-$(basename "$target")" --format json
  measure azengage-bicep "$((bicep_files + param_files))" "$((bicep_bytes + param_bytes))" \
    "$azengage" inventory "$work/only-bicep-$(basename "$target")" --format json
  measure python-hcl2 "$tf_files" "$tf_bytes" "$venv/bin/python" "$repo/bench/peer_parse.py" hcl2 "$target"
  measure pycep-parser "$bicep_files" "$bicep_bytes" "$venv/bin/python" "$repo/bench/peer_parse.py" pycep "$target"
fi

python3 - "$results" <<'EOF'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("\n%-14s %7s %8s %8s %8s %9s %8s %9s" % ("tool", "files", "MB", "wall s", "cpu s", "files/s", "MB/s", "RSS MB"))
data = {}
for name, files, nbytes, wall, cpu, rss in rows:
    files, mb, wall, cpu, rss = int(files), int(nbytes) / 1e6, float(wall), float(cpu), int(rss) / 1024
    data[name] = (files, mb, wall, cpu, rss)
    print("%-14s %7d %8.2f %8.2f %8.2f %9.0f %8.2f %9.1f" % (name, files, mb, wall, cpu, files / max(wall, 1e-3), mb / max(wall, 1e-3), rss))
if "azengage" in data and len(data) > 1:
    a = data["azengage"]
    peers = [v for k, v in data.items() if not k.startswith("azengage")]
    pwall, pcpu = sum(p[2] for p in peers), sum(p[3] for p in peers)
    print("\npeers together: %.2f s wall, %.2f s cpu, on %d of azengage's %d files" % (pwall, pcpu, sum(p[0] for p in peers), a[0]))
    print("azengage is %.1fx faster (wall), %.1fx (cpu); peak RSS %.1f MB" % (pwall / max(a[2], 1e-3), pcpu / max(a[3], 1e-3), a[4]))
    for mine, peer in (("azengage-tf", "python-hcl2"), ("azengage-bicep", "pycep-parser")):
        if mine in data and peer in data:
            m, p = data[mine], data[peer]
            print("same files, %s vs %s: %.1fx (wall), %.1fx (cpu)" % (mine, peer, p[2] / max(m[2], 1e-3), p[3] / max(m[3], 1e-3)))
EOF
