//! The union of several repositories' scans as one inventory and one activity, ready for the ordinary
//! assessment.
//!
//! Resources, diagnostics and workflows keep their repository in their path (`acme/web/infra/main.bicep`), so
//! two repositories' `infra/main.bicep` stay two files for every rule and every printer. Only resources the
//! scan judged deployed take part (the assessment counts nothing else). The weekly series is summed week by
//! week and the cadence metrics are measured again over the sum; the scan documents carry weekly counts, not
//! single deployment dates, so the median days between deployments is not known for an account.

use super::document::{DocDiagnostic, DocResource, DocWorkflow, ScanDocument};
use crate::history::weekly::week_starts;
use crate::history::{Activity, WeekActivity, Workflow, cadence, week_start};
use crate::inventory::{Inventory, SCHEMA_VERSION};
use crate::model::{Diagnostic, Resource};
use jiff::civil::Date;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

/// The merged inputs of the assessment.
pub struct Combined {
    /// Every repository's deployed resources and diagnostics, summarised again over the union.
    pub inventory: Inventory,
    /// The weekly series summed, every workflow, the sources joined.
    pub activity: Activity,
}

/// Combine `docs` as of `as_of`: weeks after the week of `as_of` are left out.
pub fn combine(docs: &[ScanDocument], as_of: Date) -> Combined {
    // Hundreds of documents with tens of thousands of resources: converted in parallel, document by document.
    let per_document: Vec<Vec<Resource>> = docs
        .par_iter()
        .map(|d| {
            d.resources
                .iter()
                .filter(|r| r.deployed != Some(false))
                .map(|r| resource(&d.name, r))
                .collect()
        })
        .collect();
    let mut resources: Vec<Resource> = per_document.into_iter().flatten().collect();
    let mut diagnostics = Vec::new();
    let mut workflows = Vec::new();
    for d in docs {
        diagnostics.extend(d.diagnostics.iter().map(|x| diagnostic(&d.name, x)));
        workflows.extend(d.activity.workflows.iter().map(|w| workflow(&d.name, w)));
    }
    resources.par_sort_by(|a, b| (&a.file, a.line, &a.name).cmp(&(&b.file, b.line, &b.name)));
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
    workflows.sort_by(|a, b| a.file.cmp(&b.file));
    let mut inventory = Inventory {
        schema_version: SCHEMA_VERSION,
        resources,
        diagnostics,
        ..Inventory::default()
    };
    // Keeping every file, `retain_files` is the inventory's own summary of services and regions.
    inventory.retain_files(|_| true);
    let weekly = summed_weeks(docs, as_of);
    let metrics = cadence::metrics(&weekly, &[], as_of);
    let (deployments_source, deployments_basis) = deployments_source(docs);
    let activity = Activity {
        source: joined(docs.iter().map(|d| d.activity.source.as_str())),
        weekly,
        workflows,
        deployments_source,
        deployments_basis,
        metrics,
        shallow: docs.iter().any(|d| d.activity.shallow),
    };
    Combined {
        inventory,
        activity,
    }
}

/// `repository/path`: the name the account gives a repository's file.
pub fn in_repository(repository: &str, path: &str) -> String {
    if path.is_empty() {
        repository.to_string()
    } else {
        format!("{repository}/{path}")
    }
}

fn resource(repository: &str, r: &DocResource) -> Resource {
    let mut m = Resource::new(
        r.source_type.clone(),
        r.name.clone(),
        in_repository(repository, &r.file),
        r.line,
    );
    m.arm_type = r.arm_type.clone();
    m.api_version = r.api_version.clone();
    m.location = r.location.clone();
    m.location_expr = r.location_expr.clone();
    m.existing = r.existing;
    m.via_module = r.via_module.clone();
    m.service = r.service.clone();
    m.category = r.category.clone();
    m.solution_area = r.solution_area.clone();
    m.kind = r.kind.clone();
    m.uses_secrets = r.uses_secrets;
    m
}

fn diagnostic(repository: &str, d: &DocDiagnostic) -> Diagnostic {
    Diagnostic::new(
        in_repository(repository, &d.file),
        d.line,
        d.column,
        d.severity(),
        &d.code,
        d.message.clone(),
    )
}

fn workflow(repository: &str, w: &DocWorkflow) -> Workflow {
    Workflow {
        file: in_repository(repository, &w.file),
        deploys: w.deploys,
        tools: w.tools.clone(),
        triggers: w.triggers.clone(),
        branches: w.branches.clone(),
        regions: w.regions.clone(),
        name: w.name.clone(),
    }
}

/// Every repository's weeks added up, one entry per week from the first week with activity to the week of
/// `as_of` (weeks without activity included, as the scan writes them); empty without activity.
fn summed_weeks(docs: &[ScanDocument], as_of: Date) -> Vec<WeekActivity> {
    let last = week_start(as_of);
    let mut sums: BTreeMap<Date, WeekSum> = BTreeMap::new();
    for w in docs.iter().flat_map(|d| &d.activity.weekly) {
        let start = week_start(w.week_start);
        if start > last {
            continue;
        }
        let e = sums.entry(start).or_default();
        e.iac_commits = e.iac_commits.saturating_add(w.iac_commits);
        e.deployments = e.deployments.saturating_add(w.deployments);
        e.services
            .extend(w.services_touched.iter().map(String::as_str));
        e.regions
            .extend(w.regions_touched.iter().map(String::as_str));
    }
    let Some(first) = sums
        .iter()
        .find(|(_, s)| s.iac_commits > 0 || s.deployments > 0)
        .map(|(week, _)| *week)
    else {
        return Vec::new();
    };
    week_starts(first, last)
        .map(|week| {
            let sum = sums.remove(&week).unwrap_or_default();
            WeekActivity {
                week_start: week,
                iac_commits: sum.iac_commits,
                deployments: sum.deployments,
                services_touched: sum.services.into_iter().map(str::to_string).collect(),
                regions_touched: sum.regions.into_iter().map(str::to_string).collect(),
            }
        })
        .collect()
}

/// One week added up over the repositories.
#[derive(Default)]
struct WeekSum<'a> {
    iac_commits: u32,
    deployments: u32,
    services: BTreeSet<&'a str>,
    regions: BTreeSet<&'a str>,
}

/// Where the summed deployments come from: the documents' `deployments_source` values joined (`inferred+runs`;
/// `none` when none says), and a phrase naming which repositories each came from (`inferred in contoso/data and
/// contoso/web; from runs on GitHub in contoso/api`; counts instead of names past three repositories).
fn deployments_source(docs: &[ScanDocument]) -> (String, String) {
    let mut by_source: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for d in docs {
        if let Some(source) = d.activity.deployments_source.as_deref() {
            by_source.entry(source).or_default().push(&d.name);
        }
    }
    let source = joined(by_source.keys().copied());
    let phrase = |what: &str, names: &[&str]| match names {
        [] => String::new(),
        [one] => format!("{what} in {one}"),
        [a, b] => format!("{what} in {a} and {b}"),
        [a, b, c] => format!("{what} in {a}, {b} and {c}"),
        many => format!("{what} in {} repositories", many.len()),
    };
    let parts: Vec<String> = [
        ("inferred", "inferred from pushes"),
        ("runs", "from runs on GitHub"),
    ]
    .iter()
    .filter_map(|(key, what)| by_source.get(key).map(|names| phrase(what, names)))
    .collect();
    (source, parts.join("; "))
}

/// Distinct `+`-joined parts of `sources` (`git`, `github`, `runs`, ...), sorted; `none` when there are none.
fn joined<'a>(sources: impl Iterator<Item = &'a str>) -> String {
    let parts: BTreeSet<&str> = sources
        .flat_map(|s| s.split('+'))
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "none")
        .collect();
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.into_iter().collect::<Vec<_>>().join("+")
    }
}
