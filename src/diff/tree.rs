//! Reading a revision's IaC files straight from git objects (no checkout) into a scratch directory, so the
//! ordinary inventory stage can read them.

use crate::discover::{FileKind, file_kind};
use crate::paths::under;
use std::path::{Path, PathBuf};

/// Files larger than this are not exported (the inventory would skip them anyway).
const MAX_BLOB: u64 = crate::iac::DEFAULT_MAX_FILE_SIZE;

/// Errors reading a revision.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// Not inside a git repository.
    #[error("{path} is not inside a git repository: {message}")]
    NotARepo {
        /// Where we looked.
        path: String,
        /// What gix said.
        message: String,
    },
    /// The revision does not resolve to a commit.
    #[error("cannot resolve revision '{rev}': {message}")]
    BadRevision {
        /// The revision as given.
        rev: String,
        /// What gix said.
        message: String,
    },
    /// No scratch directory could be made (the system temporary directory, `RUNNER_TEMP` and `.git` all failed).
    #[error("{0}")]
    Scratch(String),
    /// Reading objects or writing the scratch copy failed.
    #[error("cannot read revision '{rev}': {message}")]
    Read {
        /// The revision as given.
        rev: String,
        /// What failed.
        message: String,
    },
}

/// A revision that does not resolve is a usage error (2): the user named something that is not there. Not a
/// repository, or objects that cannot be read, is input that cannot be read (3).
impl crate::exit::ExitStatus for TreeError {
    fn exit(&self) -> crate::exit::Exit {
        match self {
            TreeError::BadRevision { .. } => crate::exit::Exit::Usage,
            TreeError::NotARepo { .. } | TreeError::Read { .. } | TreeError::Scratch(_) => {
                crate::exit::Exit::Input
            }
        }
    }
}

/// One IaC file of a revision: its repository-relative path and blob id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TreeFile {
    /// Path from the repository root, `/`-separated.
    pub path: String,
    /// The blob's id (hex).
    pub blob: String,
}

/// Open the repository that holds `path`.
pub fn open(path: &Path) -> Result<gix::Repository, TreeError> {
    gix::discover(path).map_err(|e| TreeError::NotARepo {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// Resolve `rev` to a commit id (hex).
pub fn resolve(repo: &gix::Repository, rev: &str) -> Result<String, TreeError> {
    let bad = |e: &dyn std::fmt::Display| TreeError::BadRevision {
        rev: rev.to_string(),
        message: e.to_string(),
    };
    let id = repo.rev_parse_single(rev).map_err(|e| bad(&e))?;
    let commit = id
        .object()
        .map_err(|e| bad(&e))?
        .peel_to_commit()
        .map_err(|e| bad(&e))?;
    Ok(commit.id.to_string())
}

/// The root tree id (hex) of `commit` (hex); `None` when it cannot be read.
pub fn tree_of(repo: &gix::Repository, commit: &str) -> Option<String> {
    let id = gix::ObjectId::from_hex(commit.as_bytes()).ok()?;
    let tree = repo.find_commit(id).ok()?.tree_id().ok()?;
    Some(tree.to_string())
}

/// Write every IaC file (`.json` only when it is an ARM template or parameter file) of `commit` into `dest`,
/// keeping relative paths, with what tells which of them are deployed: `azure.yaml` files and `.github/`'s
/// YAML (workflows, local actions, the config). Returns the IaC files under `prefix` (repository-relative,
/// `/`-separated, empty for all), sorted: the others are context, not part of the change.
pub fn export(
    repo: &gix::Repository,
    commit: &str,
    prefix: &str,
    dest: &Path,
) -> Result<Vec<TreeFile>, TreeError> {
    let err = |e: &dyn std::fmt::Display| TreeError::Read {
        rev: commit.to_string(),
        message: e.to_string(),
    };
    let id = gix::ObjectId::from_hex(commit.as_bytes()).map_err(|e| err(&e))?;
    let tree = repo
        .find_commit(id)
        .map_err(|e| err(&e))?
        .tree()
        .map_err(|e| err(&e))?;
    let entries = tree.traverse().breadthfirst.files().map_err(|e| err(&e))?;
    let mut files = Vec::new();
    for entry in entries {
        if !entry.mode.is_blob() {
            continue;
        }
        let path = entry.filepath.to_string();
        let kind = file_kind(Path::new(&path));
        let context = is_deploy_context(&path);
        if kind.is_none() && !context {
            continue;
        }
        let blob = repo.find_object(entry.oid).map_err(|e| err(&e))?;
        let not_arm = kind == Some(FileKind::Json) && !is_arm(&blob.data);
        if blob.data.len() as u64 > MAX_BLOB || (not_arm && !context) {
            continue;
        }
        let target: PathBuf = dest.join(&path);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| err(&e))?;
        }
        std::fs::write(&target, &blob.data).map_err(|e| err(&e))?;
        if kind.is_some() && !not_arm && under(&path, prefix) {
            files.push(TreeFile {
                path,
                blob: entry.oid.to_string(),
            });
        }
    }
    files.sort();
    Ok(files)
}

/// Files that say what is deployed without being IaC: azd's `azure.yaml`, and YAML under `.github/`
/// (workflows, local composite actions, `.github/azengage.yml`).
fn is_deploy_context(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    name == "azure.yaml"
        || name == "azure.yml"
        || (yaml && (path.starts_with(".github/") || path.contains("/.github/")))
}

/// Only ARM templates and parameter files among `.json` blobs are IaC (`package.json` is not).
fn is_arm(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    crate::iac::arm::is_arm_template(&text) || crate::iac::arm::is_parameter_file(&text)
}

#[cfg(test)]
mod tests {
    #[test]
    fn deploy_context_files() {
        use super::is_deploy_context;
        assert!(is_deploy_context("azure.yaml"));
        assert!(is_deploy_context("apps/api/azure.yml"));
        assert!(is_deploy_context(".github/workflows/deploy.yml"));
        assert!(is_deploy_context(".github/azengage.yml"));
        assert!(is_deploy_context("svc/.github/actions/deploy/action.yaml"));
        assert!(!is_deploy_context("docs/mkdocs.yml"));
        assert!(!is_deploy_context("infra/main.bicep"));
    }
}
