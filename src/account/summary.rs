//! What each repository contributes to the account, and the notes a reader of the account report needs.

use super::document::{DocResource, ScanDocument};
use crate::assess::ProgramStatus;
use crate::history::week_start;
use jiff::civil::Date;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Weeks of the trailing window the per-repository figures cover (as `active_weeks_13`).
const TRAILING_WEEKS: i64 = 13;

/// The account part of a merged report: `repositories` and `notes` in the JSON document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AccountSummary {
    /// One entry per scan document, sorted by name.
    pub repositories: Vec<RepositoryContribution>,
    /// Things the reader should know about the inputs (a repository's own program settings, an old scan).
    pub notes: Vec<String>,
}

/// What one repository brings to the account.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RepositoryContribution {
    /// `owner/name` (the document's `repository`; the file name when it names none).
    pub name: String,
    /// The day the repository was scanned.
    pub as_of: Date,
    /// Deployed Azure resources it declares.
    pub resources: usize,
    /// The services of those resources that count for breadth (not Resource Manager, RBAC, ...), sorted.
    pub services: Vec<String>,
    /// Services no other repository of the account declares, sorted.
    pub services_only_here: Vec<String>,
    /// Regions of its deployed resources, sorted.
    pub regions: Vec<String>,
    /// Weeks with an IaC commit or a deployment among the 13 ending with the account's `as_of`.
    pub active_weeks_13: u32,
    /// IaC commits in those 13 weeks.
    pub iac_commits_13: u32,
    /// Deployments in those 13 weeks.
    pub deployments_13: u32,
    /// The estimate its own scan gave (shown for comparison; the account's score is computed again, never
    /// averaged).
    pub score: Option<u32>,
    /// The document it came from, as given.
    pub file: String,
}

/// Each document's contribution, in the documents' order.
pub fn contributions(docs: &[ScanDocument], as_of: Date) -> Vec<RepositoryContribution> {
    let services_of = |d: &ScanDocument| -> BTreeSet<String> {
        deployed(d)
            .filter_map(|r| r.service.as_deref())
            .filter(|s| crate::catalog::counts_for_breadth(s))
            .map(str::to_string)
            .collect()
    };
    let all: Vec<BTreeSet<String>> = docs.par_iter().map(services_of).collect();
    let mut holders: BTreeMap<&str, usize> = BTreeMap::new();
    for services in &all {
        for s in services {
            *holders.entry(s.as_str()).or_default() += 1;
        }
    }
    let last = week_start(as_of);
    let first = last
        .checked_sub(jiff::Span::new().weeks(TRAILING_WEEKS - 1))
        .unwrap_or(last);
    docs.par_iter()
        .zip(&all)
        .map(|(d, services)| {
            let recent: Vec<_> = d
                .activity
                .weekly
                .iter()
                .filter(|w| (first..=last).contains(&week_start(w.week_start)))
                .collect();
            let active: BTreeSet<Date> = recent
                .iter()
                .filter(|w| w.iac_commits > 0 || w.deployments > 0)
                .map(|w| week_start(w.week_start))
                .collect();
            RepositoryContribution {
                name: d.name.clone(),
                as_of: d.as_of,
                resources: deployed(d).count(),
                services: services.iter().cloned().collect(),
                services_only_here: services
                    .iter()
                    .filter(|s| holders.get(s.as_str()) == Some(&1) && docs.len() > 1)
                    .cloned()
                    .collect(),
                regions: deployed(d)
                    .filter_map(|r| r.location.clone())
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect(),
                active_weeks_13: u32::try_from(active.len()).unwrap_or(u32::MAX),
                iac_commits_13: recent
                    .iter()
                    .fold(0u32, |n, w| n.saturating_add(w.iac_commits)),
                deployments_13: recent
                    .iter()
                    .fold(0u32, |n, w| n.saturating_add(w.deployments)),
                score: d.score.total,
                file: d.file.clone(),
            }
        })
        .collect()
}

fn deployed(d: &ScanDocument) -> impl Iterator<Item = &DocResource> {
    d.resources.iter().filter(|r| r.counts_as_deployed())
}

/// Notes on the inputs: repositories named by their file, program settings of a repository's own that the
/// account's config overrides (once per repository), scans older than a week before the account's `as_of`,
/// and cost exports inside scans (costs belong to the account).
pub fn notes(docs: &[ScanDocument], program: &ProgramStatus, as_of: Date) -> Vec<String> {
    let mut notes = Vec::new();
    for d in docs {
        if d.repository.is_none() {
            notes.push(format!(
                "{} names no repository, so it is called `{}` here; scan with `--repo owner/name` (or from a \
                 clone whose origin is on GitHub) to name it",
                d.file, d.name
            ));
        }
        if let Some(note) = program_note(d, program) {
            notes.push(note);
        }
        let days = d.as_of.until(as_of).map_or(0, |s| s.get_days());
        if days > 7 {
            notes.push(format!(
                "{} was scanned on {}, {days} days before the account's as-of date {as_of}: its later \
                 activity is not counted",
                d.name, d.as_of
            ));
        }
        if d.has_costs {
            notes.push(format!(
                "{}'s scan carries cost exports of its own; they are not summed: the account's costs come \
                 from --costs or the account config's costs.path",
                d.name
            ));
        }
    }
    notes
}

/// A note when `d`'s own program settings differ from the account's; `None` when it has none or they agree.
fn program_note(d: &ScanDocument, account: &ProgramStatus) -> Option<String> {
    let own = &d.program;
    if !own.is_set() {
        return None;
    }
    let text = |v: Option<String>| v.unwrap_or_else(|| "none".to_string());
    let date = |v: Option<Date>| text(v.map(|d| d.to_string()));
    let fields = [
        ("kind", text(own.kind.clone()), text(account.kind.clone())),
        ("tier", text(own.tier.clone()), text(account.tier.clone())),
        (
            "review date",
            date(own.review_date),
            date(account.review_date),
        ),
        (
            "credits expire",
            date(own.credits_expire),
            date(account.credits_expire),
        ),
        (
            "score visible from",
            date(own.score_visible_from),
            date(account.score_visible_from),
        ),
    ];
    let differing: Vec<_> = fields
        .iter()
        .filter(|(_, mine, theirs)| mine != theirs)
        .collect();
    if differing.is_empty() {
        return None;
    }
    if fields.iter().all(|(_, _, theirs)| theirs == "none") {
        let own: Vec<String> = differing
            .iter()
            .map(|(name, mine, _)| format!("{name} {mine}"))
            .collect();
        return Some(format!(
            "{} has program settings of its own ({}) and the account config has none: the account's report \
             uses the account config, so give the program there",
            d.name,
            own.join(", ")
        ));
    }
    let differing: Vec<String> = differing
        .iter()
        .map(|(name, mine, theirs)| format!("{name} {mine} (the account's: {theirs})"))
        .collect();
    Some(format!(
        "{} has program settings of its own that differ from the account config: {}; the account config is \
         used",
        d.name,
        differing.join(", ")
    ))
}
