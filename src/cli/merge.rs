//! `azengage merge`: one account-level report from the `scan --format json` documents of a startup's
//! repositories.

use super::scan::threshold_exit;
use super::{CliError, say};
use crate::account::{self, MergeParams};
use crate::exit::Exit;
use crate::report::markdown::{MarkdownOptions, write_markdown};
use crate::report::style::Style;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage scan ../web --format json > web.json      one document per repository
  azengage merge web.json api.json data.json         the account: services of all, activity summed
  azengage merge scans/ --config account.yml         every *.json under scans/, the account's config
  azengage merge scans/ --format markdown > report.md
  azengage merge scans/ --costs exports/ --as-of 2026-11-23 --format json

Each document's `repository` names it (scan with --repo owner/name, or from a clone whose origin is on
GitHub); two documents of one repository are an error. The score, timeline and suggestions are computed
again over the union with the account's config (--config, else .github/azengage.yml here) and cost exports;
a repository whose own program settings differ is named in a note.
Exit codes: 0 ok, 1 a --fail-on/--min-score threshold was crossed, 2 a file that is not a scan document, a
newer schema_version, a repository given twice, or a configuration error, 3 input could not be read.";

/// Output formats of `merge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeFormat {
    /// A report for a terminal.
    Text,
    /// One document in the `scan` shape, plus `repositories` and `notes`.
    Json,
    /// The report the account's report issue shows.
    Markdown,
}

/// Arguments of `azengage merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// `scan --format json` documents, or directories holding them (every `*.json` file under them).
    #[arg(value_name = "SCAN.json", required = true)]
    pub scans: Vec<PathBuf>,
    /// The account's configuration file (default: `.github/azengage.yml` under the current repository root,
    /// when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The account's Azure Cost Management exports (a file or a directory; else the config's `costs.path`).
    #[arg(long, value_name = "PATH")]
    pub costs: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MergeFormat::Text)]
    pub format: MergeFormat,
    /// Evaluate "today" as this date (UTC); default: the newest `as_of` among the documents.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
    /// Exit 1 when a suggestion of this severity or worse exists (overrides the config's `fail_on`).
    #[arg(long, value_name = "SEVERITY", value_parser = ["error", "warning", "note", "never"])]
    pub fail_on: Option<String>,
    /// Exit 1 when the account's estimate is below N (overrides the config's `min_score`).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=100))]
    pub min_score: Option<u32>,
}

/// Run the command; returns the exit code.
pub fn run(args: &MergeArgs, style: Style, quiet: bool) -> Result<Exit, CliError> {
    let root = crate::pipeline::repository_root(std::path::Path::new("."));
    let (config, config_base) =
        account::load_config(args.config.as_deref(), &root).map_err(account::MergeError::from)?;
    let params = MergeParams {
        config,
        config_base,
        as_of: args.as_of,
        costs: args.costs.clone(),
    };
    let documents = account::read_documents(&args.scans)?;
    let outcome = account::merge(documents, &params)?;
    let report = &outcome.report;
    if !quiet {
        if report.config_file.is_none() {
            say(
                "note: no account config: give --config FILE with the account's program dates, credits, \
                 checklist and evidence",
            );
        }
        for note in report.account.iter().flat_map(|a| &a.notes) {
            say(&format!("note: {}", crate::report::text::clean(note)));
        }
    }
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        MergeFormat::Json => {
            crate::report::write_json(&mut out, &account::json::AccountDocument::new(&outcome))?
        }
        MergeFormat::Text => crate::report::scan_text::write_text(&mut out, report, style)?,
        MergeFormat::Markdown => write_markdown(
            &mut out,
            report,
            &MarkdownOptions {
                title: "Azure engagement report (account)".to_string(),
                marker: false,
                ..MarkdownOptions::default()
            },
        )?,
    }
    out.flush()?;
    Ok(threshold_exit(
        report,
        args.fail_on.as_deref(),
        args.min_score,
        &outcome.config,
    ))
}
