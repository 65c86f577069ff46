//! `merge --format json`: one document in the `scan` shape, plus `repositories` and `notes`.
//!
//! The score, program, suggestions, services, regions, weekly series and costs are the account's (computed
//! again over the union). `resources`, `diagnostics` and `activity.workflows` are every repository's own, as
//! its scan wrote them (fields this version does not know included), each with its `repository`; their
//! `file` stays relative to that repository. `repository` is `null`: the document is the account's.

use super::MergeOutcome;
use super::document::{DocDiagnostic, DocResource, DocWorkflow, ScanDocument};
use super::summary::RepositoryContribution;
use crate::assess::{ProgramStatus, Score, Suggestion};
use crate::history::{CadenceMetrics, WeekActivity};
use crate::inventory::{RegionSummary, ServiceSummary};
use crate::plural::counted;
use jiff::civil::Date;
use serde::Serialize;

/// The merged document (field order as in `scan --format json`).
#[derive(Serialize)]
pub struct AccountDocument<'a> {
    schema_version: u32,
    as_of: Date,
    repository: Option<&'a str>,
    config_file: Option<&'a str>,
    activity: AccountActivity<'a>,
    score: &'a Score,
    program: &'a ProgramStatus,
    suggestions: &'a [Suggestion],
    services: &'a [ServiceSummary],
    regions: &'a [RegionSummary],
    resources: Vec<Tagged<'a, DocResource>>,
    roots: Vec<Tagged<'a, serde_json::Value>>,
    roots_summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    region_note: Option<&'a str>,
    diagnostics: Vec<Tagged<'a, DocDiagnostic>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    costs: Option<&'a crate::costs::CostsSummary>,
    repositories: &'a [RepositoryContribution],
    notes: &'a [String],
}

/// `activity`, with every repository's workflows.
#[derive(Serialize)]
struct AccountActivity<'a> {
    source: &'a str,
    weekly: &'a [WeekActivity],
    workflows: Vec<Tagged<'a, DocWorkflow>>,
    deployments_source: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    deployments_basis: &'a str,
    metrics: &'a CadenceMetrics,
    shallow: bool,
}

/// An entry of one repository's document, with that repository's name first.
#[derive(Serialize)]
struct Tagged<'a, T> {
    repository: &'a str,
    #[serde(flatten)]
    item: &'a T,
}

impl<'a> AccountDocument<'a> {
    /// The document for `outcome`.
    pub fn new(outcome: &'a MergeOutcome) -> Self {
        let r = &outcome.report;
        let docs = &outcome.documents;
        let (repositories, notes) = r
            .account
            .as_ref()
            .map_or((&[][..], &[][..]), |a| (&a.repositories[..], &a.notes[..]));
        AccountDocument {
            schema_version: r.schema_version,
            as_of: r.as_of,
            repository: None,
            config_file: r.config_file.as_deref(),
            activity: AccountActivity {
                source: &r.activity.source,
                weekly: &r.activity.weekly,
                workflows: tag_all(docs, |d| &d.activity.workflows),
                deployments_source: &r.activity.deployments_source,
                deployments_basis: &r.activity.deployments_basis,
                metrics: &r.activity.metrics,
                shallow: r.activity.shallow,
            },
            score: &r.score,
            program: &r.program,
            suggestions: &r.suggestions,
            services: &r.services,
            regions: &r.regions,
            resources: tag_all(docs, |d| &d.resources),
            roots: tag_all(docs, |d| &d.roots),
            roots_summary: roots_summary(docs),
            region_note: r.region_note.as_deref(),
            diagnostics: tag_all(docs, |d| &d.diagnostics),
            costs: r.costs.as_ref(),
            repositories,
            notes,
        }
    }
}

/// One line on the roots: how many, from how many repositories.
fn roots_summary(docs: &[ScanDocument]) -> String {
    let roots: usize = docs.iter().map(|d| d.roots.len()).sum();
    let with_roots = docs.iter().filter(|d| !d.roots.is_empty()).count();
    format!(
        "{} from {with_roots} of {}",
        counted(roots, "root", "roots"),
        counted(docs.len(), "repository", "repositories"),
    )
}

/// Every document's entries of one kind, each tagged with its repository, in the documents' order.
fn tag_all<'a, T>(
    docs: &'a [ScanDocument],
    entries: impl Fn(&'a ScanDocument) -> &'a Vec<T>,
) -> Vec<Tagged<'a, T>> {
    docs.iter()
        .flat_map(|d| {
            entries(d).iter().map(|item| Tagged {
                repository: d.name.as_str(),
                item,
            })
        })
        .collect()
}
