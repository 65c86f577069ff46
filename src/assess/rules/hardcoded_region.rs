//! AZE008 `hardcoded-region`: the same region literal is written in many places.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion, literal_region};
use std::collections::BTreeMap;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE008",
    name: "hardcoded-region",
    severity: RuleSeverity::Note,
    title: "The same region is hard-coded in many places",
    what: "Fires for each region written as a string literal in the `location` of 3 or more resources (instead \
of a parameter or variable). The suggestion points at the first place it is written. Logical locations \
(`global`, `europe`, ...) are left alone: metric alerts, private DNS zones and Front Door require `global`, and a \
parameter would not be the same thing.",
    why: "Adding a second region (one of the breadth signals the review looks at) means editing every copy; a \
single `location` parameter makes a multi-region or paired-region deployment a one-line change.",
    how: "Declare the region once (`param location string = resourceGroup().location` in Bicep, \
`variable \"location\"` in Terraform, a `location` parameter in ARM) and use it everywhere.",
    example: r#"```terraform
variable "location" {
  type    = string
  default = "westeurope"
}

resource "azurerm_resource_group" "rg" {
  name     = "rg-app"
  location = var.location # not "westeurope"
}
```"#,
    check,
};

/// Literal uses of one region from which the rule fires.
const MIN_PLACES: usize = 3;

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let mut places: BTreeMap<&str, Vec<(&str, u32)>> = BTreeMap::new();
    for r in input
        .inventory
        .resources
        .iter()
        .filter(|r| r.deployed && !r.existing)
    {
        if let Some(region) = r
            .location_expr
            .as_deref()
            .and_then(|e| literal_region(e, &r.file))
            .filter(|name| crate::catalog::region(name).is_some_and(|g| g.physical))
        {
            places.entry(region).or_default().push((&r.file, r.line));
        }
    }
    places
        .into_iter()
        .filter(|(_, p)| p.len() >= MIN_PLACES)
        .filter_map(|(region, mut p)| {
            p.sort_unstable();
            let files = p.iter().map(|(f, _)| *f).collect::<std::collections::BTreeSet<_>>().len();
            let (file, line) = p.first()?;
            Some(RULE.suggest(
                format!(
                    "'{region}' is written as a literal in {} places across {files} files: declare it once as a \
                     `location` parameter or variable and reference it.",
                    p.len()
                ),
                Some((*file).to_string()),
                Some(*line),
            ))
        })
        .collect()
}
