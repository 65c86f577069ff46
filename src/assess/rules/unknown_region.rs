//! AZE003 `unknown-region`: a location string is not an Azure region.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion, literal_text, undeployed_files};
use std::collections::BTreeSet;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE003",
    name: "unknown-region",
    severity: RuleSeverity::Error,
    title: "A location is not an Azure region",
    what: "Fires for each location written as a literal that is not an Azure region name or display name \
(`westeurop`, `West Eurpoe`), from the scanners' `unknown-region` diagnostics and from literal `location` \
values in the inventory. The suggestion names the nearest region when the string looks like a typo.",
    why: "A misspelled region fails the deployment, so the resource never runs and never counts towards the \
services and regions the review sees. It also makes azengage's own estimate miss a region.",
    how: "Use the canonical region name (`az account list-locations -o table` lists them), ideally once, in a \
parameter.",
    example: r#"```bicep
// before: 'westeurop' is not a region
param location string = 'westeurope'
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let mut seen: BTreeSet<(String, u32)> = BTreeSet::new();
    let mut out = Vec::new();
    let undeployed = undeployed_files(input);
    let diagnostics: Vec<_> = input
        .inventory
        .diagnostics
        .iter()
        .filter(|d| {
            d.has_code(crate::model::DiagnosticCode::UnknownRegion)
                && !undeployed.contains(d.file.as_str())
        })
        .collect();
    for d in &diagnostics {
        if seen.insert((d.file.clone(), d.line)) {
            let line = (d.line > 0).then_some(d.line);
            out.push(RULE.suggest(d.message.clone(), Some(d.file.clone()), line));
        }
    }
    for r in input
        .inventory
        .resources
        .iter()
        .filter(|r| r.deployed && r.location.is_none())
    {
        let Some(text) = r
            .location_expr
            .as_deref()
            .and_then(|e| literal_text(e, &r.file))
        else {
            continue;
        };
        // A scanner's diagnostic may sit on the `location` line rather than the declaration: same file and
        // same text is the same finding.
        let reported = diagnostics
            .iter()
            .any(|d| d.file == r.file && d.message.contains(text));
        if crate::catalog::region(text).is_some()
            || reported
            || !seen.insert((r.file.clone(), r.line))
        {
            continue;
        }
        out.push(RULE.suggest(
            format!(
                "{} (resource '{}')",
                crate::catalog::not_a_region(text),
                r.name
            ),
            Some(r.file.clone()),
            Some(r.line),
        ));
    }
    out
}
