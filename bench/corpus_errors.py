#!/usr/bin/env python3
"""Count azengage's diagnostics over a directory of real public IaC (never committed: see docs/corpus.md).

Usage:
  bench/corpus_errors.py DIR [--bin PATH]

Runs `azengage inventory --no-follow --format json` on every Bicep/.bicepparam file, every ARM JSON template and
every Terraform directory under DIR, one at a time (so one file's trouble cannot hide another's), then once
with following on every Bicep file named main.bicep. Prints the files read per language, the error and warning
diagnostics, and each error with its file:line:column. Every error on a valid template is a parser bug.

Why: the independent checks run the build on real repositories we never see; this is how we look at the ones we
can.
"""

import json
import os
import subprocess
import sys
from collections import Counter


def inventory(binary, target, follow):
    args = [binary, "inventory", target, "--format", "json"]
    if not follow:
        args.append("--no-follow")
    proc = subprocess.run(args, capture_output=True, text=True)
    if not proc.stdout.strip():
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[:200]}"
    return json.loads(proc.stdout), None


def is_arm_template(path):
    try:
        with open(path, encoding="utf-8-sig") as f:
            head = f.read(4096)
    except OSError:
        return False
    return "deploymenttemplate.json" in head.lower()


def targets(root):
    bicep, arm, tf_dirs = [], [], set()
    for dirpath, _, files in os.walk(root):
        for name in files:
            path = os.path.join(dirpath, name)
            if name.endswith((".bicep", ".bicepparam")):
                bicep.append(path)
            elif name.endswith(".json") and is_arm_template(path):
                arm.append(path)
            elif name.endswith((".tf", ".tf.json")):
                tf_dirs.add(dirpath)
    return sorted(bicep), sorted(arm), sorted(tf_dirs)


def main():
    args = sys.argv[1:]
    binary = "target/debug/azengage"
    if "--bin" in args:
        i = args.index("--bin")
        binary = args[i + 1]
        del args[i : i + 2]
    if len(args) != 1:
        sys.exit(__doc__)
    bicep, arm, tf_dirs = targets(args[0])
    counts = Counter()
    errors = []
    runs = [("bicep", p, False) for p in bicep] + [("arm", p, False) for p in arm]
    runs += [("terraform", d, False) for d in tf_dirs]
    runs += [("bicep-followed", p, True) for p in bicep if os.path.basename(p) == "main.bicep"]
    for kind, target, follow in runs:
        inv, problem = inventory(binary, target, follow)
        counts[f"{kind} targets"] += 1
        if inv is None:
            errors.append(f"{target}: no inventory ({problem})")
            counts[f"{kind} failed runs"] += 1
            continue
        counts[f"{kind} resources"] += len(inv.get("resources", []))
        for d in inv.get("diagnostics", []):
            counts[f"{kind} {d['severity']}"] += 1
            if d["severity"] == "error":
                errors.append(f"{kind}: {d['file']}:{d['line']}:{d['column']}: {d['message']}")
    for key in sorted(counts):
        print(f"{key}: {counts[key]}")
    for e in errors:
        print(e)
    print(f"{len(errors)} errors")
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
