//! `azengage diff`.

use super::CliError;
use crate::exit::Exit;
use crate::iac::ScanOptions;
use crate::report::style::Style;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage diff --base main --head HEAD              what this branch changes
  azengage diff --base HEAD~3 --head HEAD infra/     only under infra/
  azengage diff --base origin/main --head HEAD --format json
  azengage diff --base main --head HEAD --format markdown   the section the PR comment shows

Both revisions are read from git objects; the work tree is not touched. The estimate at each side is scored
with the current history and config (--as-of sets \"today\").
Exit codes: 0 ok, 2 usage error or a revision that does not resolve, 3 not a git repository.";

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Added, removed and changed resources for a terminal.
    Text,
    /// The contract's JSON document.
    Json,
    /// The "what this pull request changes" section of the PR comment.
    Markdown,
}

/// Arguments of `azengage diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The revision the change starts from (a branch, tag, `HEAD~3`, a commit id).
    #[arg(long, value_name = "REV")]
    pub base: String,
    /// The revision the change ends at.
    #[arg(long, value_name = "REV", default_value = "HEAD")]
    pub head: String,
    /// Only IaC under this directory of the repository (default: the current directory).
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Configuration file, for scoring each side (default: `.github/azengage.yml`, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluate "today" as this date (UTC) when scoring each side.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
}

/// Run the command; returns the exit code.
pub fn run(args: &DiffArgs, style: Style) -> Result<Exit, CliError> {
    let invs =
        crate::diff::inventories(&args.path, &args.base, &args.head, &ScanOptions::default())?;
    // Each side is scored with today's history and config: the diff shows how the change moves the estimate.
    let as_of = args.as_of.unwrap_or_else(crate::pipeline::today);
    let context = crate::pipeline::config_and_activity(&crate::pipeline::ScanParams {
        path: args.path.clone(),
        config: args.config.clone(),
        as_of,
        since: None,
        costs: None,
        options: ScanOptions::default(),
        deployments: None,
    });
    let (config, activity) = context?;
    let score = |inventory: &crate::inventory::Inventory| {
        let input = crate::assess::AssessmentInput {
            inventory,
            activity: &activity,
            config: &config,
            as_of,
            costs: None,
        };
        Some(crate::assess::score::score(&input).total)
    };
    let report = crate::diff::compare(&invs, &score);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        DiffFormat::Json => crate::report::write_json(&mut out, &report)?,
        DiffFormat::Text => crate::report::diff::write_text(&mut out, &report, style)?,
        DiffFormat::Markdown => writeln!(
            out,
            "{}",
            crate::report::diff_markdown::diff_section(&report)
        )?,
    }
    out.flush()?;
    Ok(Exit::Ok)
}
