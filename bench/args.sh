#!/usr/bin/env bash
# Many PATH arguments: `azengage inventory FILE1 ... FILEn --no-follow`, the way a pre-commit hook or
# `git ls-files | xargs` calls it, against the same files given as their directories. Prints wall time, CPU
# time and peak RSS of both, their ratio, and whether both list the same resources.
#
#   bench/args.sh                # 1,000 .tf files in 4 directories (and a shared module)
#   ARGS_FILES=5000 bench/args.sh
#   bench/args.sh DIR            # every .tf/.bicep/.json file under DIR, as arguments, against DIR
#
# Environment: BENCH_DIR (default /tmp/azengage-bench), SKIP_BUILD=1 (use target/release/azengage, or AZENGAGE),
# RUNS (best of, default 3).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${BENCH_DIR:-/tmp/azengage-bench}
runs=${RUNS:-3}
mkdir -p "$work"

if [[ $# -ge 1 ]]; then
  target=$(cd "$1" && pwd)
else
  n=${ARGS_FILES:-1000}
  target=$work/args-$n
  if [[ ! -d $target ]]; then
    python3 - "$target" "$n" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
regions = ["westeurope", "eastus2", "uksouth", "swedencentral"]
def write(rel, text):
    path = os.path.join(root, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
write("modules/net/main.tf", 'variable "location" {}\n\nresource "azurerm_virtual_network" "vnet" {\n  name                = "vnet"\n  location            = var.location\n  resource_group_name = "rg"\n  address_space       = ["10.0.0.0/16"]\n}\n')
for i in range(n):
    d = i % 4
    if i < 4:
        write("envs/env%d/variables.tf" % d, 'variable "location" {\n  default = "%s"\n}\n\nresource "azurerm_resource_group" "rg" {\n  name     = "rg-%d"\n  location = var.location\n}\n' % (regions[d], d))
    elif i % 50 == 0:
        write("envs/env%d/net%04d.tf" % (d, i), 'module "net%d" {\n  source   = "../../modules/net"\n  location = var.location\n}\n' % i)
    else:
        write("envs/env%d/st%04d.tf" % (d, i), 'resource "azurerm_storage_account" "st%d" {\n  name                     = "st%d"\n  location                 = azurerm_resource_group.rg.location\n  resource_group_name      = azurerm_resource_group.rg.name\n  account_tier             = "Standard"\n  account_replication_type = "LRS"\n}\n' % (i, i))
EOF
  fi
fi

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  (cd "$repo" && cargo build --release --quiet)
fi
azengage=${AZENGAGE:-$repo/target/release/azengage}

cd "$target"
if [[ $# -ge 1 ]]; then
  mapfile -t dirs < <(printf '.\n')
else
  mapfile -t dirs < <(find envs -mindepth 1 -maxdepth 1 -type d | sort)
fi
mapfile -t files < <(find "${dirs[@]}" \( -name .git -o -name node_modules -o -name .terraform \) -prune -o -type f \
  \( -name '*.tf' -o -name '*.bicep' -o -name '*.json' \) -print | sort)
echo "target: $target (${#files[@]} file arguments, ${#dirs[@]} directories)"
echo "cpus: $(nproc), load: $(cut -d' ' -f1-3 /proc/loadavg)"

# best NAME CMD...: best wall time of $runs runs; prints "wall cpu rss".
best() {
  local name=$1 best_wall='' line
  shift
  for _ in $(seq 1 "$runs"); do
    /usr/bin/time -f '%e %U %S %M' -o "$work/time-$name" "$@" > "$work/out-$name.json"
    read -r wall user sys rss < "$work/time-$name"
    if [[ -z $best_wall ]] || (( $(echo "$wall < $best_wall" | bc) )); then
      best_wall=$wall
      line="$wall $(echo "$user + $sys" | bc) $((rss / 1024))"
    fi
  done
  echo "$line"
}

read -r dwall dcpu drss < <(best dirs "$azengage" inventory "${dirs[@]}" --no-follow --format json)
read -r fwall fcpu frss < <(best files "$azengage" inventory "${files[@]}" --no-follow --format json)
printf '%-12s %8s %8s %8s\n' "given as" "wall s" "cpu s" "RSS MB"
printf '%-12s %8s %8s %8s\n' directories "$dwall" "$dcpu" "$drss"
printf '%-12s %8s %8s %8s\n' files "$fwall" "$fcpu" "$frss"
echo "files / directories: $(echo "scale=2; $fwall / ($dwall + 0.001)" | bc)x (wall), $(echo "scale=2; $fcpu / ($dcpu + 0.001)" | bc)x (cpu)"
if cmp -s <(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["resources"]))' "$work/out-dirs.json") \
          <(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["resources"]))' "$work/out-files.json"); then
  echo "same resources: yes ($(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["resources"]))' "$work/out-files.json"))"
else
  echo "same resources: NO"
fi
