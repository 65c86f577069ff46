//! AZE002 `single-region`: every resolved location is the same region.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use std::collections::BTreeMap;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE002",
    name: "single-region",
    severity: RuleSeverity::Note,
    title: "All resources are in one region",
    what: "Fires when every deployed resource whose location resolves statically is in the same Azure region \
(logical locations such as `global` are not counted). The suggestion names that region's paired region.",
    why: "Regions in use are part of the breadth the review looks at, and a second region (for disaster \
recovery, or closer to a second market) is a sign of a workload that is growing. The paired region is where \
Azure sequences platform updates and prioritises recovery, so it is the natural place for the second one.",
    how: "Deploy a secondary copy of the stateful parts (storage replication, a database geo-replica) or a \
second instance of the app to the paired region, driven by the same template with a `location` parameter.",
    example: r#"```terraform
variable "secondary_location" {
  default = "northeurope" # the pair of westeurope
}

resource "azurerm_storage_account" "assets" {
  name                     = "stassets"
  location                 = var.location
  account_replication_type = "GRS" # replicates to the paired region
  # ...
}
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    // Region → (count, first file/line declaring it).
    let mut regions: BTreeMap<&str, (usize, (&str, u32))> = BTreeMap::new();
    for r in input.inventory.deployed() {
        let Some(region) = r.location.as_deref().and_then(crate::catalog::region) else {
            continue;
        };
        if !region.physical {
            continue;
        }
        let entry = regions.entry(region.name).or_insert((0, (&r.file, r.line)));
        entry.0 += 1;
        entry.1 = entry.1.min((&r.file, r.line));
    }
    if regions.len() != 1 {
        return Vec::new();
    }
    let Some((name, (count, (file, line)))) = regions.into_iter().next() else {
        return Vec::new();
    };
    let pair = crate::catalog::region(name).and_then(|r| r.paired_region);
    let detail = match pair {
        Some(p) => format!(
            "All {count} resources with a known location are in {name}; consider its paired region {p} for a \
             secondary deployment or geo-replication."
        ),
        None => format!(
            "All {count} resources with a known location are in {name}, which has no published pair; consider a \
             second region in the same geography."
        ),
    };
    vec![RULE.suggest(detail, Some(file.to_string()), Some(line))]
}
