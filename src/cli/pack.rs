//! `azengage pack [PATH] --out FILE`: the escalation pack, one self-contained printable page of evidence for
//! the program manager, from the same scan as `azengage scan` (and, with `--pdf`, the same page as a PDF).

use super::pdf::{self, PdfError};
use super::{CliError, say};
use crate::exit::Exit;
use crate::iac::ScanOptions;
use crate::pipeline::{self, DeploymentSource, ScanParams};
use crate::report::html::{PackDetails, to_html};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage pack --out pack.html                       this repository, today
  azengage pack . --out pack.html --as-of 2026-11-23  reproducible: \"today\" is that date
  azengage pack --out pack.html --costs exports/      with weekly spend from Cost Management exports
  azengage pack --out pack.html --pdf pack.pdf        also a PDF (needs Chromium or Chrome on PATH)
  azengage pack --out - > pack.html                   the page on stdout

The page holds no script and loads nothing: attach the HTML file (or the PDF) to an email to
your Microsoft program manager. Set pack.company, pack.contact and pack.ask in
.github/azengage.yml. Docs: docs/pack.md.
Exit codes: 0 written, 2 configuration error, --pdf without a browser or a failed print,
3 input could not be read.";

/// Arguments of `azengage pack`.
#[derive(Debug, Args)]
pub struct PackArgs {
    /// The repository, or a directory in it.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    /// Where to write the HTML page (`-` for stdout).
    #[arg(long, short, value_name = "FILE")]
    pub out: PathBuf,
    /// Also print the page to this PDF file with a Chromium-family browser found on PATH.
    #[arg(long, value_name = "FILE")]
    pub pdf: Option<PathBuf>,
    /// Configuration file (default: `.github/azengage.yml` under the repository root, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Evaluate "today" as this date (UTC): the same date gives the same page.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<jiff::civil::Date>,
    /// Azure Cost Management exports (a file or a directory): weekly spend on the chart, credits consumed.
    #[arg(long, value_name = "PATH")]
    pub costs: Option<PathBuf>,
    /// `owner/name` on GitHub, for deployment runs when GITHUB_TOKEN is set (default: the `origin` remote).
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
}

/// Run the command; returns the exit code.
pub fn run(args: &PackArgs, quiet: bool) -> Result<Exit, CliError> {
    // Before the scan: a missing browser is a usage error, and nothing is written.
    let browser = match &args.pdf {
        Some(_) => Some(pdf::find_browser().ok_or(PdfError::NoBrowser)?),
        None => None,
    };
    let as_of = args.as_of.unwrap_or_else(pipeline::today);
    let repo_root = pipeline::repository_root(&args.path);
    let github = super::scan::github_source(args.repo.as_deref(), &repo_root, quiet);
    let params = ScanParams {
        path: args.path.clone(),
        config: args.config.clone(),
        as_of,
        since: None,
        costs: args.costs.clone(),
        options: ScanOptions::default(),
        deployments: github.as_ref().map(|g| g as &dyn DeploymentSource),
    };
    let outcome = pipeline::scan(&params)?;
    if !quiet {
        for note in &outcome.notes {
            say(&format!("note: {note}"));
        }
    }
    let report = &outcome.report;
    let fallback = report
        .repository
        .clone()
        .unwrap_or_else(|| directory_name(&outcome.repo_root));
    let page = to_html(
        report,
        &PackDetails::from_config(&outcome.config, &fallback),
    );
    let to_stdout = args.out.as_os_str() == "-";
    if to_stdout {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        out.write_all(page.as_bytes())?;
        out.flush()?;
    } else {
        write_file(&args.out, &page)?;
    }
    if let (Some(pdf_file), Some(browser)) = (&args.pdf, browser) {
        // The browser reads a file: with `--out -` the page goes to a temporary one.
        let scratch = tempfile::Builder::new()
            .prefix("azengage-pack")
            .suffix(".html")
            .tempfile()?;
        let source = if to_stdout {
            std::fs::write(scratch.path(), &page)?;
            scratch.path().to_path_buf()
        } else {
            args.out.clone()
        };
        if let Some(parent) = pdf_file.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_dir(parent)?;
        }
        pdf::print(&browser, &source, pdf_file)?;
    }
    if !quiet && !to_stdout {
        let pdf_note = args
            .pdf
            .as_ref()
            .map(|p| format!(" and {}", p.display()))
            .unwrap_or_default();
        say(&format!(
            "wrote {}{pdf_note}: send it to your program manager",
            args.out.display()
        ));
    }
    Ok(Exit::Ok)
}

/// Write `text` to `path`, creating its directory.
fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        create_dir(parent)?;
    }
    std::fs::write(path, text).map_err(|source| CliError::CannotWrite {
        path: crate::model::path_string(path),
        source,
    })
}

fn create_dir(dir: &Path) -> Result<(), CliError> {
    std::fs::create_dir_all(dir).map_err(|source| CliError::CannotWrite {
        path: crate::model::path_string(dir),
        source,
    })
}

/// The last component of `dir` (made absolute first, so `.` gives the directory's own name).
fn directory_name(dir: &Path) -> String {
    std::fs::canonicalize(dir)
        .or_else(|_| std::path::absolute(dir))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "this repository".to_string())
}
