//! Assembling the activity stage from its sources: git history, workflow files, and deployment dates fetched
//! at the edge (the pipeline never calls the network itself: a [`DeploymentSource`] is handed in).

use crate::history::{self, Activity, git, weekly};
use crate::model::Diagnostic;
use jiff::civil::Date;
use std::path::Path;

/// Deployment dates from outside the repository (the GitHub API), fetched by the caller.
pub trait DeploymentSource {
    /// Dates (UTC) of successful deployments of `workflow_files` in the window, or why there are none.
    fn deployment_dates(
        &self,
        workflow_files: &[String],
        since: Date,
        as_of: Date,
    ) -> Result<Vec<Date>, DeploymentsUnread>;
}

/// Why a [`DeploymentSource`] has no dates; each source words its own message (the text is the note the user
/// reads), the variant says the cause.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeploymentsUnread {
    /// The token may not read the deploy workflows' runs or the deployments.
    #[error("{0}")]
    NotPermitted(String),
    /// The request failed (network, API error, rejected token).
    #[error("{0}")]
    Failed(String),
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

/// Collect the activity of `path` (inside the repository; `repo_root` is the project directory whose
/// `.github/` is read); workflow files over `max_file_size` bytes are skipped as IaC files are. With
/// `touched`, the weeks the reports show get their services and regions touched (read at each commit).
pub fn collect(
    path: &Path,
    repo_root: &Path,
    touched: bool,
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
    let deployments = deployment_dates(
        deployments,
        repo_root,
        &workflows,
        window,
        &mut diagnostics,
        &mut notes,
    );
    if deployments.source == "runs" {
        sources.push("github");
    }
    let deployment_dates = deployments.dates;
    let mut weekly = weekly::weekly(&history.commits, &deployment_dates, since, as_of);
    if touched {
        super::touched::fill(&mut weekly, &history.commits, path, as_of, &opts);
    }
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
        deployments_source: deployments.source.to_string(),
        deployments_basis: deployments.basis,
        metrics,
        shallow: history.shallow,
    };
    ActivityOutcome {
        activity,
        diagnostics,
        notes,
    }
}

/// Deployment dates and where they come from.
struct Deployments {
    /// `runs`, `inferred` or `none`.
    source: &'static str,
    /// What the count is, for the reports.
    basis: String,
    /// One UTC day per deployment.
    dates: Vec<Date>,
}

/// The deploy workflows' runs from the API when they can be read; else deployments inferred from the pushes that
/// trigger them (`project_root` is where `.github/workflows/` is).
fn deployment_dates(
    api: Option<&dyn DeploymentSource>,
    project_root: &Path,
    workflows: &[crate::history::Workflow],
    (since, as_of): (Date, Date),
    diagnostics: &mut Vec<Diagnostic>,
    notes: &mut Vec<String>,
) -> Deployments {
    if let Some(source) = api {
        let files: Vec<String> = workflows
            .iter()
            .filter(|w| w.deploys)
            .map(|w| w.file.clone())
            .collect();
        match source.deployment_dates(&files, since, as_of) {
            Ok(dates) => {
                return Deployments {
                    source: "runs",
                    basis: "from the deploy workflows' runs on GitHub".into(),
                    dates,
                };
            }
            Err(why) => notes.push(why.to_string()),
        }
    }
    let inference = match history::deploys::infer(project_root, since, as_of) {
        Ok(inference) => inference,
        Err(e) => {
            notes.push(format!("deployments not inferred: {e}"));
            history::deploys::Inference::default()
        }
    };
    diagnostics.extend(inference.diagnostics);
    if !inference.has_push_deploy {
        let basis = if workflows.iter().any(|w| w.deploys) {
            "none inferred: no deploy workflow runs on push (manual and scheduled runs are not inferred)"
        } else {
            "no workflow deploys to Azure"
        };
        return Deployments {
            source: "none",
            basis: basis.into(),
            dates: Vec::new(),
        };
    }
    Deployments {
        source: "inferred",
        basis: format!("inferred from {}", inference.basis),
        dates: inference.deployments.iter().map(|d| d.date).collect(),
    }
}
