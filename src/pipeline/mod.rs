//! The scan pipeline: files → inventory → activity → assessment (and usage, with cost exports) → one
//! [`ScanReport`]. Pure apart from reading the repository: the network is reached only through the
//! [`DeploymentSource`] the caller hands in.

// Input from users' files reaches this module: no indexing or string slicing that could panic (CI denies
// warnings). The rest of `src/` is not yet held to this; see the CHANGELOG.
#![warn(clippy::string_slice, clippy::indexing_slicing)]

pub mod activity;
pub mod remote;
pub mod touched;

use crate::assess::{AssessmentInput, assess};
use crate::config::{Config, ConfigError};
use crate::costs::{self, CostError};
use crate::exit::{Exit, ExitStatus};
use crate::iac::ScanOptions;
use crate::inventory::{self, Inventory};
use crate::scan::ScanReport;
pub use activity::{DeploymentSource, DeploymentsUnread};
use jiff::civil::Date;
use std::path::{Path, PathBuf};

/// How far back the history walk goes by default.
pub const DEFAULT_HISTORY_WEEKS: i64 = 104;

/// What to scan and how.
pub struct ScanParams<'a> {
    /// The directory to scan (the repository root or a part of it).
    pub path: PathBuf,
    /// `--config`; default `.github/azengage.yml` under the repository root.
    pub config: Option<PathBuf>,
    /// "Today".
    pub as_of: Date,
    /// Where the history walk stops (default: 104 weeks before `as_of`).
    pub since: Option<Date>,
    /// Cost Management exports (`--costs`; else the config's `costs.path`).
    pub costs: Option<PathBuf>,
    /// Parser options.
    pub options: ScanOptions,
    /// Deployment dates from the GitHub API, when a token is at hand.
    pub deployments: Option<&'a dyn DeploymentSource>,
}

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    /// The configuration file is invalid (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The cost exports cannot be used (exit 2, or 3 when nothing could be read).
    #[error(transparent)]
    Costs(#[from] CostError),
    /// PATH cannot be read (exit 3): the path, then why.
    #[error("cannot read {0}: {1}")]
    Input(String, &'static str),
}

impl ExitStatus for ScanError {
    fn exit(&self) -> Exit {
        match self {
            ScanError::Config(e) => e.exit(),
            ScanError::Costs(e) => e.exit(),
            ScanError::Input(..) => Exit::Input,
        }
    }
}

/// A finished scan.
pub struct ScanOutcome {
    /// The document every printer reads.
    pub report: ScanReport,
    /// The configuration used.
    pub config: Config,
    /// The repository root (the git work tree holding PATH, else PATH).
    pub repo_root: PathBuf,
    /// PATH relative to the repository root, `/`-separated (empty at the root): inventory paths start here.
    pub path_in_repo: String,
    /// The project directory (where `.github/` was read) relative to the repository root: the config's and
    /// the workflows' paths (`.github/...`) start here.
    pub project_in_repo: String,
    /// Things to tell the user on stderr.
    pub notes: Vec<String>,
}

/// Today's date in UTC.
pub fn today() -> Date {
    jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
}

/// Where a scan reads from and what it is configured with: the part of a scan that does not depend on the
/// inventory.
struct Setup {
    repo_root: PathBuf,
    project_root: PathBuf,
    path_in_repo: String,
    config: Config,
    since: Date,
}

fn setup(params: &ScanParams<'_>) -> Result<Setup, ScanError> {
    if !params.path.is_dir() {
        // A template file is a common first try (`inventory` takes one): say what to give instead.
        let why = if params.path.is_file() {
            "a file; scan reads a repository directory (inventory takes a single template file)"
        } else {
            "no such directory"
        };
        return Err(ScanError::Input(params.path.display().to_string(), why));
    }
    let repo_root = repository_root(&params.path);
    let path_in_repo = relative_in(&repo_root, &params.path);
    let project_root = project_root(&params.path, &repo_root);
    let config = match &params.config {
        Some(file) => Config::load(file)?,
        None => Config::find(&project_root)?,
    };
    crate::assess::rules::check_config(&config)?;
    let since = params.since.unwrap_or_else(|| {
        params
            .as_of
            .checked_sub(jiff::Span::new().weeks(DEFAULT_HISTORY_WEEKS))
            .unwrap_or(params.as_of)
    });
    Ok(Setup {
        repo_root,
        project_root,
        path_in_repo,
        config,
        since,
    })
}

/// The configuration and the activity of `params.path`, without the inventory: what scoring another
/// inventory (a `diff` side) needs. Services and regions touched per week are left empty.
pub fn config_and_activity(
    params: &ScanParams<'_>,
) -> Result<(Config, crate::history::Activity), ScanError> {
    let Setup {
        project_root,
        config,
        since,
        ..
    } = setup(params)?;
    let outcome = activity::collect(
        &params.path,
        &project_root,
        false,
        (since, params.as_of),
        params.options.max_file_size,
        params.deployments,
    );
    Ok((config, outcome.activity))
}

/// Run the whole scan.
pub fn scan(params: &ScanParams<'_>) -> Result<ScanOutcome, ScanError> {
    let Setup {
        repo_root,
        project_root,
        path_in_repo,
        config,
        since,
    } = setup(params)?;
    let context = deploy_context(params, &repo_root, &project_root, &config);
    let mut inventory = inventory::build_in(
        std::slice::from_ref(&params.path),
        &params.options,
        &context,
    );
    apply_path_filters(&mut inventory, &config, &path_in_repo);
    let outcome = activity::collect(
        &params.path,
        &project_root,
        true,
        (since, params.as_of),
        params.options.max_file_size,
        params.deployments,
    );
    let mut notes = outcome.notes;
    if config.source.is_none() && params.config.is_none() {
        notes.push(
            "no .github/azengage.yml: run `azengage init` to give the program's dates, credits and checklist".into(),
        );
    }
    let costs_path = params
        .costs
        .clone()
        .or_else(|| config.costs.path.as_ref().map(|p| project_root.join(p)));
    let costs = match costs_path {
        Some(p) => {
            let data = costs::read(&p)?;
            let review = crate::assess::timeline::review_date(&config);
            let summary = costs::summarize(&data, &inventory, config.program.credits.total, review);
            inventory.diagnostics.extend(data.diagnostics);
            Some(summary)
        }
        None => None,
    };
    inventory.diagnostics.extend(outcome.diagnostics);
    let assessment = assess(&AssessmentInput {
        inventory: &inventory,
        activity: &outcome.activity,
        config: &config,
        as_of: params.as_of,
        costs: costs.as_ref(),
    });
    let mut report = ScanReport::new(params.as_of, inventory, outcome.activity, assessment);
    report.costs = costs;
    report.config_file = config.source.as_ref().map(|s| s.file.clone());
    report.repository = remote::origin_slug(&repo_root).map(|s| s.to_string());
    let project_in_repo = relative_in(&repo_root, &project_root);
    Ok(ScanOutcome {
        report,
        config,
        repo_root,
        path_in_repo,
        project_in_repo,
        notes,
    })
}

pub use crate::discover::{project_root, repository_root};

/// What the inventory stage needs to find the roots: the repository, the project (`.github/`, `azure.yaml`)
/// and the config's `deploy` settings.
pub fn deploy_context(
    params: &ScanParams<'_>,
    repo_root: &Path,
    project_root: &Path,
    config: &Config,
) -> crate::deploy::Context {
    let file = match &params.config {
        Some(file) => Some(file.clone()),
        None => Some(project_root.join(crate::config::DEFAULT_PATH)).filter(|f| f.is_file()),
    };
    crate::deploy::Context {
        repo_root: repo_root.to_path_buf(),
        project_root: project_root.to_path_buf(),
        ..crate::deploy::Context::default()
    }
    .with_config(config, file.as_deref())
}

fn relative_in(root: &Path, path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    abs.strip_prefix(root)
        .map(crate::model::path_string)
        .unwrap_or_default()
        .trim_matches('/')
        .to_string()
}

/// Drop resources and diagnostics outside `paths.include` or inside `paths.exclude` (globs relative to the
/// repository root).
fn apply_path_filters(inv: &mut Inventory, config: &Config, path_in_repo: &str) {
    let build = |globs: &[String]| -> Option<globset::GlobSet> {
        if globs.is_empty() {
            return None;
        }
        let mut b = globset::GlobSetBuilder::new();
        for g in globs {
            if let Ok(glob) = globset::Glob::new(g) {
                b.add(glob);
            }
        }
        b.build().ok()
    };
    let include = build(&config.paths.include);
    let exclude = build(&config.paths.exclude);
    if include.is_none() && exclude.is_none() {
        return;
    }
    let keep = |file: &str| {
        let in_repo = if path_in_repo.is_empty() {
            file.to_string()
        } else {
            format!("{path_in_repo}/{file}")
        };
        include.as_ref().is_none_or(|g| g.is_match(&in_repo))
            && !exclude.as_ref().is_some_and(|g| g.is_match(&in_repo))
    };
    inv.retain_files(keep);
}
