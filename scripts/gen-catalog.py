#!/usr/bin/env python3
"""Regenerate azengage's catalog data files from ../shared/reference (Microsoft's and HashiCorp's public data).

Writes into data/:
  azurerm-resources.tsv, azurerm-removed.tsv   copied verbatim (Terraform type -> ARM type)
  avm-modules.tsv                               copied verbatim (what each Azure Verified Module deploys; made by
                                                scripts/gen-avm-modules.py from the public module sources)
  regions.tsv                                   name, display name, geography, pair, type (from azure-regions.tsv)
  region-aliases.tsv                            alias -> name (region-aliases.tsv)
  cost-region-aliases.tsv                       alias -> name as cost exports spell regions (finops-regions.csv)
  services.tsv                                  lowercase ARM type, kind pattern, service, FOCUS category
  resource-types.tsv                            lowercase ARM type, portal display name (singular)

Hand-written files (not generated, reviewed in PRs): namespace-services.tsv, service-overrides.tsv,
solution-areas.tsv, kinds.tsv, breadth.tsv.
Run: python3 scripts/gen-catalog.py [REFERENCE_DIR]
"""
import csv, os, shutil, sys

here = os.path.dirname(os.path.abspath(__file__))
ref = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "..", "shared", "reference")
out = os.path.join(here, "..", "data")

for name in ("azurerm-resources.tsv", "azurerm-removed.tsv", "avm-modules.tsv"):
    shutil.copyfile(os.path.join(ref, name), os.path.join(out, name))

def tsv(name):
    with open(os.path.join(ref, name), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:]]

with open(os.path.join(out, "regions.tsv"), "w", encoding="utf-8") as f:
    f.write("name\tdisplay_name\tgeography\tpaired_region\tregion_type\tgeography_group\n")
    for r in tsv("azure-regions.tsv"):
        f.write("\t".join([r["name"], r["display_name"], r["geography"], r["paired_region"],
                           r["region_type"], r["geography_group"]]) + "\n")

aliases = {}
for r in tsv("region-aliases.tsv"):
    aliases[r["alias"].lower()] = r["name"]
with open(os.path.join(out, "region-aliases.tsv"), "w", encoding="utf-8") as f:
    f.write("alias\tname\n")
    for a in sorted(aliases):
        f.write(f"{a}\t{aliases[a]}\n")

# Cost exports spell regions in more ways ("eu west", "amsterdam"): Microsoft's own table, for cost rows only.
cost_aliases = {}
with open(os.path.join(ref, "finops-regions.csv"), encoding="utf-8") as f:
    for r in csv.DictReader(f):
        cost_aliases.setdefault(r["OriginalValue"].lower(), r["RegionId"])
        cost_aliases.setdefault(r["RegionName"].lower(), r["RegionId"])
with open(os.path.join(out, "cost-region-aliases.tsv"), "w", encoding="utf-8") as f:
    f.write("alias\tname\n")
    for a in sorted(cost_aliases):
        f.write(f"{a}\t{cost_aliases[a]}\n")

# services: one default row per ARM type (the row whose ConsumedService is the type's own namespace wins),
# plus kind-specific rows where Microsoft lists two services for one type (web/sites: App Service vs Functions).
with open(os.path.join(ref, "finops-services.csv"), encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
by_type = {}
for r in rows:
    by_type.setdefault(r["ResourceType"].lower(), []).append(r)
with open(os.path.join(out, "services.tsv"), "w", encoding="utf-8") as f:
    f.write("arm_type\tservice\tcategory\n")
    for t in sorted(by_type):
        cands = by_type[t]
        ns = t.split("/")[0]
        own = [c for c in cands if c["ConsumedService"].lower() == ns]
        pick = (own or cands)[0]
        f.write(f"{t}\t{pick['ServiceName']}\t{pick['ServiceCategory']}\n")

with open(os.path.join(out, "resource-types.tsv"), "w", encoding="utf-8") as f:
    f.write("arm_type\tdisplay_name\n")
    for r in tsv("finops-resource-types.tsv"):
        f.write(f"{r['resource_type'].lower()}\t{r['singular']}\n")
print("catalog data written to", os.path.normpath(out))
