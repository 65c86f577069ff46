//! The scan half of a run: the workspace through [`crate::pipeline::scan`], plus what a PR run needs from the
//! local clone (the diff of `base...head`, each side scored like the scan) and the SARIF file.
//!
//! Deployment dates from the API feed the scan on report and scan runs only: a PR run keeps to the request
//! budget (list, create, re-list, plus the file list when the base commit is missing).

use super::event::PullRequest;
use super::inputs::{ActionEnv, Mode};
use super::pr::{self, LocalDiffError};
use crate::assess::{AssessmentInput, assess};
use crate::config::Config;
use crate::diff::DiffReport;
use crate::github::{Client, GithubError};
use crate::iac::ScanOptions;
use crate::pipeline::{self, DeploymentSource, DeploymentsUnread, ScanError, ScanParams};
use crate::report::sarif::{SarifOptions, SarifRule, rules_for, write_sarif};
use crate::scan::ScanReport;
use jiff::civil::Date;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A finished scan with what the rest of the run needs.
pub struct Scanned {
    /// The scan document.
    pub report: ScanReport,
    /// The configuration used (thresholds, scoring of the diff's sides).
    pub config: Config,
    /// The directory scanned.
    pub scan_path: PathBuf,
    /// That directory relative to the repository root (empty at the root).
    pub path_in_repo: String,
    /// Where `.github/` was read, relative to the repository root (empty at the root).
    pub project_in_repo: String,
    /// Things to say in the job summary.
    pub notes: Vec<String>,
    /// GitHub rejected the token (401) while deployments were read: the run ends with exit 4.
    pub token_rejected: Option<GithubError>,
}

/// Scan `path` (relative to the workspace) with the `config` and `costs` inputs. The error's exit code comes
/// from [`crate::exit::ExitStatus`], as in `azengage scan`.
pub fn scan(
    env: &ActionEnv,
    mode: Mode,
    as_of: Option<Date>,
    client: Option<&Client>,
    runtime: &tokio::runtime::Runtime,
) -> Result<Scanned, ScanError> {
    let scan_path = super::run::in_workspace(env, &env.path);
    let source = client
        .filter(|_| mode != Mode::Pr)
        .map(|client| ApiDeployments {
            client,
            runtime,
            rejected: Mutex::new(None),
        });
    let params = ScanParams {
        path: scan_path.clone(),
        config: env
            .config
            .as_ref()
            .map(|c| super::run::in_workspace(env, c)),
        as_of: as_of.unwrap_or_else(pipeline::today),
        since: None,
        costs: env.costs.as_ref().map(|c| super::run::in_workspace(env, c)),
        options: ScanOptions::default(),
        deployments: source.as_ref().map(|s| s as &dyn DeploymentSource),
    };
    let outcome = pipeline::scan(&params)?;
    let token_rejected = source
        .as_ref()
        .and_then(|s| s.rejected.lock().ok().and_then(|mut r| r.take()));
    let mut report = outcome.report;
    if let Some(repo) = env.repository.as_deref() {
        report.repository = Some(repo.to_string());
    }
    Ok(Scanned {
        report,
        config: outcome.config,
        scan_path,
        path_in_repo: outcome.path_in_repo,
        project_in_repo: outcome.project_in_repo,
        notes: outcome.notes,
        token_rejected,
    })
}

/// The PR's IaC change from the local clone, each side scored with the scan's activity and configuration.
pub fn local_diff(scanned: &Scanned, pr: &PullRequest) -> Result<DiffReport, LocalDiffError> {
    let report = &scanned.report;
    let score = |inventory: &crate::inventory::Inventory| {
        Some(
            assess(&AssessmentInput {
                inventory,
                activity: &report.activity,
                config: &scanned.config,
                as_of: report.as_of,
                costs: report.costs.as_ref(),
            })
            .score
            .total,
        )
    };
    pr::local_diff(&scanned.scan_path, pr, &ScanOptions::default(), &score)
}

/// Write the suggestions as SARIF to `path` (parent directories created), with paths relative to the
/// repository root.
pub fn write_sarif_file(path: &Path, scanned: &Scanned) -> std::io::Result<()> {
    let known = |id: &str| {
        crate::assess::rules::find(id).map(|r| SarifRule {
            id: r.id.to_string(),
            name: r.name.to_string(),
            title: r.title.to_string(),
            default_level: r.severity,
        })
    };
    let rules = rules_for(&scanned.report.suggestions, &known);
    let opts = SarifOptions {
        uri_prefix: scanned.path_in_repo.clone(),
        github_prefix: scanned.project_in_repo.clone(),
        ..SarifOptions::default()
    };
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    write_sarif(&mut file, &scanned.report, &rules, &opts)?;
    std::io::Write::flush(&mut file)
}

/// Deployment dates from the API for the activity stage, fetched on the run's runtime (the scan itself is
/// synchronous and runs outside it).
struct ApiDeployments<'a> {
    client: &'a Client,
    runtime: &'a tokio::runtime::Runtime,
    /// A 401 seen on the way (the scan goes on without deployments; the run then fails with exit 4).
    rejected: Mutex<Option<GithubError>>,
}

impl DeploymentSource for ApiDeployments<'_> {
    fn deployment_dates(
        &self,
        workflow_files: &[String],
        since: Date,
        as_of: Date,
    ) -> Result<Vec<Date>, DeploymentsUnread> {
        let fetched = crate::github::source::dates_on(
            self.runtime,
            self.client,
            workflow_files,
            (since, as_of),
        );
        match fetched {
            Ok(Some(dates)) => Ok(dates),
            Ok(None) => Err(DeploymentsUnread::NotPermitted(
                "deployment history not read: the token lacks permission (actions: read, deployments: read)"
                    .into(),
            )),
            Err(e) => {
                let message = format!("deployment history not read: {e}");
                if e.is_token_rejected()
                    && let Ok(mut slot) = self.rejected.lock()
                {
                    *slot = Some(e);
                }
                Err(DeploymentsUnread::Failed(message))
            }
        }
    }
}
