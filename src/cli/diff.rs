//! `azengage diff`.

use super::exit;
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

Both revisions are read from git objects; the work tree is not touched.
Exit codes: 0 ok, 2 usage error or a revision that does not resolve, 3 not a git repository.";

/// Output formats of `diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// Added, removed and changed resources for a terminal.
    Text,
    /// The contract's JSON document.
    Json,
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
}

/// Run the command; returns the exit code.
pub fn run(args: &DiffArgs, style: Style) -> anyhow::Result<i32> {
    let invs =
        match crate::diff::inventories(&args.path, &args.base, &args.head, &ScanOptions::default())
        {
            Ok(i) => i,
            Err(e @ crate::diff::TreeError::NotARepo { .. }) => {
                eprintln!("azengage: error: {e}");
                return Ok(exit::INPUT);
            }
            Err(e) => {
                eprintln!("azengage: error: {e}");
                return Ok(exit::USAGE);
            }
        };
    let report = crate::diff::compare(&invs, &|_| None);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        DiffFormat::Json => crate::report::write_json(&mut out, &report)?,
        DiffFormat::Text => crate::report::diff::write_text(&mut out, &report, style)?,
    }
    out.flush()?;
    Ok(exit::OK)
}
