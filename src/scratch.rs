//! Scratch directories that work where the system temporary directory does not.
//!
//! A `FROM scratch` container has no `/tmp`, and a hardened runner may mount it read-only; the PR diff needs
//! somewhere to lay out the two revisions' IaC files. The candidates, in order: the system temporary directory
//! (`TMPDIR`, else `/tmp`), the runner's `RUNNER_TEMP`, then a folder inside the repository's `.git`
//! directory (always writable in a checkout; git ignores it). The first that takes a new directory wins.

use std::path::{Path, PathBuf};

/// The prefix of every scratch directory azengage makes.
const PREFIX: &str = "azengage-";

/// A new scratch directory (removed when dropped), from the first candidate that works; `git_dir` is the
/// repository's `.git` directory, the last resort. The error names every place tried.
pub fn tempdir(git_dir: Option<&Path>) -> std::io::Result<tempfile::TempDir> {
    let candidates = candidates(
        std::env::temp_dir(),
        std::env::var_os("RUNNER_TEMP").map(PathBuf::from),
        git_dir,
    );
    tempdir_in_first(&candidates)
}

/// The places to try, in order, without repeats.
fn candidates(system: PathBuf, runner: Option<PathBuf>, git_dir: Option<&Path>) -> Vec<PathBuf> {
    let mut list = vec![system];
    list.extend(runner.filter(|p| !p.as_os_str().is_empty()));
    list.extend(git_dir.map(|g| g.join("azengage-tmp")));
    list.dedup();
    list
}

/// A new directory in the first of `candidates` that takes one (a missing `.git/azengage-tmp` is created).
fn tempdir_in_first(candidates: &[PathBuf]) -> std::io::Result<tempfile::TempDir> {
    let mut tried = Vec::new();
    for dir in candidates {
        if dir.ends_with("azengage-tmp") {
            let _ = std::fs::create_dir_all(dir);
        }
        match tempfile::Builder::new().prefix(PREFIX).tempdir_in(dir) {
            Ok(made) => {
                if !tried.is_empty() {
                    tracing::debug!(dir = %dir.display(), "scratch directory in a fallback place");
                }
                return Ok(made);
            }
            Err(e) => tried.push(format!("{} ({e})", dir.display())),
        }
    }
    Err(std::io::Error::other(format!(
        "no writable temporary directory: tried {}",
        tried.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_past_a_missing_temp_dir_to_the_git_directory() {
        let root = tempfile::tempdir().unwrap();
        let git = root.path().join(".git");
        std::fs::create_dir_all(&git).unwrap();
        let list = candidates(
            root.path().join("no-such-tmp"),
            Some(root.path().join("no-such-runner-temp")),
            Some(&git),
        );
        assert_eq!(list.len(), 3);
        let made = tempdir_in_first(&list).unwrap();
        assert!(
            made.path().starts_with(git.join("azengage-tmp")),
            "{:?}",
            made.path()
        );
        assert!(made.path().is_dir());
    }

    #[test]
    fn the_runner_temp_comes_before_the_git_directory_and_failure_names_every_place() {
        let root = tempfile::tempdir().unwrap();
        let runner = root.path().join("runner-temp");
        std::fs::create_dir_all(&runner).unwrap();
        let list = candidates(root.path().join("missing"), Some(runner.clone()), None);
        assert!(tempdir_in_first(&list).unwrap().path().starts_with(&runner));
        let none = candidates(root.path().join("a"), Some(root.path().join("b")), None);
        let err = tempdir_in_first(&none).unwrap_err().to_string();
        assert!(
            err.starts_with("no writable temporary directory: tried"),
            "{err}"
        );
        assert!(err.contains("/a (") && err.contains("/b ("), "{err}");
    }
}
