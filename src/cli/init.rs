//! `azengage init [--force] [PATH]`: write a commented starter `.github/azengage.yml`.

use super::CliError;
use crate::config::{DEFAULT_PATH, starter_config};
use crate::exit::Exit;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage init                 write .github/azengage.yml in the current directory
  azengage init ../my-repo      in another repository
  azengage init --force         replace an existing file

Exit codes: 0 written, 2 the file exists (use --force), 3 it could not be written.";

/// Arguments of `azengage init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository root (default: the current directory), or the `.yml` file to write.
    #[arg(value_name = "PATH")]
    pub path: Option<PathBuf>,
    /// Overwrite an existing file.
    #[arg(long)]
    pub force: bool,
}

/// Where `init` writes for a PATH argument: PATH itself when it names a `.yml`/`.yaml` file, else
/// `PATH/.github/azengage.yml`.
pub fn target(path: Option<&Path>) -> PathBuf {
    let root = path.unwrap_or(Path::new("."));
    let is_yaml = root
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yml") || e.eq_ignore_ascii_case("yaml"));
    if is_yaml {
        root.to_path_buf()
    } else if path.is_none() {
        PathBuf::from(DEFAULT_PATH)
    } else {
        root.join(DEFAULT_PATH)
    }
}

/// Run the command; returns the exit code.
pub fn run(args: &InitArgs, quiet: bool) -> Result<Exit, CliError> {
    let file = target(args.path.as_deref());
    let shown = crate::model::path_string(&file);
    if file.exists() && !args.force {
        return Err(CliError::AlreadyExists(shown));
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| CliError::CannotWrite {
            path: crate::model::path_string(dir),
            source,
        })?;
    }
    std::fs::write(&file, starter_config()).map_err(|source| CliError::CannotWrite {
        path: shown.clone(),
        source,
    })?;
    if !quiet {
        writeln!(
            std::io::stdout().lock(),
            "wrote {shown}: fill in program.joined and program.credits, then run `azengage scan`"
        )?;
    }
    Ok(Exit::Ok)
}
