//! `azengage costs`: read Cost Management exports on their own (the `scan --costs` usage section, alone).

use super::CliError;
use crate::exit::Exit;
use crate::iac::ScanOptions;
use crate::report::style::Style;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage costs costs/                          every export under costs/
  azengage costs focus.csv.gz --iac infra/       with what the IaC declares beside the bill
  azengage costs exports/ --credits-total 25000 --review-date 2027-04-17 --format json

Exit codes: 0 ok, 2 a file misses a needed column or the exports mix currencies, 3 nothing could be read.";

/// Output formats of `costs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CostsFormat {
    /// The usage section for a terminal.
    Text,
    /// The contract's `costs` object.
    Json,
}

/// Arguments of `azengage costs`.
#[derive(Debug, Args)]
pub struct CostsArgs {
    /// A Cost Management export file or a directory of exports (FOCUS or actual cost; CSV, .csv.gz, Parquet).
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// IaC to set beside the bill (billed-but-not-declared and the reverse).
    #[arg(long, value_name = "DIR")]
    pub iac: Option<PathBuf>,
    /// The program's credits, for the consumed percentage.
    #[arg(long, value_name = "AMOUNT")]
    pub credits_total: Option<f64>,
    /// The review date, for the projection.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub review_date: Option<jiff::civil::Date>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CostsFormat::Text)]
    pub format: CostsFormat,
}

/// Run the command; returns the exit code.
pub fn run(args: &CostsArgs, style: Style) -> Result<Exit, CliError> {
    let data = crate::costs::read(&args.path)?;
    let inv = match &args.iac {
        Some(dir) => crate::inventory::build(std::slice::from_ref(dir), &ScanOptions::default()),
        None => crate::inventory::Inventory::default(),
    };
    let summary = crate::costs::summarize(&data, &inv, args.credits_total, args.review_date);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match args.format {
        CostsFormat::Json => crate::report::write_json(&mut out, &summary)?,
        CostsFormat::Text => {
            crate::report::costs::write_text(&mut out, &summary, args.review_date, style)?;
            crate::report::text::write_diagnostics(
                &mut out,
                &data.diagnostics,
                style,
                crate::report::text::DiagnosticsLayout::Plain,
            )?;
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}
