//! The account view (`azengage merge`, the action's `scans` input): one startup's repositories, one report.
//!
//! A startup's engagement is one Azure account spread over several repositories; scanned one by one, each
//! looks narrow. This stage reads the `scan --format json` documents of those repositories ([`document`]),
//! combines them into one inventory and one activity ([`combine`]), and hands them to the ordinary assessment
//! with the *account's* configuration and cost exports: the score, the timeline and the suggestions are
//! computed again over the union (breadth counts every repository's services; scores are never averaged).
//! [`summary`] says what each repository contributes; [`json`] writes the merged document.
//!
//! Like the scan pipeline it reads files (the documents, the cost exports) and nothing else; it never reaches
//! the network. Its result is an ordinary [`ScanReport`] with [`ScanReport::account`] set, so every printer
//! and the action's report issue show it as they show a scan.

pub mod combine;
pub mod document;
pub mod json;
pub mod summary;

pub use document::{DocumentError, ScanDocument};
pub use summary::{AccountSummary, RepositoryContribution};

use crate::assess::{AssessmentInput, assess};
use crate::config::{Config, ConfigError};
use crate::costs::{self, CostError};
use crate::exit::{Exit, ExitStatus};
use crate::scan::ScanReport;
use jiff::civil::Date;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Why the documents cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    /// A file that is not a scan document, or of a newer schema (exit 2).
    #[error(transparent)]
    Document(#[from] DocumentError),
    /// Two documents of one repository (exit 2).
    #[error(
        "repository {name} is in two scan documents ({first} and {second}); give each repository's scan once"
    )]
    Duplicate {
        /// The repository.
        name: String,
        /// The first file naming it.
        first: String,
        /// The second.
        second: String,
    },
    /// A file or directory that cannot be read (exit 3).
    #[error("cannot read {file}: {why}")]
    Unreadable {
        /// The path as given.
        file: String,
        /// What went wrong.
        why: String,
    },
    /// Nothing to merge (exit 3).
    #[error("no scan documents to merge: {0}")]
    Nothing(String),
    /// The account's configuration is invalid (exit 2).
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The account's cost exports cannot be used (exit 2, or 3 when nothing could be read).
    #[error(transparent)]
    Costs(#[from] CostError),
}

impl ExitStatus for MergeError {
    fn exit(&self) -> Exit {
        match self {
            MergeError::Unreadable { .. } | MergeError::Nothing(_) => Exit::Input,
            MergeError::Document(_) | MergeError::Duplicate { .. } => Exit::Usage,
            MergeError::Config(e) => e.exit(),
            MergeError::Costs(e) => e.exit(),
        }
    }
}

/// What the merge is configured with.
#[derive(Debug, Clone, Default)]
pub struct MergeParams {
    /// The account's configuration (program, checklist, evidence, weights, rules, costs).
    pub config: Config,
    /// The directory the config's `costs.path` is relative to.
    pub config_base: PathBuf,
    /// "Today"; default: the newest `as_of` among the documents.
    pub as_of: Option<Date>,
    /// Cost Management exports (`--costs`); else the config's `costs.path`.
    pub costs: Option<PathBuf>,
}

/// A finished merge.
pub struct MergeOutcome {
    /// The account's report: the union, assessed again, with [`ScanReport::account`] set.
    pub report: ScanReport,
    /// The documents, sorted by name.
    pub documents: Vec<ScanDocument>,
    /// The account's configuration (thresholds).
    pub config: Config,
}

/// Read the scan documents at `paths`: files as they are, directories for every `*.json` file under them (in
/// parallel; a directory's files in name order). Errors name the file.
pub fn read_documents(paths: &[PathBuf]) -> Result<Vec<ScanDocument>, MergeError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let before = files.len();
            json_files(path, &mut files)?;
            if files.len() == before {
                return Err(MergeError::Nothing(format!(
                    "{} holds no .json file",
                    path.display()
                )));
            }
        } else {
            files.push(path.clone());
        }
    }
    if files.is_empty() {
        return Err(MergeError::Nothing("no file was given".into()));
    }
    let read: Vec<Result<ScanDocument, MergeError>> = files
        .par_iter()
        .map(|file| {
            let name = crate::model::path_string(file);
            let bytes = std::fs::read(file).map_err(|e| MergeError::Unreadable {
                file: name.clone(),
                why: e.to_string(),
            })?;
            Ok(document::parse(&name, &bytes)?)
        })
        .collect();
    // The first bad file in the order given is the one named, whichever thread read it first.
    read.into_iter().collect()
}

/// Every `*.json` file under `dir`, sorted (links to directories are not followed).
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), MergeError> {
    let unreadable = |e: std::io::Error| MergeError::Unreadable {
        file: dir.display().to_string(),
        why: e.to_string(),
    };
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        let is_dir = std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        if is_dir {
            json_files(&path, out)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(path);
        }
    }
    Ok(())
}

/// Merge `documents` into the account's report.
pub fn merge(
    mut documents: Vec<ScanDocument>,
    params: &MergeParams,
) -> Result<MergeOutcome, MergeError> {
    check_duplicates(&documents)?;
    documents
        .sort_by(|a, b| (a.name.to_lowercase(), &a.name).cmp(&(b.name.to_lowercase(), &b.name)));
    let Some(newest) = documents.iter().map(|d| d.as_of).max() else {
        return Err(MergeError::Nothing("no file was given".into()));
    };
    let as_of = params.as_of.unwrap_or(newest);
    let combined = combine::combine(&documents, as_of);
    let config = &params.config;
    let costs = match params.costs.clone().or_else(|| {
        config
            .costs
            .path
            .as_ref()
            .map(|p| params.config_base.join(p))
    }) {
        Some(path) => {
            let data = costs::read(&path)?;
            let review = crate::assess::timeline::review_date(config);
            Some(costs::summarize(
                &data,
                &combined.inventory,
                config.program.credits.total,
                review,
            ))
        }
        None => None,
    };
    let assessment = assess(&AssessmentInput {
        inventory: &combined.inventory,
        activity: &combined.activity,
        config,
        as_of,
        costs: costs.as_ref(),
    });
    let account = AccountSummary {
        repositories: summary::contributions(&documents, as_of),
        notes: summary::notes(&documents, &assessment.program, as_of),
    };
    let mut report = ScanReport::new(as_of, combined.inventory, combined.activity, assessment);
    report.costs = costs;
    report.config_file = config.source.as_ref().map(|s| s.file.clone());
    report.account = Some(account);
    Ok(MergeOutcome {
        report,
        documents,
        config: config.clone(),
    })
}

/// Two documents of one repository (names compared as GitHub does, ignoring case).
fn check_duplicates(documents: &[ScanDocument]) -> Result<(), MergeError> {
    let mut seen: std::collections::HashMap<String, &ScanDocument> =
        std::collections::HashMap::new();
    for d in documents {
        if let Some(first) = seen.insert(d.name.to_lowercase(), d) {
            return Err(MergeError::Duplicate {
                name: d.name.clone(),
                first: first.file.clone(),
                second: d.file.clone(),
            });
        }
    }
    Ok(())
}

/// The account's configuration: `explicit` when given, else `.github/azengage.yml` under `root` when present
/// (defaults otherwise). Also returns the directory its `costs.path` is relative to: the directory holding
/// `.github/` for a config kept there, else the config file's own directory.
pub fn load_config(explicit: Option<&Path>, root: &Path) -> Result<(Config, PathBuf), ConfigError> {
    match explicit {
        Some(file) => {
            let config = Config::load(file)?;
            let dir = file.parent().unwrap_or(Path::new(""));
            let base = if dir.file_name().is_some_and(|n| n == ".github") {
                dir.parent().unwrap_or(Path::new(""))
            } else {
                dir
            };
            Ok((config, base.to_path_buf()))
        }
        None => Ok((Config::find(root)?, root.to_path_buf())),
    }
}

#[cfg(test)]
mod tests;
