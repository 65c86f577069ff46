//! Git history of IaC files, read with gix (no `git` process).
//!
//! [`iac_history`] walks the commits reachable from `HEAD` (newest first, stopping at the start of the ISO week
//! that holds `since`), skips merges, compares each commit's tree with its parent's and keeps the commits that add,
//! change or delete at least one IaC file. The result is what
//! `git log --full-history --no-merges -- '*.bicep' '*.bicepparam' '*.tf' '*.tfvars' '*.tf.json'` lists, plus
//! the commits that only touch ARM templates (the contract's `activity.weekly`). Each kept commit carries the IaC
//! paths it changed so the scan stage can tell which services and regions were touched week by week.
//!
//! Why a hand-written tree comparison ([`tree_diff`]): it opens only subtrees whose ids differ, needs no extra gix
//! features and keeps memory flat however long the history is.

mod tree_diff;

use crate::model::{Diagnostic, Severity};
use gix::ObjectId;
use gix::objs::FindExt;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::path::{Path, PathBuf};
use tree_diff::TreeDiff;

/// The file name endings that make a path an IaC file whatever its content: git's pathspecs `*.bicep`,
/// `*.bicepparam`, `*.tf`, `*.tfvars` and `*.tf.json` (their `*` matches `/` too, so at any depth).
const IAC_PATH_ENDINGS: &[&[u8]] = &[b".bicep", b".bicepparam", b".tf", b".tfvars", b".tf.json"];

/// Bytes of objects gix may keep in its object cache during a walk (commits are read twice: by the walk, then
/// for their tree). Bounded, so memory stays flat on long histories.
const OBJECT_CACHE_BYTES: usize = 4 * 1024 * 1024;

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
    let mut head = repo
        .head()
        .map_err(|source| HistoryError::Head { source })?;
    if head.is_unborn() {
        return Ok(history);
    }
    let head_id = head
        .try_peel_to_id()
        .map_err(|source| HistoryError::Head { source })?;
    let Some(head_id) = head_id else {
        return Ok(history);
    };
    let window = Window::new(since, as_of);
    let walk = repo
        .rev_walk([head_id.detach()])
        .sorting(gix::revision::walk::Sorting::ByCommitTimeCutoff {
            order: gix::traverse::commit::simple::CommitTimeOrder::NewestFirst,
            seconds: window.start,
        })
        .all()
        .map_err(|source| HistoryError::Walk { source })?;
    let mut walker = CommitDiffer {
        objects: &repo.objects,
        prefix: prefix_components(&repo, repo_root),
        tree_diff: TreeDiff::new(&repo.objects),
        commit_buffer: Vec::new(),
        last_tree: None,
    };
    for info in walk {
        let info = info.map_err(|source| HistoryError::Walk { source })?;
        history.commits_walked += 1;
        let Some(time) = info.commit_time.filter(|t| window.contains(*t)) else {
            continue;
        };
        let is_boundary = shallow_boundary.binary_search(&info.id).is_ok();
        let parent = if is_boundary {
            None
        } else {
            info.parent_ids.first().copied()
        };
        if !is_boundary && info.parent_ids.len() > 1 {
            continue;
        }
        if let Some(paths) = walker.changed_iac_paths(info.id, parent)
            && !paths.is_empty()
        {
            let committed = Timestamp::from_second(time).unwrap_or(Timestamp::UNIX_EPOCH);
            history.commits.push(IacCommit {
                id: info.id.to_string(),
                committed,
                paths,
            });
        }
    }
    history
        .diagnostics
        .append(&mut walker.tree_diff.diagnostics);
    Ok(history)
}

/// Open the repository holding `dir`; `Ok(None)` when there is none.
fn discover(dir: &Path) -> Result<Option<gix::Repository>, HistoryError> {
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
fn prefix_components(repo: &gix::Repository, dir: &Path) -> Vec<Vec<u8>> {
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

/// Reads commits and compares their trees; keeps one commit's tree id from one step to the next (the next commit
/// walked is usually the parent of the last one).
struct CommitDiffer<'repo> {
    /// Where objects are read from.
    objects: &'repo gix::OdbHandle,
    /// The directory walked, as path components below the work tree root.
    prefix: Vec<Vec<u8>>,
    /// The tree comparison, with its reusable buffers and diagnostics.
    tree_diff: TreeDiff<'repo>,
    /// Buffer for commit objects.
    commit_buffer: Vec<u8>,
    /// The last parent commit seen and its (prefix) tree.
    last_tree: Option<(ObjectId, Option<ObjectId>)>,
}

impl CommitDiffer<'_> {
    /// The IaC paths `commit` changes against `parent` (or the empty tree); `None` (diagnosed) when an object
    /// cannot be read.
    fn changed_iac_paths(
        &mut self,
        commit: ObjectId,
        parent: Option<ObjectId>,
    ) -> Option<Vec<String>> {
        let new_tree = self.tree_of(commit)?;
        let old_tree = match parent {
            Some(parent) => {
                let tree = self.tree_of(parent)?;
                self.last_tree = Some((parent, tree));
                tree
            }
            None => None,
        };
        match self
            .tree_diff
            .changed_iac_paths(old_tree.as_deref(), new_tree.as_deref())
        {
            Ok(paths) => Some(paths),
            Err(err) => {
                self.tree_diff.diagnose(
                    String::new(),
                    "git-object",
                    format!("cannot compare commit {commit}: {err}"),
                );
                None
            }
        }
    }

    /// The tree of `commit` at the walked directory: `Some(None)` when that directory does not exist there,
    /// `None` (diagnosed) when the commit cannot be read.
    fn tree_of(&mut self, commit: ObjectId) -> Option<Option<ObjectId>> {
        if let Some((id, tree)) = self.last_tree
            && id == commit
        {
            return Some(tree);
        }
        let root = self
            .objects
            .find_commit_iter(&commit, &mut self.commit_buffer)
            .and_then(|mut c| c.tree_id());
        let root = match root {
            Ok(root) => root,
            Err(err) => {
                self.tree_diff.diagnose(
                    String::new(),
                    "git-object",
                    format!("cannot read commit {commit}: {err}"),
                );
                return None;
            }
        };
        let mut tree = root;
        for component in &self.prefix {
            let entry = self
                .objects
                .find_tree_iter(&tree, &mut self.commit_buffer)
                .ok()
                .and_then(|entries| {
                    entries
                        .filter_map(Result::ok)
                        .find(|e| e.mode.is_tree() && e.filename == component.as_slice())
                        .map(|e| e.oid.to_owned())
                });
            match entry {
                Some(subtree) => tree = subtree,
                None => return Some(None),
            }
        }
        Some(Some(tree))
    }
}
