//! `azengage inventory`.

use super::CliError;
use crate::exit::Exit;
use crate::iac::ScanOptions;
use crate::report::style::Style;
use clap::{Args, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage inventory                          the current directory
  azengage inventory infra/ modules/          several directories (paths relative to the current one)
  azengage inventory infra/main.bicep         a template and the local modules it uses
  azengage inventory infra/main.bicep --no-follow
  azengage inventory --all                    also list what is not deployed, and why
  azengage inventory . --format json | jq '.services[].name'

What counts is what is deployed: what the roots (config deploy.roots, azure.yaml, the deploy workflows,
else every template nothing else uses) reach, with their parameters, minus what a condition switches off.

Exit codes: 0 ok (unparsable files are diagnostics, not failures), 2 usage error, 3 no input could be read.";

/// Output formats of `inventory`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// A table of services and regions, then diagnostics.
    Text,
    /// The contract's JSON document.
    Json,
}

/// Arguments of `azengage inventory`.
#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// Directories or files to read (default: the current directory).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InventoryFormat::Text)]
    pub format: InventoryFormat,
    /// With a file argument, list only what that file itself declares (do not follow local modules).
    #[arg(long)]
    pub no_follow: bool,
    /// Also list the resources that are not deployed (unreferenced, tests, samples, switched off), and why.
    #[arg(long)]
    pub all: bool,
    /// Configuration file for `deploy.roots` / `deploy.env` (default: `.github/azengage.yml` of the
    /// repository holding PATH, when present).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Skip files larger than this many bytes (with a diagnostic).
    #[arg(long, value_name = "BYTES", default_value_t = crate::iac::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
}

/// Run the command; returns the exit code.
pub fn run(args: &InventoryArgs, style: Style) -> Result<Exit, CliError> {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let missing: Vec<_> = paths.iter().filter(|p| !p.exists()).collect();
    if missing.len() == paths.len() {
        let list = missing
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(", ");
        return Err(CliError::NoSuchPath(list));
    }
    let opts = ScanOptions {
        follow_modules: !args.no_follow,
        max_file_size: args.max_file_size,
        ..ScanOptions::default()
    };
    let context = crate::deploy::Context::for_paths(&paths);
    let (config, file) = match &args.config {
        Some(file) => (crate::config::Config::load(file), Some(file.clone())),
        None => {
            let found = context.project_root.join(crate::config::DEFAULT_PATH);
            let file = found.is_file().then_some(found);
            (crate::config::Config::find(&context.project_root), file)
        }
    };
    // A config that cannot be read is the same error as in `scan` (exit 2).
    let config = config.map_err(crate::pipeline::ScanError::from)?;
    let context = context.with_config(&config, file.as_deref());
    let inv = crate::inventory::build_in(&paths, &opts, &context);
    // Buffered: a locked stdout is line-buffered, one `write` per line of JSON.
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    match args.format {
        InventoryFormat::Json => crate::report::json::write_inventory(&mut out, &inv)?,
        InventoryFormat::Text => {
            crate::report::inventory::write_text(&mut out, &inv, style, args.all)?
        }
    }
    out.flush()?;
    // Freeing a large inventory (tens of thousands of strings) would hold up the exit.
    crate::distinct::free_later(inv);
    Ok(Exit::Ok)
}
