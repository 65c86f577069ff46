//! Why a command could not finish: the library's errors and the commands' own, each with its exit code through
//! [`ExitStatus`] (the one mapping, see [`crate::exit`]).

use crate::account::MergeError;
use crate::costs::CostError;
use crate::diff::TreeError;
use crate::exit::{Exit, ExitStatus};
use crate::pipeline::ScanError;

/// A command's failure. Printed once, by [`super::main`], as `azengage: error: ...`.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The scan (or the config and activity a diff scores with) could not run.
    #[error(transparent)]
    Scan(#[from] ScanError),
    /// The cost exports cannot be used.
    #[error(transparent)]
    Costs(#[from] CostError),
    /// A revision could not be read.
    #[error(transparent)]
    Diff(#[from] TreeError),
    /// The scan documents cannot be merged.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// None of the PATHs given exists.
    #[error("cannot read {0}: no such file or directory")]
    NoSuchPath(String),
    /// `rules X` names no rule.
    #[error("unknown rule '{wanted}'; give an id ({ids}) or a name: {names}")]
    UnknownRule {
        /// What was asked for.
        wanted: String,
        /// The id range, `AZE001-AZE017`.
        ids: String,
        /// Every rule name, comma-separated.
        names: String,
    },
    /// `man X` names no command.
    #[error("unknown command '{wanted}'; the commands are: {names}")]
    UnknownCommand {
        /// What was asked for.
        wanted: String,
        /// Every command name, comma-separated.
        names: String,
    },
    /// `init` would overwrite a file.
    #[error("{0} already exists; use --force to overwrite it")]
    AlreadyExists(String),
    /// `init` could not write its file (or create its directory).
    #[error("cannot write {path}: {source}")]
    CannotWrite {
        /// The file or directory.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
    /// `pack --pdf` found no browser, or the browser printed nothing.
    #[error(transparent)]
    Pdf(#[from] super::pdf::PdfError),
    /// The output could not be written (a closed stdout is a broken pipe: see [`crate::exit::is_broken_pipe`]).
    #[error("cannot write the output: {0}")]
    Output(#[from] std::io::Error),
}

impl ExitStatus for CliError {
    fn exit(&self) -> Exit {
        match self {
            CliError::Scan(e) => e.exit(),
            CliError::Costs(e) => e.exit(),
            CliError::Diff(e) => e.exit(),
            CliError::Merge(e) => e.exit(),
            CliError::NoSuchPath(_) | CliError::CannotWrite { .. } => Exit::Input,
            CliError::UnknownRule { .. }
            | CliError::UnknownCommand { .. }
            | CliError::AlreadyExists(_) => Exit::Usage,
            CliError::Pdf(e) => e.exit(),
            CliError::Output(e) => e.exit(),
        }
    }
}
