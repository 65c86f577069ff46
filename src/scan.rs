//! The `scan` document: everything one scan found, in one value that every printer reads.
//!
//! [`ScanReport`] serialises to exactly the contract's `scan --format json` shape (`schema_version`, `as_of`,
//! `activity`, `score`, `program`, `suggestions`) plus the inventory's `services`, `regions`, `resources` and
//! `diagnostics`. The text, Markdown and SARIF printers in [`crate::report`] take it as it is, so the formats
//! cannot disagree about what was found. The pipeline that fills it lives elsewhere; this module only holds the
//! parts together and answers the few questions several printers ask (the recent weekly series, where a
//! suggestion without a file should point).

use crate::assess::{Assessment, ProgramStatus, Score, Suggestion};
use crate::history::{Activity, week_start};
use crate::inventory::{Inventory, RegionSummary, SCHEMA_VERSION, ServiceSummary};
use crate::model::{Diagnostic, Resource};
use jiff::civil::Date;
use serde::Serialize;

/// The default configuration file, relative to the repository root.
pub const DEFAULT_CONFIG_FILE: &str = ".github/azengage.yml";

/// The `scan --format json` document.
#[derive(Debug, Clone, Serialize)]
pub struct ScanReport {
    /// Always [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The day the scan treats as today (`--as-of`, else the current UTC date).
    pub as_of: Date,
    /// `owner/name` when known (the action, or a GitHub remote); `null` otherwise.
    pub repository: Option<String>,
    /// The configuration file that was read, relative to the repository root; `null` when there was none.
    pub config_file: Option<String>,
    /// Weekly IaC commits and deployments, and the workflow files.
    pub activity: Activity,
    /// The engagement estimate with its breakdown.
    pub score: Score,
    /// The program timeline.
    pub program: ProgramStatus,
    /// Advice, sorted by severity, then file and line.
    pub suggestions: Vec<Suggestion>,
    /// Services of deployed Azure resources, most used first (as in `inventory`).
    pub services: Vec<ServiceSummary>,
    /// Regions of deployed Azure resources, most used first (as in `inventory`).
    pub regions: Vec<RegionSummary>,
    /// Every resource found (as in `inventory`).
    pub resources: Vec<Resource>,
    /// The roots deployments start from (as in `inventory`).
    pub roots: Vec<crate::deploy::Root>,
    /// One line: how the roots were found (as in `inventory`).
    pub roots_summary: String,
    /// One line on where the region comes from, when it is an environment value (as in `inventory`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_note: Option<String>,
    /// Problems with the inputs (as in `inventory`).
    pub diagnostics: Vec<Diagnostic>,
    /// Real usage from Cost Management exports (`scan --costs`); absent without exports.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub costs: Option<crate::costs::CostsSummary>,
    /// The repositories behind an account's report (`azengage merge`): their contributions and the notes on
    /// them, as `repositories` and `notes`; absent for a scan of one repository.
    #[serde(flatten)]
    pub account: Option<crate::account::AccountSummary>,
}

/// One week of the filled-in weekly series (weeks without activity included, with zeros).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeekCount {
    /// The Monday that starts the week.
    pub week_start: Date,
    /// IaC commits in the week.
    pub iac_commits: u32,
    /// Deployments in the week.
    pub deployments: u32,
}

impl WeekCount {
    /// Commits and deployments together.
    pub fn total(&self) -> u32 {
        self.iac_commits.saturating_add(self.deployments)
    }
}

impl ScanReport {
    /// Put the stages' results together. `repository` and `config_file` start empty; set the fields when known.
    pub fn new(
        as_of: Date,
        inventory: Inventory,
        activity: Activity,
        assessment: Assessment,
    ) -> Self {
        ScanReport {
            schema_version: SCHEMA_VERSION,
            as_of,
            repository: None,
            config_file: None,
            activity,
            score: assessment.score,
            program: assessment.program,
            suggestions: assessment.suggestions,
            services: inventory.services,
            regions: inventory.regions,
            resources: inventory.resources,
            roots: inventory.roots,
            roots_summary: inventory.roots_summary,
            region_note: inventory.region_note,
            diagnostics: inventory.diagnostics,
            costs: None,
            account: None,
        }
    }

    /// Deployed Azure resources: reached from a root and not switched off, with an ARM type, not `existing`
    /// references nor nested deployments (see [`crate::inventory::counts_as_deployed`]).
    pub fn deployed(&self) -> impl Iterator<Item = &Resource> {
        self.resources
            .iter()
            .filter(|r| crate::inventory::counts_as_deployed(r))
    }

    /// Weeks from the first week in `activity.weekly` to the week of `as_of` (0 when there is no activity).
    pub fn weeks_covered(&self) -> usize {
        let last = week_start(self.as_of);
        self.activity
            .weekly
            .iter()
            .map(|w| w.week_start)
            .min()
            .map_or(0, |first| weeks_between(first, last) + 1)
    }

    /// The last `count` weeks ending with the week of `as_of`, oldest first, weeks without activity filled with
    /// zeros (the contract lets `activity.weekly` omit them).
    pub fn recent_weeks(&self, count: usize) -> Vec<WeekCount> {
        let last = week_start(self.as_of);
        let mut weeks: Vec<WeekCount> = (0..count)
            .rev()
            .filter_map(|back| {
                let days = i64::try_from(back).ok()?.checked_mul(7)?;
                let start = last
                    .checked_sub(jiff::Span::new().try_days(days).ok()?)
                    .ok()?;
                Some(WeekCount {
                    week_start: start,
                    iac_commits: 0,
                    deployments: 0,
                })
            })
            .collect();
        for w in &self.activity.weekly {
            let start = week_start(w.week_start);
            if let Some(slot) = weeks.iter_mut().find(|s| s.week_start == start) {
                slot.iac_commits = slot.iac_commits.saturating_add(w.iac_commits);
                slot.deployments = slot.deployments.saturating_add(w.deployments);
            }
        }
        weeks
    }

    /// True when the last 13 weeks (ending with the week of `as_of`) hold no activity at all: the reports then
    /// say so instead of naming a busiest week (the contract's empty-window rule).
    pub fn quiet_last_quarter(&self) -> bool {
        self.recent_weeks(13).iter().all(|w| w.total() == 0)
    }

    /// Where a finding without a file of its own is reported (SARIF needs a location for every result): the
    /// configuration file when one was read, else the first IaC file with a resource, else the first workflow
    /// file, else `README.md`.
    pub fn fallback_location(&self) -> String {
        if let Some(config) = self.config_file.as_deref().filter(|c| !c.is_empty()) {
            return config.to_string();
        }
        if let Some(file) = self
            .resources
            .iter()
            .map(|r| r.file.as_str())
            .filter(|f| !f.is_empty())
            .min()
        {
            return file.to_string();
        }
        if let Some(wf) = self.activity.workflows.first() {
            return wf.file.clone();
        }
        "README.md".to_string()
    }
}

/// Whole weeks from `from` to `to` (0 when `to` is not later).
fn weeks_between(from: Date, to: Date) -> usize {
    let days = to.since(from).map_or(0, |span| span.get_days());
    usize::try_from(days / 7).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::history::WeekActivity;
    use jiff::civil::date;

    fn week(start: Date, iac_commits: u32, deployments: u32) -> WeekActivity {
        WeekActivity {
            week_start: start,
            iac_commits,
            deployments,
            services_touched: vec![],
            regions_touched: vec![],
        }
    }

    fn report_with(weekly: Vec<WeekActivity>) -> ScanReport {
        let mut r = ScanReport::new(
            date(2026, 11, 25),
            Inventory::default(),
            Activity::default(),
            crate::report::test_support::assessment(),
        );
        r.activity.weekly = weekly;
        r
    }

    #[test]
    fn recent_weeks_fill_gaps_and_end_with_the_week_of_as_of() {
        // 2026-11-25 is a Wednesday: its week starts on Monday 2026-11-23.
        let r = report_with(vec![
            week(date(2026, 11, 9), 2, 0),
            week(date(2026, 11, 23), 1, 3),
        ]);
        let weeks = r.recent_weeks(4);
        let starts: Vec<Date> = weeks.iter().map(|w| w.week_start).collect();
        assert_eq!(
            starts,
            vec![
                date(2026, 11, 2),
                date(2026, 11, 9),
                date(2026, 11, 16),
                date(2026, 11, 23)
            ]
        );
        let totals: Vec<u32> = weeks.iter().map(WeekCount::total).collect();
        assert_eq!(totals, vec![0, 2, 0, 4]);
        assert_eq!(r.weeks_covered(), 3);
    }

    #[test]
    fn weeks_covered_is_zero_without_activity() {
        assert_eq!(report_with(vec![]).weeks_covered(), 0);
    }

    #[test]
    fn fallback_location_prefers_config_then_iac_then_workflow() {
        let mut r = report_with(vec![]);
        assert_eq!(r.fallback_location(), "README.md");
        r.activity.workflows.push(crate::history::Workflow {
            file: ".github/workflows/deploy.yml".into(),
            deploys: true,
            tools: vec!["azd".into()],
            triggers: vec!["push".into()],
            branches: vec![],
            regions: vec![],
            name: None,
        });
        assert_eq!(r.fallback_location(), ".github/workflows/deploy.yml");
        r.resources.push(Resource::new(
            "azurerm_storage_account",
            "sa",
            "infra/z.tf",
            3,
        ));
        r.resources
            .push(Resource::new("azurerm_key_vault", "kv", "infra/a.tf", 9));
        assert_eq!(r.fallback_location(), "infra/a.tf");
        r.config_file = Some(DEFAULT_CONFIG_FILE.into());
        assert_eq!(r.fallback_location(), ".github/azengage.yml");
    }
}
