//! The assessment stage: inventory + activity + config → score, program timeline and suggestions.
//!
//! Everything here is a pure function of [`AssessmentInput`]: no I/O, no clock (today is `as_of`).
//! Microsoft publishes no formula; every number is an estimate with its working shown in the breakdown
//! (`docs/scoring.md` has the formula).

pub mod rules;
pub mod score;
pub mod spend;
pub mod timeline;

use crate::config::{Config, FailOn};
use crate::history::Activity;
use crate::inventory::Inventory;
use jiff::civil::Date;
use serde::Serialize;

/// Score band, as the contract names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// Fewer than 90 days since `joined`: the program shows no score yet.
    NotScoredYet,
    /// Below 50.
    NeedsImprovement,
    /// 50 to 74.
    Moderate,
    /// 75 and above.
    Strong,
}

impl Band {
    /// The contract's name (`needs_improvement`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Band::NotScoredYet => "not_scored_yet",
            Band::NeedsImprovement => "needs_improvement",
            Band::Moderate => "moderate",
            Band::Strong => "strong",
        }
    }
}

/// Where a figure in the breakdown came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FigureSource {
    /// The IaC inventory.
    Iac,
    /// Git history / workflow files / GitHub runs.
    Activity,
    /// `.github/azengage.yml`.
    Config,
    /// A Cost Management export.
    Costs,
}

/// One line of a score component's breakdown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable key, e.g. `services`, `active_weeks_13`, `credits_consumed`.
    pub key: String,
    /// What a person reads, e.g. `7 services (diminishing returns)`.
    pub label: String,
    /// The measured value (count, ratio, percentage), as a number.
    pub value: f64,
    /// Points earned.
    pub points: f64,
    /// Points possible.
    pub max: f64,
    /// Where the value came from.
    pub source: FigureSource,
}

/// One of the three score components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    /// Points earned (sum of the factors, scaled to the weight).
    pub points: f64,
    /// The component's weight (its maximum).
    pub max: f64,
    /// How the points were earned.
    pub factors: Vec<Factor>,
}

/// The engagement estimate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// 0-100, rounded; always computed (also while the program's own score is not visible yet).
    pub total: u32,
    /// The band.
    pub band: Band,
    /// Services, categories, solution areas and regions in use.
    pub breadth: Component,
    /// Steady activity over time.
    pub consistency: Component,
    /// Checklist, evidence kit and credits consumed.
    pub readiness: Component,
}

/// Where the program timeline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineState {
    /// The config gives no dates.
    NotConfigured,
    /// More than 90 days to the review.
    OnTrack,
    /// Within 90 days of the review: a reminder is due.
    ReviewApproaching,
    /// The review date has passed, the credits have not expired.
    ReviewOverdue,
    /// The credits have expired.
    Expired,
}

/// One solution area of the Microsoft Cloud Partner Program and whether the repository's services serve it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SolutionAreaStatus {
    /// Solution area name.
    pub name: String,
    /// Services in the inventory that belong to it.
    pub services: Vec<String>,
}

/// The program's dates and state.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProgramStatus {
    /// `founders-hub` or `partner-program` (`None` without a config).
    pub kind: Option<String>,
    /// The tier held now (`25k`).
    pub tier: Option<String>,
    /// `credits.expires − review_lead_days`.
    pub review_date: Option<Date>,
    /// Days from `as_of` to the review (negative once passed).
    pub days_to_review: Option<i64>,
    /// `joined + 90 days`.
    pub score_visible_from: Option<Date>,
    /// When the credits expire.
    pub credits_expire: Option<Date>,
    /// Percentage of the credits consumed, and where that figure came from.
    pub consumed_percent: Option<f64>,
    /// Where `consumed_percent` came from (`config` or `costs`).
    pub consumed_source: Option<FigureSource>,
    /// The state of the timeline.
    pub state: TimelineState,
    /// Reminder thresholds (days before the review: 90, 60, 45, 30, 14, 7) already reached.
    pub reminders_due: Vec<u32>,
    /// For `partner-program`: the six solution areas and the services serving each.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub solution_areas: Vec<SolutionAreaStatus>,
}

pub use crate::severity::RuleSeverity;

/// One piece of advice from a rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The rule's id (`AZE001`).
    pub id: String,
    /// The rule's name (`no-monitoring`).
    pub rule: String,
    /// Severity after config overrides.
    pub severity: RuleSeverity,
    /// One line.
    pub title: String,
    /// The concrete fix.
    pub detail: String,
    /// Where it applies, when it applies somewhere.
    pub file: Option<String>,
    /// Line in `file`.
    pub line: Option<u32>,
}

/// The result of the assessment stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// The estimate.
    pub score: Score,
    /// The program timeline.
    pub program: ProgramStatus,
    /// Advice, sorted by severity, then file and line.
    pub suggestions: Vec<Suggestion>,
}

/// Everything the assessment reads. `as_of` is "today"; nothing here looks at the clock.
#[derive(Debug, Clone, Copy)]
pub struct AssessmentInput<'a> {
    /// The IaC inventory.
    pub inventory: &'a Inventory,
    /// The activity history.
    pub activity: &'a Activity,
    /// The configuration (defaults when there is no file).
    pub config: &'a Config,
    /// The date to evaluate on.
    pub as_of: Date,
    /// What the Cost Management exports say, when they were given.
    pub costs: Option<&'a crate::costs::CostsSummary>,
}

/// Score, timeline and suggestions for `input`: every rule not disabled by `rules.disable`, with the
/// severities `rules.severity` sets, sorted by severity, then file and line.
pub fn assess(input: &AssessmentInput) -> Assessment {
    let settings = &input.config.rules;
    let disabled: Vec<&str> = settings
        .disable
        .iter()
        .filter_map(|n| rules::find(n))
        .map(|r| r.id)
        .collect();
    let mut suggestions = Vec::new();
    for rule in rules::rules().iter().filter(|r| !disabled.contains(&r.id)) {
        let severity = settings
            .severity
            .iter()
            .find(|(name, _)| rules::find(name).is_some_and(|r| r.id == rule.id))
            .map(|(_, s)| *s);
        suggestions.extend((rule.check)(input).into_iter().map(|mut s| {
            s.severity = severity.unwrap_or(s.severity);
            s
        }));
    }
    sort_suggestions(&mut suggestions);
    Assessment {
        score: score::score(input),
        program: timeline::program_status(input),
        suggestions,
    }
}

/// Sort by severity (errors first), then file and line (suggestions without a place last), then rule id.
pub fn sort_suggestions(suggestions: &mut [Suggestion]) {
    suggestions.sort_by(|a, b| {
        let place = |s: &Suggestion| (s.file.is_none(), s.file.clone(), s.line);
        (a.severity, place(a), &a.id, &a.detail).cmp(&(b.severity, place(b), &b.id, &b.detail))
    });
}

/// Whether a `--fail-on` / `--min-score` threshold is crossed: `fail_on` counts suggestions of that severity
/// or worse (`never` counts none); `min_score` fails when the total is below it. With neither, never.
pub fn threshold_failed(
    assessment: &Assessment,
    fail_on: Option<FailOn>,
    min_score: Option<u32>,
) -> bool {
    let by_severity = fail_on
        .and_then(FailOn::threshold)
        .is_some_and(|worst| assessment.suggestions.iter().any(|s| s.severity <= worst));
    let by_score = min_score.is_some_and(|min| assessment.score.total < min);
    by_severity || by_score
}

#[cfg(test)]
pub(crate) mod test_support;
