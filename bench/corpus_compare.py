#!/usr/bin/env python3
"""Compare azengage's inventory with independent readings of real public IaC.

Usage:
  bench/corpus_compare.py bicep DIR [--bin PATH]   # every DIR/**/main.bicep that has a main.json beside it
  bench/corpus_compare.py tf DIR [--bin PATH]      # every DIR/**/*.tf, against python-hcl2 (pip install python-hcl2)

Bicep: the set of ARM types our inventory lists for main.bicep (`--no-follow`; a `module` counts as
Microsoft.Resources/deployments) against the set of `type`s among the top-level resources of the compiled
main.json (array or symbolic-object `resources`; `existing` ones count as the compiler emits them: in
symbolic templates only). With following, against the union of the types in all nested inline templates
(registry modules are inlined there too, so their inner types show up as `only json`). Types compare
case-insensitively.

Terraform: per file, with and without following, the sorted list of `resource` block types we list (not
`data`, not registry-module entries) against python-hcl2's; plus the share of azurerm resources that got an
arm_type. Files python-hcl2 cannot read are counted apart (REF-FAIL), not as mismatches.

Why: the parsers must read what public repositories really contain, not only our own fixtures.
"""

import json
import os
import subprocess
import sys
from collections import defaultdict

DEPLOYMENTS = "microsoft.resources/deployments"


def run_inventory(binary, target, follow):
    args = [binary, "inventory", target, "--format", "json"]
    if not follow:
        args.append("--no-follow")
    proc = subprocess.run(args, capture_output=True, text=True)
    if proc.returncode not in (0, 1) or not proc.stdout.strip():
        return None, f"exit {proc.returncode}: {proc.stderr.strip()[:200]}"
    return json.loads(proc.stdout), None


def arm_type(raw):
    # Extension resources carry their version in the type ("Microsoft.Graph/groups@v1.0").
    return raw.split("@", 1)[0].lower()


def template_resources(template):
    resources = template.get("resources", [])
    return list(resources.values()) if isinstance(resources, dict) else list(resources)


def json_types(template, follow, depth=0):
    found = set()
    for res in template_resources(template):
        if not isinstance(res, dict) or not isinstance(res.get("type"), str):
            continue
        found.add(arm_type(res["type"]))
        inner = res.get("properties", {}).get("template") if isinstance(res.get("properties"), dict) else None
        if follow and isinstance(inner, dict) and depth < 20:
            found |= json_types(inner, follow, depth + 1)
    return found


def omitted_existing(resource, symbolic, follow, expected):
    """Whether the compiler leaves this `existing` resource out: non-symbolic templates (no languageVersion)
    emit no `existing` resources; when following, a nested template may be either kind, so an `existing`
    resource counts only when its type is there anyway."""
    if follow:
        return arm_type(resource["arm_type"]) not in expected
    return not symbolic


def bicep_errors(inventory):
    return [d for d in inventory.get("diagnostics", []) if d.get("severity") == "error"]


def compare_bicep(root, binary):
    modules = sorted(dp for dp, _, files in os.walk(root) if "main.bicep" in files and "main.json" in files)
    stats = {"modules": 0, "nofollow_ok": 0, "follow_ok": 0, "error_files": 0}
    for module in modules:
        stats["modules"] += 1
        with open(os.path.join(module, "main.json"), encoding="utf-8-sig") as fh:
            compiled = json.load(fh)
        for follow in (False, True):
            inventory, failure = run_inventory(binary, os.path.join(module, "main.bicep"), follow)
            if inventory is None:
                print(f"CRASH {module} follow={follow}: {failure}")
                continue
            expected = json_types(compiled, follow)
            symbolic = "languageVersion" in compiled
            ours = {
                arm_type(r["arm_type"])
                for r in inventory["resources"]
                if r.get("arm_type") and not (r.get("existing") and omitted_existing(r, symbolic, follow, expected))
            }
            if follow:
                # A followed registry module is listed by its main type; the compiled deployment is still there.
                ours |= {DEPLOYMENTS for r in inventory["resources"] if r.get("via_module")}
            key = "follow_ok" if follow else "nofollow_ok"
            if ours == expected:
                stats[key] += 1
            else:
                print(f"MISMATCH follow={follow} {module}\n  only ours: {sorted(ours - expected)}"
                      f"\n  only json: {sorted(expected - ours)}")
            if not follow:
                for diag in bicep_errors(inventory):
                    stats["error_files"] += 1
                    print(f"ERROR {module}/{diag['file']}:{diag.get('line')}:{diag.get('column')} {diag['message']}")
    print(json.dumps(stats))


def hcl2_resource_types(path):
    import hcl2

    with open(path, encoding="utf-8-sig") as fh:
        parsed = hcl2.load(fh)
    return sorted(t.strip('"') for block in parsed.get("resource", []) for t in block)


def is_resource_block(res):
    """A `resource` block of the file itself: not a `data` source, and not a registry-module entry (whose
    source_type is the module source, e.g. `Azure/avm-res-storage-storageaccount/azurerm`; resource types never
    hold a '/'). With following, a local module's resources keep their own `file`, so they still count there."""
    return not res.get("existing") and "/" not in res["source_type"] and "::" not in res["source_type"]


def compare_tf(root, binary):
    for follow in (False, True):
        compare_tf_mode(root, binary, follow)


def compare_tf_mode(root, binary, follow):
    stats = {"follow": follow, "files": 0, "ref_failed": 0, "match": 0, "error_files": 0, "azurerm": 0,
             "azurerm_typed": 0}
    inventory, failure = run_inventory(binary, root, follow)
    if inventory is None:
        print(f"CRASH {root}: {failure}")
        return
    ours = defaultdict(list)
    for res in inventory["resources"]:
        if not is_resource_block(res):
            continue
        ours[res["file"]].append(res["source_type"])
        if res["source_type"].startswith("azurerm_"):
            stats["azurerm"] += 1
            stats["azurerm_typed"] += bool(res.get("arm_type"))
            if not res.get("arm_type") and not follow:
                print(f"NO-ARM {res['source_type']}")
    errors = {d["file"] for d in inventory.get("diagnostics", []) if d.get("severity") == "error"}
    for diag in inventory.get("diagnostics", []):
        if diag.get("severity") == "error" and not follow:
            print(f"ERROR {diag['file']}:{diag.get('line')}:{diag.get('column')} {diag['message']}")
    stats["error_files"] = len(errors)
    for directory, _, files in sorted(os.walk(root)):
        for name in sorted(f for f in files if f.endswith(".tf")):
            path = os.path.join(directory, name)
            rel = os.path.relpath(path, root)
            stats["files"] += 1
            try:
                expected = hcl2_resource_types(path)
            except Exception as exc:  # the reference cannot read it: not counted
                stats["ref_failed"] += 1
                if not follow:
                    print(f"REF-FAIL {rel}: {type(exc).__name__}")
                continue
            got = sorted(ours.get(rel, []))
            if got == expected:
                stats["match"] += 1
            else:
                print(f"MISMATCH follow={follow} {rel}\n  ours: {got}\n  hcl2: {expected}")
    print(json.dumps(stats))


def main():
    if len(sys.argv) < 3 or sys.argv[1] not in ("bicep", "tf"):
        sys.exit(__doc__)
    binary = sys.argv[sys.argv.index("--bin") + 1] if "--bin" in sys.argv else "target/debug/azengage"
    (compare_bicep if sys.argv[1] == "bicep" else compare_tf)(sys.argv[2], binary)


if __name__ == "__main__":
    main()
