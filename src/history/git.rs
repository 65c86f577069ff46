//! Git history of IaC files, read with gix (no `git` process).
//!
//! [`iac_history`] walks the commits reachable from `HEAD` (newest first, stopping at the start of the ISO week
//! that holds `since`), skips merges, compares each commit's tree with its parent's and keeps the commits that add,
//! change or delete at least one IaC file. The result is what
//! `git log --full-history --no-merges -- '*.bicep' '*.bicepparam' '*.tf' '*.tfvars' '*.tf.json'` lists, plus
//! the commits that only touch ARM templates (the contract's `activity.weekly`). Each kept commit carries the IaC
//! paths it changed so the scan stage can tell which services and regions were touched week by week.
//!
//! Why a hand-written tree comparison (`tree_diff`): it opens only subtrees whose ids differ, needs no extra gix
//! features and keeps memory flat however long the history is. Commits are compared on a few worker threads
//! (`workers`), because inflating tree objects is nearly all the time a long history takes.
//!
//! Like `git log --since`, the walk does not go past commits older than the window: a commit inside the window
//! reachable only through an older one (a skewed clock) is not seen.

pub(in crate::history) mod tree_diff;
mod workers;

use crate::model::{Diagnostic, Severity};
use gix::ObjectId;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};
use workers::ToCompare;

/// The file name endings that make a path an IaC file whatever its content: git's pathspecs `*.bicep`,
/// `*.bicepparam`, `*.tf`, `*.tfvars` and `*.tf.json` (their `*` matches `/` too, so at any depth).
const IAC_PATH_ENDINGS: &[&[u8]] = &[b".bicep", b".bicepparam", b".tf", b".tfvars", b".tf.json"];

/// Bytes of objects gix may keep in its object cache during a walk (commits are read twice: by the walk, then
/// for their tree). Bounded, so memory stays flat on long histories.
pub(in crate::history) const OBJECT_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// What the history walk found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GitHistory {
    /// `false` when the directory is not inside a git repository (then there is no activity from git at all).
    pub is_repository: bool,
    /// The repository is a shallow clone: history before its boundary is missing. In GitHub Actions, check out
    /// with `fetch-depth: 0`.
    pub shallow: bool,
    /// Non-merge commits in the window that add, change or delete at least one IaC file, newest first.
    pub commits: Vec<IacCommit>,
    /// How many commits the walk visited (merges and commits outside the window included).
    pub commits_walked: u64,
    /// Objects that could not be read, trees too deep to open (at most a few; the walk goes on).
    pub diagnostics: Vec<Diagnostic>,
}

/// One commit that changed IaC files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IacCommit {
    /// The commit id (hex).
    pub id: String,
    /// The committer date.
    pub committed: Timestamp,
    /// The IaC files it added, changed or deleted, `/`-separated and relative to the directory given to
    /// [`iac_history`], in git's tree order.
    pub paths: Vec<String>,
}

impl IacCommit {
    /// The committer date as a UTC calendar day.
    pub fn date(&self) -> Date {
        self.committed.to_zoned_datetime(TimeZone::UTC).date()
    }
}

/// Why the history could not be read at all (problems with single objects are diagnostics instead).
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    /// The repository exists but cannot be opened (bad configuration, unreadable `.git`).
    #[error("cannot open the git repository at {path}: {source}")]
    Open {
        /// The directory given.
        path: PathBuf,
        /// What gix reported.
        source: gix::Error,
    },
    /// `HEAD` cannot be resolved to a commit.
    #[error("cannot resolve HEAD: {source}")]
    Head {
        /// What gix reported.
        source: gix::Error,
    },
    /// The commit graph cannot be walked (a missing or corrupt commit).
    #[error("cannot walk the commit history: {source}")]
    Walk {
        /// What gix reported.
        source: gix::Error,
    },
}

/// True when `path` (`/`-separated, bytes) is an IaC file by name alone: it ends in `.bicep`, `.bicepparam`,
/// `.tf`, `.tfvars` or `.tf.json` (case-sensitive, like git's pathspecs). ARM templates need their content.
pub fn matches_iac_pattern(path: &[u8]) -> bool {
    IAC_PATH_ENDINGS.iter().any(|ending| path.ends_with(ending))
}

/// Walk the history of the repository holding `repo_root` (see the module docs). Commits count when their
/// committer date falls from the Monday of the ISO week holding `since` (00:00 UTC) to the end of `as_of` (UTC).
///
/// When `repo_root` is a subdirectory of the work tree only IaC files under it count, as with `git log` run there.
/// Not a repository, an empty repository or an unborn `HEAD`: `Ok` with no commits.
pub fn iac_history(repo_root: &Path, since: Date, as_of: Date) -> Result<GitHistory, HistoryError> {
    let Some(mut repo) = discover(repo_root)? else {
        return Ok(GitHistory::default());
    };
    repo.object_cache_size_if_unset(OBJECT_CACHE_BYTES);
    let mut history = GitHistory {
        is_repository: true,
        ..GitHistory::default()
    };
    let shallow_boundary = shallow_boundary(&repo, &mut history);
    let Some(head_id) = head_commit(&repo)? else {
        return Ok(history);
    };
    let window = Window::new(since, as_of);
    let walk = repo
        .rev_walk([head_id])
        .sorting(gix::revision::walk::Sorting::ByCommitTimeCutoff {
            order: gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            seconds: window.start,
        })
        .all()
        .map_err(|source| HistoryError::Walk { source })?;
    let prefix = prefix_components(&repo, repo_root);
    let sync_repo = repo.clone().into_sync();
    let walked = &mut history.commits_walked;
    let (commits, mut diagnostics) = workers::compare_commits(&sync_repo, &prefix, |compare| {
        for info in walk {
            let info = info.map_err(|source| HistoryError::Walk { source })?;
            *walked += 1;
            if let Some(commit) = to_compare(&info, &window, &shallow_boundary) {
                compare(commit);
            }
        }
        Ok(())
    })?;
    history.commits = commits;
    history.diagnostics.append(&mut diagnostics);
    Ok(history)
}

/// The commit `HEAD` points to; `None` when `HEAD` is unborn (an empty repository).
fn head_commit(repo: &gix::Repository) -> Result<Option<ObjectId>, HistoryError> {
    let mut head = repo
        .head()
        .map_err(|source| HistoryError::Head { source })?;
    if head.is_unborn() {
        return Ok(None);
    }
    let id = head
        .try_peel_to_id()
        .map_err(|source| HistoryError::Head { source })?;
    Ok(id.map(|id| id.detach()))
}

/// The walked commit as work for the tree comparison, or `None` when it is outside the window or a merge.
/// A shallow clone's boundary commit has no parents here, as in git (even when it was a merge).
fn to_compare(
    info: &gix::revision::walk::Info<'_>,
    window: &Window,
    shallow_boundary: &[ObjectId],
) -> Option<ToCompare> {
    let time = info.commit_time.filter(|t| window.contains(*t))?;
    let parent = if shallow_boundary.binary_search(&info.id).is_ok() {
        None
    } else if info.parent_ids.len() > 1 {
        return None;
    } else {
        info.parent_ids.first().copied()
    };
    Some(ToCompare {
        id: info.id,
        parent,
        time,
    })
}

/// Open the repository holding `dir`; `Ok(None)` when there is none.
pub(in crate::history) fn discover(dir: &Path) -> Result<Option<gix::Repository>, HistoryError> {
    match gix::discover(dir) {
        Ok(repo) => Ok(Some(repo)),
        Err(err)
            if err
                .downcast_any_ref::<gix::discover::upwards::Error>()
                .is_some_and(is_not_found) =>
        {
            Ok(None)
        }
        Err(source) => Err(HistoryError::Open {
            path: dir.to_path_buf(),
            source,
        }),
    }
}

/// Whether a discovery error means "there is no repository here" (rather than "it cannot be opened").
fn is_not_found(err: &gix::discover::upwards::Error) -> bool {
    use gix::discover::upwards::Error;
    matches!(
        err,
        Error::NoGitRepository { .. }
            | Error::NoGitRepositoryWithinCeiling { .. }
            | Error::NoGitRepositoryWithinFs { .. }
    )
}

/// The sorted ids of the shallow clone's boundary commits (empty when not shallow); sets `history.shallow`.
fn shallow_boundary(repo: &gix::Repository, history: &mut GitHistory) -> Vec<ObjectId> {
    let mut boundary: Vec<ObjectId> = match repo.shallow_commits() {
        Ok(Some(commits)) => commits.iter().copied().collect(),
        Ok(None) => Vec::new(),
        Err(err) => {
            history.diagnostics.push(Diagnostic::new(
                ".git/shallow",
                0,
                0,
                Severity::Warning,
                "git-shallow",
                format!("cannot read the shallow file: {err}"),
            ));
            Vec::new()
        }
    };
    history.shallow = !boundary.is_empty() || repo.is_shallow().unwrap_or(false);
    boundary.sort_unstable();
    boundary
}

/// The path components from the work tree's root to `dir` (empty when `dir` is the root or cannot be placed).
pub(in crate::history) fn prefix_components(repo: &gix::Repository, dir: &Path) -> Vec<Vec<u8>> {
    let (Some(workdir), Ok(dir)) = (repo.workdir(), dir.canonicalize()) else {
        return Vec::new();
    };
    let Ok(workdir) = workdir.canonicalize() else {
        return Vec::new();
    };
    let Ok(relative) = dir.strip_prefix(&workdir) else {
        return Vec::new();
    };
    relative
        .components()
        .filter_map(|c| match c {
            std::path::Component::Normal(name) => {
                Some(gix::path::os_str_into_bstr(name).ok()?.to_vec())
            }
            _ => None,
        })
        .collect()
}

/// The commit window in seconds since the Unix epoch: `[start, end)`.
struct Window {
    /// 00:00 UTC on the Monday of the week holding `since`.
    start: i64,
    /// 00:00 UTC on the day after `as_of`.
    end: i64,
}

impl Window {
    /// The window for `since` and `as_of`.
    fn new(since: Date, as_of: Date) -> Self {
        let start = utc_midnight(super::week_start(since)).unwrap_or(i64::MIN);
        let end = as_of
            .tomorrow()
            .ok()
            .and_then(utc_midnight)
            .unwrap_or(i64::MAX);
        Window { start, end }
    }

    /// Whether `seconds` falls in the window.
    fn contains(&self, seconds: i64) -> bool {
        (self.start..self.end).contains(&seconds)
    }
}

/// Seconds since the epoch at 00:00 UTC on `date`.
fn utc_midnight(date: Date) -> Option<i64> {
    date.to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn iac_patterns_match_like_git_pathspecs() {
        for path in [
            "main.tf",
            "infra/modules/network/main.tf",
            "env/prod.tfvars",
            "main.bicep",
            "main.bicepparam",
        ] {
            assert!(matches_iac_pattern(path.as_bytes()), "{path}");
        }
        assert!(matches_iac_pattern(b"modules/vnet/vnet.tf.json"));
        for path in [
            "main.TF",
            "notes.tf.md",
            "terraform.tfstate",
            "tf",
            "main.tf.bak",
            "azuredeploy.json",
            "README.md",
        ] {
            assert!(!matches_iac_pattern(path.as_bytes()), "{path}");
        }
    }

    #[test]
    fn window_runs_from_the_monday_of_since_to_the_end_of_as_of() {
        let window = Window::new(date(2026, 11, 4), date(2026, 11, 24));
        let second = |s: &str| s.parse::<Timestamp>().unwrap().as_second();
        assert!(!window.contains(second("2026-11-01T23:59:59Z")));
        assert!(window.contains(second("2026-11-02T00:00:00Z")));
        assert!(window.contains(second("2026-11-24T23:59:59Z")));
        assert!(!window.contains(second("2026-11-25T00:00:00Z")));
    }

    #[test]
    fn commit_dates_are_utc_days() {
        let commit = IacCommit {
            id: String::new(),
            committed: "2026-11-15T23:30:00-02:00".parse().unwrap(),
            paths: vec!["main.tf".to_string()],
        };
        assert_eq!(commit.date(), date(2026, 11, 16));
    }
}
