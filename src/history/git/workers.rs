//! Comparing commits with their parents on worker threads.
//!
//! The walk (on the calling thread) hands out batches of consecutive commits; each worker has its own
//! repository handle and caches, and compares the commits of a batch in order, so a tree read for one commit's
//! parent is still cached when that parent's turn comes. Results are put back in walk order. Why threads:
//! inflating tree objects is nearly all the time a long history takes, and commits can be compared independently.
//! Memory stays bounded: the queue holds a few batches, each worker fixed-size object and pack caches.

use super::tree_diff::{MAX_DIAGNOSTICS, TreeDiff};
use super::{IacCommit, OBJECT_CACHE_BYTES};
use crate::model::Diagnostic;
use gix::ObjectId;
use gix::objs::FindExt;
use jiff::Timestamp;
use std::sync::mpsc::{Receiver, Sender, channel, sync_channel};
use std::sync::{Arc, Mutex};

/// Commits per batch handed to a worker.
const BATCH: usize = 256;

/// At most this many worker threads.
const MAX_WORKERS: usize = 4;

/// Bytes of resolved pack entries each worker keeps (keyed by pack offset), so that the next older version of a
/// tree, stored as a delta against the one just read, costs one delta instead of a whole chain.
const PACK_CACHE_BYTES: usize = 16 * 1024 * 1024;

/// A non-merge commit in the window, to compare with its parent.
pub(super) struct ToCompare {
    /// The commit.
    pub(super) id: ObjectId,
    /// Its only parent; `None` for a root commit or a shallow clone's boundary.
    pub(super) parent: Option<ObjectId>,
    /// Its committer time, seconds since the epoch.
    pub(super) time: i64,
}

/// What a worker found in one batch: its index in walk order, the IaC commits, problems met.
type BatchResult = (usize, Vec<IacCommit>, Vec<Diagnostic>);

/// Compare the commits `walk` produces (through the callback it is given) with their parents, on worker threads.
/// Returns the IaC commits in the order produced, and the diagnostics; `walk`'s error ends the work early.
pub(super) fn compare_commits<E>(
    repo: &gix::ThreadSafeRepository,
    prefix: &[Vec<u8>],
    walk: impl FnOnce(&mut dyn FnMut(ToCompare)) -> Result<(), E>,
) -> Result<(Vec<IacCommit>, Vec<Diagnostic>), E> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, MAX_WORKERS));
    let (job_sender, job_receiver) = sync_channel::<(usize, Vec<ToCompare>)>(2 * workers);
    let job_receiver = Arc::new(Mutex::new(job_receiver));
    let (result_sender, result_receiver) = channel::<BatchResult>();
    let walked = std::thread::scope(|scope| {
        for _ in 0..workers {
            let jobs = Arc::clone(&job_receiver);
            let results = result_sender.clone();
            scope.spawn(move || work(repo, prefix, &jobs, &results));
        }
        drop(result_sender);
        let mut batch = Vec::with_capacity(BATCH);
        let mut index = 0usize;
        let walked = walk(&mut |commit| {
            batch.push(commit);
            if batch.len() == BATCH {
                // A send fails only when every worker has stopped; their results say what was done.
                let _ = job_sender.send((
                    index,
                    std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                ));
                index += 1;
            }
        });
        if walked.is_ok() && !batch.is_empty() {
            let _ = job_sender.send((index, batch));
        }
        drop(job_sender);
        walked
    });
    walked?;
    Ok(in_walk_order(result_receiver))
}

/// One worker: take batches until the queue is closed, send back what each holds.
fn work(
    repo: &gix::ThreadSafeRepository,
    prefix: &[Vec<u8>],
    jobs: &Mutex<Receiver<(usize, Vec<ToCompare>)>>,
    results: &Sender<BatchResult>,
) {
    let mut repo = repo.to_thread_local();
    repo.object_cache_size_if_unset(OBJECT_CACHE_BYTES);
    // gix keeps no delta-base cache unless asked; without one every tree read inflates its whole delta chain.
    repo.objects.set_pack_cache(|| {
        Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
            PACK_CACHE_BYTES,
        ))
    });
    let mut differ = CommitDiffer::new(&repo.objects, prefix.to_vec());
    loop {
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((index, commits)) = job else {
            return;
        };
        let found: Vec<IacCommit> = commits
            .into_iter()
            .filter_map(|c| differ.iac_commit(c))
            .collect();
        let diagnostics = std::mem::take(&mut differ.tree_diff.diagnostics);
        if results.send((index, found, diagnostics)).is_err() {
            return;
        }
    }
}

/// Gather the batch results and put them in walk order; keep at most [`MAX_DIAGNOSTICS`] diagnostics.
fn in_walk_order(results: Receiver<BatchResult>) -> (Vec<IacCommit>, Vec<Diagnostic>) {
    let mut batches: Vec<BatchResult> = results.into_iter().collect();
    batches.sort_unstable_by_key(|(index, _, _)| *index);
    let mut commits = Vec::new();
    let mut diagnostics = Vec::new();
    for (_, found, problems) in batches {
        commits.extend(found);
        diagnostics.extend(problems);
    }
    diagnostics.truncate(MAX_DIAGNOSTICS);
    (commits, diagnostics)
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

impl<'repo> CommitDiffer<'repo> {
    /// A differ reading from `objects`, comparing the directory at `prefix` (path components).
    fn new(objects: &'repo gix::OdbHandle, prefix: Vec<Vec<u8>>) -> Self {
        CommitDiffer {
            objects,
            prefix,
            tree_diff: TreeDiff::new(objects),
            commit_buffer: Vec::new(),
            last_tree: None,
        }
    }

    /// The commit as an [`IacCommit`] when it changes IaC files.
    fn iac_commit(&mut self, commit: ToCompare) -> Option<IacCommit> {
        let paths = self.changed_iac_paths(commit.id, commit.parent)?;
        if paths.is_empty() {
            return None;
        }
        Some(IacCommit {
            id: commit.id.to_string(),
            committed: Timestamp::from_second(commit.time).unwrap_or(Timestamp::UNIX_EPOCH),
            paths,
        })
    }

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
