//! Activity: how often infrastructure changes and is deployed, week by week.
//!
//! Sources: git history of IaC files ([`git`]), workflow files that deploy ([`workflows`]), and — with a token —
//! GitHub workflow runs and deployments (fetched at the edge, in `github/`, and merged here as plain data).
//! [`weekly`] counts them per ISO week; [`cadence`] turns the weekly series into the metrics the assessment reads.

pub mod cadence;
pub mod deploys;
pub mod git;
pub mod weekly;
pub mod workflows;

use jiff::civil::Date;
use serde::Serialize;

/// One ISO week (Monday start, UTC) of activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekActivity {
    /// The Monday that starts the week.
    pub week_start: Date,
    /// Non-merge commits in the week that add, change or delete at least one IaC file.
    pub iac_commits: u32,
    /// Deployments in the week: successful deploy workflow runs and deployment statuses (GitHub API), else
    /// pushes that trigger a deploying workflow (see `Activity::deployments_source`).
    pub deployments: u32,
    /// Azure services of the resources that the IaC files changed by this week's commits declare at those commits
    /// (read from git objects; filled for the weeks the reports show), sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub services_touched: Vec<String>,
    /// Physical regions of those resources, sorted.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regions_touched: Vec<String>,
}

/// One workflow file directly in `.github/workflows/` (see the contract's `activity.workflows`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Workflow {
    /// Path relative to the repository root, e.g. `.github/workflows/azure-dev.yml`.
    pub file: String,
    /// `true` when `tools` is not empty.
    pub deploys: bool,
    /// What deploys to Azure, from the contract's fixed set (`azd`, `az-deployment`, `terraform`, ...), sorted.
    pub tools: Vec<String>,
    /// Event names under `on:`, in the order written.
    pub triggers: Vec<String>,
    /// The `on.push.branches` filter as written; empty when push has no filter or is not a trigger.
    pub branches: Vec<String>,
    /// Canonical regions the workflow passes (`--location`, `-l`, `location:` inputs, `AZURE_LOCATION`).
    pub regions: Vec<String>,
    /// The workflow's `name:`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Cadence measured over the weekly series, from the first week with activity (or `--since`, if later) to the
/// week of `as_of`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CadenceMetrics {
    /// Weeks measured.
    pub weeks: u32,
    /// Weeks with any activity among the trailing 13 (ending with the week of `as_of`).
    pub active_weeks_13: u32,
    /// Consecutive active weeks ending with the week of `as_of` (or the week before it).
    pub current_streak: u32,
    /// Longest run of inactive weeks in the weeks measured (a run of idle weeks up to the week of `as_of`
    /// counts too).
    pub longest_gap: u32,
    /// Whole weeks since the last active week (0 when the week of `as_of` is active).
    pub weeks_since_last_activity: Option<u32>,
    /// Median days between deployments (`None` with fewer than two deployments).
    pub median_days_between_deployments: Option<f64>,
    /// Share (0..=1) of the window's activity in its last quarter (its last ⌈weeks ÷ 4⌉ weeks); 0 without
    /// activity.
    pub last_quarter_share: f64,
    /// The busiest week's activity divided by the median week's (over weeks measured; a median below 1 counts
    /// as 1).
    pub peak_to_median: f64,
}

/// Everything the activity stage knows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Activity {
    /// Which sources contributed, joined by `+`: `git`, `github`, `git+github`; `none` when none did.
    pub source: String,
    /// One entry per ISO week from the first week with activity (or `--since`) to the week of `as_of`.
    pub weekly: Vec<WeekActivity>,
    /// Workflow files and what they deploy.
    pub workflows: Vec<Workflow>,
    /// Where `weekly[].deployments` come from: `runs` (the GitHub API's runs and deployment statuses),
    /// `inferred` (pushes that trigger a deploying workflow, see [`deploys`]) or `none` (nothing deploys on push).
    pub deployments_source: String,
    /// What the deployment count is, for the reports: `inferred from pushes to main that trigger azure-dev.yml`.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub deployments_basis: String,
    /// Cadence metrics over `weekly`.
    pub metrics: CadenceMetrics,
    /// The git history was cut short by a shallow clone.
    pub shallow: bool,
}

/// The Monday of the ISO week holding `date`.
pub fn week_start(date: Date) -> Date {
    let back = i64::from(date.weekday().to_monday_zero_offset());
    date.checked_sub(jiff::Span::new().days(back))
        .unwrap_or(date)
}
