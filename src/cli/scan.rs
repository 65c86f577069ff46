//! `azengage scan`: the main job — inventory, activity, assessment and suggestions in one report.

use super::{CliError, say};
use crate::assess::threshold_failed;
use crate::config::FailOn;
use crate::exit::Exit;
use crate::github::RepoSlug;
use crate::github::source::ApiDeployments;
use crate::iac::ScanOptions;
use crate::pipeline::{self, DeploymentSource, ScanParams};
use crate::report::markdown::{MarkdownOptions, write_markdown};
use crate::report::sarif::{SarifOptions, SarifRule, rules_for, write_sarif};
use crate::report::style::Style;
use crate::scan::ScanReport;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage scan                                  this repository, today
  azengage scan infra/ --as-of 2026-11-23        reproducible: \"today\" is that date
  azengage scan --format markdown > report.md    what the PR comment shows
  azengage scan --format sarif > azengage.sarif  for GitHub code scanning
  azengage scan --costs exports/                 with real spend from Cost Management exports
  azengage scan --fail-on warning --min-score 60 exit 1 when the estimate falls short

With GITHUB_TOKEN set (and --repo or a GitHub origin remote), successful deployment runs count too.
The score is an estimate from what the repository shows: Microsoft publishes no formula.
Exit codes: 0 ok, 1 a --fail-on/--min-score threshold was crossed, 2 usage or configuration error,
3 input could not be read.";

/// Output formats of `scan`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ScanFormat {
    /// A report for a terminal.
    Text,
    /// The contract's JSON document.
    Json,
    /// The report the PR comment and the report issue show.
    Markdown,
    /// SARIF 2.1.0, one result per suggestion.
    Sarif,
}

/// Arguments of `azengage scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The repository, or a directory in it.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ScanFormat::Text)]
    pub format: ScanFormat,
    /// Configuration file (default: `.github/azengage.yml` under the repository root, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluate "today" as this date (UTC), making every date-dependent output reproducible.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
    /// Where the history walk stops (default: 104 weeks before --as-of); the whole ISO week holding it counts.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<jiff::civil::Date>,
    /// Azure Cost Management exports (a file or a directory): real spend beside the IaC.
    #[arg(long, value_name = "PATH")]
    pub costs: Option<PathBuf>,
    /// Exit 1 when a suggestion of this severity or worse exists (overrides the config's `fail_on`).
    #[arg(long, value_name = "SEVERITY", value_parser = ["error", "warning", "note", "never"])]
    pub fail_on: Option<String>,
    /// Exit 1 when the estimate is below N (overrides the config's `min_score`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub min_score: Option<u32>,
    /// `owner/name` on GitHub: names the repository in the report (`repository`, which `azengage merge` reads)
    /// and, with GITHUB_TOKEN, whose deployment runs count (default: from the `origin` remote).
    #[arg(long, value_name = "OWNER/NAME", value_parser = repo_slug)]
    pub repo: Option<String>,
    /// Skip files larger than this many bytes (with a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = crate::iac::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

/// Run the command; returns the exit code.
pub fn run(args: &ScanArgs, style: Style, quiet: bool) -> Result<Exit, CliError> {
    let as_of = args.as_of.unwrap_or_else(pipeline::today);
    let repo_root = pipeline::repository_root(&args.path);
    let github = github_source(args.repo.as_deref(), &repo_root, quiet);
    let params = ScanParams {
        path: args.path.clone(),
        config: args.config.clone(),
        as_of,
        since: args.since,
        costs: args.costs.clone(),
        options: ScanOptions {
            max_file_size: args.max_file_size,
            ..ScanOptions::default()
        },
        deployments: github.as_ref().map(|g| g as &dyn DeploymentSource),
    };
    let mut outcome = pipeline::scan(&params)?;
    if !quiet {
        for note in &outcome.notes {
            say(&format!("note: {note}"));
        }
    }
    if let Some(repo) = &args.repo {
        outcome.report.repository = Some(repo.clone());
    }
    let report = &outcome.report;
    // Buffered: a locked stdout is line-buffered, one `write` per line of JSON.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        ScanFormat::Json => crate::report::write_json(&mut out, report)?,
        ScanFormat::Text => crate::report::scan_text::write_text(&mut out, report, style)?,
        ScanFormat::Markdown => write_markdown(
            &mut out,
            report,
            &MarkdownOptions {
                marker: false,
                ..MarkdownOptions::default()
            },
        )?,
        ScanFormat::Sarif => {
            let opts = SarifOptions {
                uri_prefix: outcome.path_in_repo.clone(),
                github_prefix: outcome.project_in_repo.clone(),
                ..SarifOptions::default()
            };
            write_sarif(&mut out, report, &sarif_rules(report), &opts)?;
        }
    }
    out.flush()?;
    Ok(threshold_exit(
        report,
        args.fail_on.as_deref(),
        args.min_score,
        &outcome.config,
    ))
}

/// [`Exit::Threshold`] when `report` crosses the threshold given on the command line (`--fail-on`,
/// `--min-score`) or else in the config; [`Exit::Ok`] otherwise.
pub(super) fn threshold_exit(
    report: &crate::scan::ScanReport,
    fail_on: Option<&str>,
    min_score: Option<u32>,
    config: &crate::config::Config,
) -> Exit {
    let fail_on = fail_on.and_then(FailOn::parse).or(config.fail_on);
    let min_score = min_score.or(config.min_score);
    let assessment = crate::assess::Assessment {
        score: report.score.clone(),
        program: report.program.clone(),
        suggestions: report.suggestions.clone(),
    };
    if threshold_failed(&assessment, fail_on, min_score) {
        Exit::Threshold
    } else {
        Exit::Ok
    }
}

/// `--repo` that is not `owner/name`.
#[derive(Debug, thiserror::Error)]
#[error("'{0}' is not a GitHub repository as owner/name")]
pub(super) struct NotARepoSlug(String);

/// `--repo`: an `owner/name` slug.
fn repo_slug(text: &str) -> Result<String, NotARepoSlug> {
    RepoSlug::parse(text)
        .map(|slug| slug.to_string())
        .ok_or_else(|| NotARepoSlug(text.to_string()))
}

/// The rule metadata SARIF describes, from the registry.
pub fn sarif_rules(report: &ScanReport) -> Vec<SarifRule> {
    rules_for(&report.suggestions, &|id| {
        crate::assess::rules::find(id).map(|r| SarifRule {
            id: r.id.to_string(),
            name: r.name.to_string(),
            title: r.title.to_string(),
            default_level: r.severity,
        })
    })
}

/// The GitHub API as a deployment source, when a token is in the environment; `repo` is `--repo`.
pub(super) fn github_source(
    repo: Option<&str>,
    repo_root: &std::path::Path,
    quiet: bool,
) -> Option<ApiDeployments> {
    let token = std::env::var("GITHUB_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())?;
    let slug = match repo {
        Some(r) => RepoSlug::parse(r),
        None => pipeline::remote::origin_slug(repo_root),
    };
    let Some(slug) = slug else {
        if !quiet {
            say("note: GITHUB_TOKEN is set but the repository is unknown; pass --repo owner/name");
        }
        return None;
    };
    let api = std::env::var("GITHUB_API_URL")
        .unwrap_or_else(|_| crate::github::DEFAULT_API_URL.to_string());
    match ApiDeployments::new(&api, token, slug) {
        Ok(source) => Some(source),
        Err(e) => {
            say(&format!("note: GitHub deployments not counted: {e}"));
            None
        }
    }
}
