//! Finding input files: walks each PATH with the `ignore` crate (ripgrep's walker), so `.gitignore` is honoured,
//! and sorts what it finds by language. `.git/`, `.terraform/` and `node_modules/` are never entered.
//!
//! Contract points kept here: ignore rules never exclude a PATH given on the command line; symbolic links to
//! files are read under the link's path; links to directories are not followed.

use crate::model::{Diagnostic, Severity, path_string};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Directories the walker never enters, whatever the ignore files say.
const SKIPPED_DIRS: [&str; 3] = [".git", ".terraform", "node_modules"];

/// Input files sorted by language, each list sorted and free of duplicates.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Discovered {
    /// Directories holding `.tf` / `.tf.json` files (each is a Terraform module).
    pub terraform_dirs: Vec<PathBuf>,
    /// `.tf` / `.tf.json` files named directly on the command line.
    pub terraform_files: Vec<PathBuf>,
    /// `.bicep` and `.bicepparam` files.
    pub bicep_files: Vec<PathBuf>,
    /// `.json` files (ARM templates and parameter files among them; the ARM scanner tells which).
    pub json_files: Vec<PathBuf>,
    /// azd project files (`azure.yaml`, `azure.yml`): they name the templates a deployment starts from.
    pub azure_yaml: Vec<PathBuf>,
}

impl Discovered {
    /// Add what `other` holds and `self` does not (lists stay sorted and free of duplicates); returns what
    /// was new.
    pub fn absorb(&mut self, other: Discovered) -> Discovered {
        fn merge(into: &mut Vec<PathBuf>, from: Vec<PathBuf>) -> Vec<PathBuf> {
            let known: BTreeSet<PathBuf> = into.iter().map(|p| crate::paths::absolute(p)).collect();
            let new: Vec<PathBuf> = from
                .into_iter()
                .filter(|p| !known.contains(&crate::paths::absolute(p)))
                .collect();
            into.extend(new.iter().cloned());
            into.sort();
            new
        }
        Discovered {
            terraform_dirs: merge(&mut self.terraform_dirs, other.terraform_dirs),
            terraform_files: merge(&mut self.terraform_files, other.terraform_files),
            bicep_files: merge(&mut self.bicep_files, other.bicep_files),
            json_files: merge(&mut self.json_files, other.json_files),
            azure_yaml: merge(&mut self.azure_yaml, other.azure_yaml),
        }
    }

    /// Every file and Terraform directory listed.
    pub fn all(&self) -> impl Iterator<Item = &PathBuf> {
        self.terraform_dirs
            .iter()
            .chain(&self.terraform_files)
            .chain(&self.bicep_files)
            .chain(&self.json_files)
    }
}

/// The git work tree holding `path` (the nearest directory up from it with a `.git`), else `path` itself.
pub fn repository_root(path: &Path) -> PathBuf {
    let mut dir = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    loop {
        if dir.join(".git").exists() {
            return dir;
        }
        if !dir.pop() {
            return path.to_path_buf();
        }
    }
}

/// Where `.github/` (the config and the workflows) is read from: the nearest directory from PATH up to the
/// repository root that has one, else the repository root. A project kept in a subdirectory of a larger
/// repository (an example, a monorepo service with its own `.github/`) is read as its own project.
pub fn project_root(path: &Path, repo_root: &Path) -> PathBuf {
    let mut dir = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if dir.is_file() {
        dir.pop();
    }
    let root = std::path::absolute(repo_root).unwrap_or_else(|_| repo_root.to_path_buf());
    loop {
        if dir.join(".github").is_dir() {
            return dir;
        }
        if dir == root || !dir.pop() || !dir.starts_with(&root) {
            return repo_root.to_path_buf();
        }
    }
}

/// True for azd's project file names.
pub fn is_azure_yaml(path: &Path) -> bool {
    path.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
        n.eq_ignore_ascii_case("azure.yaml") || n.eq_ignore_ascii_case("azure.yml")
    })
}

/// What kind of IaC input a file name says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `*.tf`, `*.tf.json`
    Terraform,
    /// `*.tfvars`, `*.tfvars.json` (read with their module, not on their own)
    TerraformVars,
    /// `*.bicep`, `*.bicepparam`
    Bicep,
    /// other `*.json`
    Json,
}

/// Classify a path by its file name.
pub fn file_kind(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if name.ends_with(".tf") || name.ends_with(".tf.json") {
        Some(FileKind::Terraform)
    } else if name.ends_with(".tfvars") || name.ends_with(".tfvars.json") {
        Some(FileKind::TerraformVars)
    } else if name.ends_with(".bicep") || name.ends_with(".bicepparam") {
        Some(FileKind::Bicep)
    } else if name.ends_with(".json") {
        Some(FileKind::Json)
    } else {
        None
    }
}

/// Walk every PATH and sort the IaC files found. A PATH that does not exist becomes an error diagnostic.
pub fn discover(paths: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Discovered {
    let mut tf_dirs = BTreeSet::new();
    let mut tf_files = BTreeSet::new();
    let mut bicep = BTreeSet::new();
    let mut json = BTreeSet::new();
    let mut azure_yaml = BTreeSet::new();
    for root in paths {
        let meta = match std::fs::metadata(root) {
            Ok(m) => m,
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    path_string(root),
                    0,
                    0,
                    Severity::Error,
                    "io",
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if meta.is_file() {
            match file_kind(root) {
                Some(FileKind::Terraform) => {
                    tf_files.insert(root.clone());
                }
                Some(FileKind::Bicep) => {
                    bicep.insert(root.clone());
                }
                Some(FileKind::Json) => {
                    json.insert(root.clone());
                }
                _ => diagnostics.push(Diagnostic::new(
                    path_string(root),
                    0,
                    0,
                    Severity::Warning,
                    "unsupported",
                    "not an IaC file azengage reads (.tf, .tf.json, .bicep, .bicepparam, .json)",
                )),
            }
            continue;
        }
        for path in walk(root, diagnostics) {
            if is_azure_yaml(&path) {
                azure_yaml.insert(path);
                continue;
            }
            match file_kind(&path) {
                Some(FileKind::Terraform) => {
                    tf_dirs.insert(path.parent().map(Path::to_path_buf).unwrap_or_default());
                }
                Some(FileKind::Bicep) => {
                    bicep.insert(path);
                }
                Some(FileKind::Json) => {
                    json.insert(path);
                }
                Some(FileKind::TerraformVars) | None => {}
            }
        }
    }
    Discovered {
        terraform_dirs: tf_dirs.into_iter().collect(),
        terraform_files: tf_files.into_iter().collect(),
        bicep_files: bicep.into_iter().collect(),
        json_files: json.into_iter().collect(),
        azure_yaml: azure_yaml.into_iter().collect(),
    }
}

/// Every regular file (or symlink to one) under `root` that the ignore rules keep, in no particular order
/// (directories are read in parallel; callers sort).
fn walk(root: &Path, diagnostics: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .git_global(false)
        .follow_links(false)
        .threads(std::thread::available_parallelism().map_or(1, usize::from))
        .filter_entry(|e| {
            let is_dir = e.file_type().is_some_and(|t| t.is_dir());
            !(is_dir && e.depth() > 0 && SKIPPED_DIRS.iter().any(|s| e.file_name() == *s))
        })
        .build_parallel();
    let found = std::sync::Mutex::new(Walked::default());
    walker.visit(&mut Collectors {
        root,
        found: &found,
    });
    let walked = found
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    diagnostics.extend(walked.errors);
    walked.files
}

/// What the walk's threads found.
#[derive(Default)]
struct Walked {
    files: Vec<PathBuf>,
    errors: Vec<Diagnostic>,
}

/// Gives each walking thread a [`Collector`].
struct Collectors<'a> {
    root: &'a Path,
    found: &'a std::sync::Mutex<Walked>,
}

impl<'s> ignore::ParallelVisitorBuilder<'s> for Collectors<'s> {
    fn build(&mut self) -> Box<dyn ignore::ParallelVisitor + 's> {
        Box::new(Collector {
            root: self.root,
            found: self.found,
            mine: Walked::default(),
        })
    }
}

/// One walking thread's findings, added to the shared ones when the thread is done.
struct Collector<'a> {
    root: &'a Path,
    found: &'a std::sync::Mutex<Walked>,
    mine: Walked,
}

impl ignore::ParallelVisitor for Collector<'_> {
    fn visit(&mut self, entry: Result<ignore::DirEntry, ignore::Error>) -> ignore::WalkState {
        match entry {
            Ok(entry) if is_input_file(&entry) => self.mine.files.push(entry.into_path()),
            Ok(_) => {}
            Err(e) => self.mine.errors.push(walk_error(self.root, &e)),
        }
        ignore::WalkState::Continue
    }
}

impl Drop for Collector<'_> {
    fn drop(&mut self) {
        let mut all = self
            .found
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        all.files.append(&mut self.mine.files);
        all.errors.append(&mut self.mine.errors);
    }
}

/// A regular file (or symlink to one) azengage reads.
fn is_input_file(entry: &ignore::DirEntry) -> bool {
    let Some(ft) = entry.file_type() else {
        return false;
    };
    let is_file = ft.is_file()
        || (ft.is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
    is_file && (file_kind(entry.path()).is_some() || is_azure_yaml(entry.path()))
}

fn walk_error(root: &Path, err: &ignore::Error) -> Diagnostic {
    let path = match err {
        ignore::Error::WithPath { path, .. } => path.clone(),
        _ => root.to_path_buf(),
    };
    Diagnostic::new(
        path_string(&path),
        0,
        0,
        Severity::Warning,
        "io",
        format!("skipped while walking: {err}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_by_name() {
        assert_eq!(file_kind(Path::new("a/main.tf")), Some(FileKind::Terraform));
        assert_eq!(
            file_kind(Path::new("main.tf.json")),
            Some(FileKind::Terraform)
        );
        assert_eq!(
            file_kind(Path::new("prod.tfvars")),
            Some(FileKind::TerraformVars)
        );
        assert_eq!(
            file_kind(Path::new("x.auto.tfvars.json")),
            Some(FileKind::TerraformVars)
        );
        assert_eq!(
            file_kind(Path::new("main.bicepparam")),
            Some(FileKind::Bicep)
        );
        assert_eq!(
            file_kind(Path::new("azuredeploy.json")),
            Some(FileKind::Json)
        );
        assert_eq!(file_kind(Path::new("README.md")), None);
    }
}
