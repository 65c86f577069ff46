//! A git repository built in a temporary directory with the `git` CLI (no user or system configuration), with
//! backdated commits, branches, `--no-ff` merges, tags and clones: the builder the history tests share.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A repository in a temporary directory.
pub struct Repo {
    /// Kept alive for as long as the repository is used.
    _dir: tempfile::TempDir,
    /// The work tree (inside `_dir`).
    root: PathBuf,
}

impl Repo {
    /// A new repository whose first branch is `main`.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repo {
            root: dir.path().to_path_buf(),
            _dir: dir,
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// A clone of `origin` (its branches become `origin/*`, `origin/HEAD` is set), in a new temporary directory.
    pub fn clone_of(origin: &Repo) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("clone");
        git_in(
            dir.path(),
            &["clone", "-q", origin.path().to_str().unwrap(), "clone"],
            NOW,
        );
        Repo {
            root: target,
            _dir: dir,
        }
    }

    /// The work tree.
    pub fn path(&self) -> &Path {
        &self.root
    }

    /// Run git with both dates set to a fixed time; returns stdout.
    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args, NOW)
    }

    /// Run git with both dates set to `when` (`YYYY-MM-DD HH:MM:SS +ZZZZ`).
    pub fn git_at(&self, args: &[&str], when: &str) -> String {
        git_in(self.path(), args, when)
    }

    /// Write `text` to `path` (parents created).
    pub fn write(&self, path: &str, text: &str) {
        let full = self.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    /// Delete `path`.
    pub fn remove(&self, path: &str) {
        std::fs::remove_file(self.path().join(path)).unwrap();
    }

    /// Commit everything in the work tree with both dates `when`; returns the commit id.
    pub fn commit(&self, message: &str, when: &str) -> String {
        self.git_at(&["add", "-A"], when);
        self.git_at(&["commit", "-q", "--allow-empty", "-m", message], when);
        self.head()
    }

    /// Write one file and commit it.
    pub fn write_and_commit(&self, path: &str, text: &str, when: &str) -> String {
        self.write(path, text);
        self.commit(&format!("change {path}"), when)
    }

    /// `git switch -c name` (from the current commit).
    pub fn branch(&self, name: &str) {
        self.git(&["switch", "-q", "-c", name]);
    }

    /// `git switch name`.
    pub fn switch(&self, name: &str) {
        self.git(&["switch", "-q", name]);
    }

    /// Merge `branch` into the current branch with a merge commit (`--no-ff`), dated `when`.
    pub fn merge_no_ff(&self, branch: &str, when: &str) -> String {
        self.git_at(
            &[
                "merge",
                "-q",
                "--no-ff",
                "-m",
                &format!("Merge {branch}"),
                branch,
            ],
            when,
        );
        self.head()
    }

    /// A lightweight tag at HEAD.
    pub fn tag(&self, name: &str) {
        self.git(&["tag", name]);
    }

    /// An annotated tag at HEAD, tagged at `when` (the tagged commit's date is what counts).
    pub fn annotated_tag(&self, name: &str, when: &str) {
        self.git_at(&["tag", "-a", name, "-m", name], when);
    }

    /// The commit id HEAD points at.
    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).trim().to_string()
    }
}

/// The date used for git commands that create no commit.
const NOW: &str = "2026-01-01 00:00:00 +0000";

/// Run git in `dir` with author and committer dates `when`; panics with git's message when it fails.
pub fn git_in(dir: &Path, args: &[&str], when: &str) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_DATE", when)
        .env("GIT_COMMITTER_DATE", when)
        .args([
            "-c",
            "user.name=Dev",
            "-c",
            "user.email=dev@contoso.com",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Copy the fixture tree `from` into `to` (created when missing): fixtures live inside azengage's own
/// repository, so tests that need a repository of their own, or none, scan a copy.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{}: {e}", from.display()));
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
        }
    }
}
