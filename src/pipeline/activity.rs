//! Assembling the activity stage from its sources: git history, workflow files, and deployment dates fetched
//! at the edge (the pipeline never calls the network itself: a [`DeploymentSource`] is handed in).

use crate::history::{self, Activity, WeekActivity, git, weekly};
use crate::inventory::Inventory;
use crate::model::Diagnostic;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Deployment dates from outside the repository (the GitHub API), fetched by the caller.
pub trait DeploymentSource {
    /// Dates (UTC) of successful deployments of `workflow_files` in the window, or why there are none.
    fn deployment_dates(
        &self,
        workflow_files: &[String],
        since: Date,
        as_of: Date,
    ) -> Result<Vec<Date>, String>;
}

/// The activity stage's result, with what the user should hear about it.
pub struct ActivityOutcome {
    /// The activity.
    pub activity: Activity,
    /// Workflow files that could not be read, unreadable git objects.
    pub diagnostics: Vec<Diagnostic>,
    /// Things to tell the user on stderr (shallow clone, API permission).
    pub notes: Vec<String>,
}

/// Collect the activity of `path` (inside the repository at `repo_root`); workflow files over
/// `max_file_size` bytes are skipped as IaC files are.
pub fn collect(
    path: &Path,
    repo_root: &Path,
    inventory: &Inventory,
    window: (Date, Date),
    max_file_size: u64,
    deployments: Option<&dyn DeploymentSource>,
) -> ActivityOutcome {
    let (since, as_of) = window;
    let mut notes = Vec::new();
    let mut sources = Vec::new();
    let opts = crate::iac::ScanOptions {
        max_file_size,
        ..crate::iac::ScanOptions::default()
    };
    let (workflows, mut diagnostics) = history::workflows::analyze_with(repo_root, &opts);
    let history = match git::iac_history(path, since, as_of) {
        Ok(h) => h,
        Err(e) => {
            notes.push(format!("git history not read: {e}"));
            git::GitHistory::default()
        }
    };
    diagnostics.extend(history.diagnostics.iter().cloned());
    if history.is_repository {
        sources.push("git");
    } else {
        notes.push(format!(
            "{} is not in a git repository: no IaC history",
            path.display()
        ));
    }
    if history.shallow {
        notes.push(
            "this is a shallow clone, so the IaC history is cut short; in GitHub Actions check out with \
             `fetch-depth: 0` (actions/checkout)"
                .into(),
        );
    }
    let mut deployment_dates = Vec::new();
    if let Some(source) = deployments {
        let files: Vec<String> = workflows
            .iter()
            .filter(|w| w.deploys)
            .map(|w| w.file.clone())
            .collect();
        match source.deployment_dates(&files, since, as_of) {
            Ok(dates) => {
                deployment_dates = dates;
                sources.push("github");
            }
            Err(why) => notes.push(why),
        }
    }
    let mut weekly = weekly::weekly(&history.commits, &deployment_dates, since, as_of);
    fill_touched(
        &mut weekly,
        &weekly::touched_paths_by_week(&history.commits, since, as_of),
        inventory,
    );
    let metrics = history::cadence::metrics(&weekly, &deployment_dates, as_of);
    let source = if sources.is_empty() {
        "none".to_string()
    } else {
        sources.join("+")
    };
    let activity = Activity {
        source,
        weekly,
        workflows,
        metrics,
        shallow: history.shallow,
    };
    ActivityOutcome {
        activity,
        diagnostics,
        notes,
    }
}

/// Name the services and regions declared in the files each week touched.
fn fill_touched(
    weekly: &mut [WeekActivity],
    touched: &BTreeMap<Date, BTreeSet<String>>,
    inventory: &Inventory,
) {
    let mut by_file: BTreeMap<&str, (BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
    for r in inventory.deployed() {
        let e = by_file.entry(r.file.as_str()).or_default();
        if let Some(s) = r
            .service
            .as_ref()
            .filter(|_| crate::inventory::counts_for_breadth(r))
        {
            e.0.insert(s);
        }
        if let Some(l) = &r.location {
            e.1.insert(l);
        }
    }
    for week in weekly {
        let Some(paths) = touched.get(&week.week_start) else {
            continue;
        };
        let (mut services, mut regions) = (BTreeSet::new(), BTreeSet::new());
        for p in paths {
            if let Some((s, r)) = by_file.get(p.as_str()) {
                services.extend(s.iter().map(|x| x.to_string()));
                regions.extend(r.iter().map(|x| x.to_string()));
            }
        }
        week.services_touched = services.into_iter().collect();
        week.regions_touched = regions.into_iter().collect();
    }
}
