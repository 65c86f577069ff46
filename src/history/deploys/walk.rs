//! Reading what the inference needs from git objects: branches and tags, first-parent commits, the deploying
//! workflows as they were at a commit, and the files a commit changed against its first parent.
//!
//! Workflows are read at each commit because GitHub runs the workflow file of the pushed commit: a push made
//! before the workflow existed (or before it had a `push` trigger) ran nothing. Both the workflows directory
//! (by tree id) and each workflow file (by blob id) are parsed once, so a long history costs a few tree reads
//! per commit.

use super::super::git::tree_diff::TreeDiff;
use super::super::workflows::{self, push::PushTrigger, yaml};
use crate::model::{Diagnostic, Severity};
use gix::ObjectId;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// Where pushes come from: branch tips (local and `origin/*`) and tags.
#[derive(Debug, Default)]
pub(super) struct Refs {
    /// Branch name → its tips (a local branch and its `origin/` copy may differ).
    pub branches: BTreeMap<String, Vec<ObjectId>>,
    /// Tag name → the commit it points at (annotated tags peeled).
    pub tags: Vec<(String, ObjectId)>,
    /// The default branch: `origin/HEAD`'s target, else `main`, else `master`, else the checked-out branch.
    pub default_branch: Option<String>,
}

/// Read the branches, tags and default branch of `repo`. Unreadable references are skipped.
pub(super) fn refs(repo: &gix::Repository) -> Refs {
    let mut refs = Refs::default();
    let Ok(platform) = repo.references() else {
        return refs;
    };
    let mut add_branches = |iter: Result<gix::reference::iter::Iter<'_, '_>, _>, prefix: &str| {
        for mut reference in iter.into_iter().flatten().flatten() {
            let full = reference.name().as_bstr().to_string();
            let Some(name) = full.strip_prefix(prefix) else {
                continue;
            };
            if name == "HEAD" {
                continue;
            }
            let name = name.to_string();
            if let Ok(id) = reference.peel_to_id() {
                refs.branches.entry(name).or_default().push(id.detach());
            }
        }
    };
    add_branches(platform.local_branches(), "refs/heads/");
    add_branches(platform.remote_branches(), "refs/remotes/origin/");
    for mut reference in platform.tags().into_iter().flatten().flatten() {
        let full = reference.name().as_bstr().to_string();
        let Some(name) = full.strip_prefix("refs/tags/").map(str::to_string) else {
            continue;
        };
        let Ok(id) = reference.peel_to_id() else {
            continue;
        };
        // A tag of a tree or a blob is no push of code.
        if repo.find_commit(id.detach()).is_ok() {
            refs.tags.push((name, id.detach()));
        }
    }
    refs.default_branch = default_branch(repo, &refs.branches);
    refs
}

/// `origin/HEAD`'s target, else `main`, else `master`, else the branch `HEAD` is on.
fn default_branch(
    repo: &gix::Repository,
    branches: &BTreeMap<String, Vec<ObjectId>>,
) -> Option<String> {
    if let Ok(origin_head) = repo.find_reference("refs/remotes/origin/HEAD")
        && let Some(target) = origin_head.target().try_name()
        && let Some(name) = target
            .as_bstr()
            .to_string()
            .strip_prefix("refs/remotes/origin/")
    {
        return Some(name.to_string());
    }
    for name in ["main", "master"] {
        if branches.contains_key(name) {
            return Some(name.to_string());
        }
    }
    let head = repo.head_name().ok().flatten()?;
    head.as_bstr()
        .to_string()
        .strip_prefix("refs/heads/")
        .map(str::to_string)
}

/// What the walk needs of one commit.
#[derive(Debug, Clone, Copy)]
pub(super) struct CommitInfo {
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// Its first parent; `None` for a root commit or a shallow clone's boundary.
    pub first_parent: Option<ObjectId>,
    /// Its root tree.
    pub tree: ObjectId,
}

/// A deploying workflow with a `push` trigger, as one version of its file says.
#[derive(Debug, Clone)]
pub(super) struct DeployWorkflow {
    /// Path as `activity.workflows` names it (`.github/workflows/azure-dev.yml`).
    pub file: String,
    /// Its `on.push` filters.
    pub trigger: PushTrigger,
}

/// Reads commits, workflow versions and changed files, with caches.
pub(super) struct Reader<'repo> {
    repo: &'repo gix::Repository,
    /// The shallow clone's boundary commits: their parents are missing.
    shallow: Vec<ObjectId>,
    /// The workflows directory's path components from the repository root.
    workflows_dir: Vec<String>,
    /// `.github/workflows` relative to the project (the prefix of [`DeployWorkflow::file`]).
    workflows_rel: String,
    /// Where local reusable workflows and composite actions are read from.
    project_root: PathBuf,
    by_tree: HashMap<ObjectId, Rc<Vec<DeployWorkflow>>>,
    by_blob: HashMap<ObjectId, Option<DeployWorkflow>>,
    changed: HashMap<ObjectId, Rc<Vec<String>>>,
    tree_diff: TreeDiff<'repo>,
    /// Problems met (objects that cannot be read).
    pub diagnostics: Vec<Diagnostic>,
}

impl<'repo> Reader<'repo> {
    /// A reader for `repo` whose project (where `.github/` lives) is `project_in_repo` (`/`-separated, empty at
    /// the root) and on disk at `project_root`.
    pub(super) fn new(
        repo: &'repo gix::Repository,
        project_in_repo: &str,
        project_root: &Path,
    ) -> Self {
        let mut workflows_dir: Vec<String> = project_in_repo
            .split('/')
            .filter(|c| !c.is_empty())
            .map(str::to_string)
            .collect();
        workflows_dir.extend([".github".to_string(), "workflows".to_string()]);
        let mut shallow: Vec<ObjectId> = repo
            .shallow_commits()
            .ok()
            .flatten()
            .map(|c| c.iter().copied().collect())
            .unwrap_or_default();
        shallow.sort_unstable();
        Reader {
            repo,
            shallow,
            workflows_dir,
            workflows_rel: ".github/workflows".to_string(),
            project_root: project_root.to_path_buf(),
            by_tree: HashMap::new(),
            by_blob: HashMap::new(),
            changed: HashMap::new(),
            tree_diff: TreeDiff::all_files(&repo.objects),
            diagnostics: Vec::new(),
        }
    }

    /// The commit's time, first parent and tree; `None` (diagnosed) when it cannot be read.
    pub(super) fn commit(&mut self, id: ObjectId) -> Option<CommitInfo> {
        let read = || -> Result<CommitInfo, gix::Error> {
            let commit = self.repo.find_commit(id)?;
            let time = commit.time()?.seconds;
            let tree = commit.tree_id()?.detach();
            let first_parent = commit.parent_ids().next().map(gix::Id::detach);
            Ok(CommitInfo {
                time,
                first_parent,
                tree,
            })
        };
        match read() {
            Ok(mut info) => {
                if self.shallow.binary_search(&id).is_ok() {
                    info.first_parent = None;
                }
                Some(info)
            }
            Err(err) => {
                self.diagnose(format!("cannot read commit {id}: {err}"));
                None
            }
        }
    }

    /// The deploying, push-triggered workflows in the tree `root` (a commit's root tree).
    pub(super) fn workflows_at(&mut self, root: ObjectId) -> Rc<Vec<DeployWorkflow>> {
        let Some(dir) = self.subtree(root) else {
            return Rc::new(Vec::new());
        };
        if let Some(found) = self.by_tree.get(&dir) {
            return Rc::clone(found);
        }
        let mut files: Vec<(String, ObjectId)> = Vec::new();
        if let Ok(tree) = self.repo.find_tree(dir) {
            for entry in tree.iter().flatten() {
                let name = entry.filename().to_string();
                let is_workflow = name.ends_with(".yml") || name.ends_with(".yaml");
                if is_workflow && entry.mode().is_blob() {
                    files.push((name, entry.oid().to_owned()));
                }
            }
        }
        let mut found = Vec::new();
        for (name, blob) in files {
            if let Some(workflow) = self.workflow_blob(&name, blob) {
                found.push(workflow);
            }
        }
        let found = Rc::new(found);
        self.by_tree.insert(dir, Rc::clone(&found));
        found
    }

    /// The workflows directory's tree id inside `root`, if there is one.
    fn subtree(&self, root: ObjectId) -> Option<ObjectId> {
        let mut tree = self.repo.find_tree(root).ok()?;
        for component in &self.workflows_dir {
            let id = tree
                .find_entry(component.as_str())
                .filter(|e| e.mode().is_tree())
                .map(|e| e.oid().to_owned())?;
            tree = self.repo.find_tree(id).ok()?;
        }
        Some(tree.id)
    }

    /// One workflow file version as a deploying, push-triggered workflow (or `None`).
    fn workflow_blob(&mut self, name: &str, blob: ObjectId) -> Option<DeployWorkflow> {
        let file = format!("{}/{name}", self.workflows_rel);
        if let Some(known) = self.by_blob.get(&blob) {
            return known.clone().map(|w| DeployWorkflow { file, ..w });
        }
        let parsed = self.parse_workflow(&file, blob);
        self.by_blob.insert(blob, parsed.clone());
        parsed
    }

    fn parse_workflow(&mut self, file: &str, blob: ObjectId) -> Option<DeployWorkflow> {
        // The same limit as for files on disk: a crafted history cannot make one version cost more.
        let limit = crate::iac::DEFAULT_MAX_FILE_SIZE;
        if self.repo.find_header(blob).ok()?.size() > limit {
            return None;
        }
        let data = match self.repo.find_blob(blob) {
            Ok(blob) => blob.data.clone(),
            Err(err) => {
                self.diagnose(format!("cannot read {file} at blob {blob}: {err}"));
                return None;
            }
        };
        let text = crate::iac::source::decode(file, data, &mut Vec::new());
        let doc = yaml::load_mapping(file, &text).ok()?;
        let trigger = PushTrigger::of(&doc)?;
        let analysed = workflows::analyze_text(Some(&self.project_root), file, &text).ok()?;
        analysed.deploys.then(|| DeployWorkflow {
            file: file.to_string(),
            trigger,
        })
    }

    /// The files (repository-relative) `commit` changed against `first_parent` (everything, for a root commit).
    pub(super) fn changed_files(&mut self, commit: ObjectId, info: CommitInfo) -> Rc<Vec<String>> {
        if let Some(known) = self.changed.get(&commit) {
            return Rc::clone(known);
        }
        let old = info
            .first_parent
            .and_then(|p| self.commit(p))
            .map(|p| p.tree);
        let paths = match self
            .tree_diff
            .changed_iac_paths(old.as_deref(), Some(&info.tree))
        {
            Ok(paths) => paths,
            Err(err) => {
                self.diagnose(format!("cannot compare commit {commit}: {err}"));
                Vec::new()
            }
        };
        self.diagnostics.append(&mut self.tree_diff.diagnostics);
        let paths = Rc::new(paths);
        self.changed.insert(commit, Rc::clone(&paths));
        paths
    }

    fn diagnose(&mut self, message: String) {
        if self.diagnostics.len() < 20 {
            self.diagnostics.push(Diagnostic::new(
                "",
                0,
                0,
                Severity::Warning,
                "git-object",
                message,
            ));
        }
    }
}
