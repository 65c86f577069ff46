//! Deployments inferred offline, from git and the deploying workflows' own `on.push` triggers.
//!
//! When the GitHub API's runs are not at hand (no token, a PR from a fork, a local run), the pushes that would
//! have run a deploying workflow are the best evidence of deployment there is. The contract fixes the rules:
//!
//! - every commit on the first-parent history of a branch that a deploying workflow's `on.push` admits (local
//!   branches and `refs/remotes/origin/*`) counts one deployment, dated by its committer date, when its changes
//!   (a merge's: against its first parent) pass the trigger's `paths`/`paths-ignore`;
//! - a trigger without branch or tag filters means the default branch; one with only tag filters fires on tags
//!   alone; every tag a trigger admits counts one, dated by the tagged commit;
//! - several workflows firing on one commit count once; `workflow_dispatch` and `schedule` are not inferred.
//!
//! Each commit is judged by the workflow files as they are *at that commit* (see [`walk`]).

mod walk;

use super::git::{HistoryError, discover};
use super::workflows::push::PushTrigger;
use crate::model::Diagnostic;
use gix::ObjectId;
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;
use walk::{Reader, Refs};

/// One push that would have run at least one deploying workflow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InferredDeployment {
    /// The UTC day of the deployment (the commit's committer date; a tag's tagged commit's).
    pub date: Date,
    /// The pushed commit (hex).
    pub commit: String,
    /// The branch (`main`) or tag (`v1.2.0`) pushed.
    pub pushed: Pushed,
    /// The workflow files it runs, sorted.
    pub workflows: Vec<String>,
}

/// What a push updated.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Pushed {
    /// A commit on this branch.
    Branch(String),
    /// This tag.
    Tag(String),
}

/// What the inference found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inference {
    /// Deployments in the window, oldest first.
    pub deployments: Vec<InferredDeployment>,
    /// Some version of a workflow in the window (or today's) deploys on push: without one there is nothing to
    /// infer from (`deployments_source: "none"`).
    pub has_push_deploy: bool,
    /// What the count is inferred from, for the reports: `pushes to main that trigger azure-dev.yml`.
    pub basis: String,
    /// Objects that could not be read.
    pub diagnostics: Vec<Diagnostic>,
}

/// Infer the deployments of the project at `project_root` (the directory whose `.github/workflows/` is read, in
/// a git repository) from the week of `since` to the end of `as_of` (UTC). Not a repository: nothing.
pub fn infer(project_root: &Path, since: Date, as_of: Date) -> Result<Inference, HistoryError> {
    let Some(repo) = discover(project_root)? else {
        return Ok(Inference::default());
    };
    let project_in_repo = super::git::prefix_components(&repo, project_root)
        .iter()
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("/");
    let start = utc_seconds(super::week_start(since)).unwrap_or(i64::MIN);
    let end = as_of
        .tomorrow()
        .ok()
        .and_then(utc_seconds)
        .unwrap_or(i64::MAX);
    let refs = walk::refs(&repo);
    let mut reader = Reader::new(&repo, &project_in_repo, project_root);
    let mut found = Found::default();
    // The default branch first: the workflow versions met on it decide which other branches are worth walking.
    let default = refs.default_branch.as_deref();
    let mut branches: Vec<(&String, &Vec<ObjectId>)> = refs.branches.iter().collect();
    branches.sort_by_key(|(name, _)| Some(name.as_str()) != default);
    for (name, tips) in branches {
        if Some(name.as_str()) != default && !found.worth_walking(&mut reader, name, tips, default)
        {
            continue;
        }
        let mut seen: HashSet<ObjectId> = HashSet::new();
        for tip in tips {
            walk_branch(
                &mut reader,
                &refs,
                name,
                *tip,
                (start, end),
                &mut seen,
                &mut found,
            );
        }
    }
    for (tag, commit) in &refs.tags {
        let Some(info) = reader.commit(*commit) else {
            continue;
        };
        let workflows = reader.workflows_at(info.tree);
        found.saw(&workflows);
        if !(start..end).contains(&info.time) {
            continue;
        }
        let firing: Vec<String> = workflows
            .iter()
            .filter(|w| w.trigger.admits_tag(tag))
            .map(|w| w.file.clone())
            .collect();
        found.add(*commit, info.time, Pushed::Tag(tag.clone()), firing);
    }
    let basis = basis(&found);
    let mut deployments: Vec<InferredDeployment> = found.events.into_values().collect();
    deployments.sort_by(|a, b| (a.date, &a.commit, &a.pushed).cmp(&(b.date, &b.commit, &b.pushed)));
    Ok(Inference {
        deployments,
        has_push_deploy: found.has_push_deploy,
        basis,
        diagnostics: reader.diagnostics,
    })
}

/// Follow the first parents of `tip` (branch `name`) through the window, adding the commits that deploy.
fn walk_branch(
    reader: &mut Reader<'_>,
    refs: &Refs,
    name: &str,
    tip: ObjectId,
    (start, end): (i64, i64),
    seen: &mut HashSet<ObjectId>,
    found: &mut Found,
) {
    let mut next = Some(tip);
    while let Some(id) = next {
        if !seen.insert(id) {
            return;
        }
        let Some(info) = reader.commit(id) else {
            return;
        };
        if info.time < start {
            return;
        }
        next = info.first_parent;
        if info.time >= end {
            continue;
        }
        let workflows = reader.workflows_at(info.tree);
        found.saw(&workflows);
        let default = refs.default_branch.as_deref();
        let admitting: Vec<_> = workflows
            .iter()
            .filter(|w| w.trigger.admits_branch(name, default))
            .collect();
        if admitting.is_empty() {
            continue;
        }
        let needs_paths = admitting.iter().any(|w| w.trigger.filters_paths());
        let changed = if needs_paths {
            reader.changed_files(id, info)
        } else {
            std::rc::Rc::new(Vec::new())
        };
        let firing: Vec<String> = admitting
            .iter()
            .filter(|w| w.trigger.admits_paths(&changed))
            .map(|w| w.file.clone())
            .collect();
        found.add(id, info.time, Pushed::Branch(name.to_string()), firing);
    }
}

/// Deployments found so far, keyed by what was pushed (a commit once, whatever branches hold it; a tag once).
#[derive(Default)]
struct Found {
    events: BTreeMap<EventKey, InferredDeployment>,
    has_push_deploy: bool,
    /// Every deploying, push-triggered workflow file seen in some version.
    files_seen: BTreeSet<String>,
    /// Every distinct `on.push` trigger of those versions.
    triggers: Vec<PushTrigger>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum EventKey {
    Commit(ObjectId),
    Tag(String),
}

impl Found {
    /// Note the deploying workflows of one tree.
    fn saw(&mut self, workflows: &[walk::DeployWorkflow]) {
        self.has_push_deploy |= !workflows.is_empty();
        for workflow in workflows {
            if !self.files_seen.contains(&workflow.file) {
                self.files_seen.insert(workflow.file.clone());
            }
            if !self.triggers.contains(&workflow.trigger) {
                self.triggers.push(workflow.trigger.clone());
            }
        }
    }

    /// Record a push of `commit` that runs `firing` (nothing when empty).
    fn add(&mut self, commit: ObjectId, time: i64, pushed: Pushed, firing: Vec<String>) {
        if firing.is_empty() {
            return;
        }
        let key = match &pushed {
            Pushed::Branch(_) => EventKey::Commit(commit),
            Pushed::Tag(tag) => EventKey::Tag(tag.clone()),
        };
        let event = self
            .events
            .entry(key)
            .or_insert_with(|| InferredDeployment {
                date: utc_date(time),
                commit: commit.to_string(),
                pushed,
                workflows: Vec::new(),
            });
        let mut files: BTreeSet<String> = event.workflows.drain(..).collect();
        files.extend(firing);
        event.workflows = files.into_iter().collect();
    }

    /// Whether branch `name` can deploy at all: some version of a deploying workflow met so far (on the default
    /// branch, at any tip walked) or at one of its own tips admits it. Skipping the rest keeps repositories with
    /// hundreds of branches cheap.
    fn worth_walking(
        &mut self,
        reader: &mut Reader<'_>,
        name: &str,
        tips: &[ObjectId],
        default: Option<&str>,
    ) -> bool {
        for tip in tips {
            if let Some(info) = reader.commit(*tip) {
                let workflows = reader.workflows_at(info.tree);
                self.saw(&workflows);
            }
        }
        self.triggers.iter().any(|t| t.admits_branch(name, default))
    }
}

/// `pushes to main that trigger azure-dev.yml`, `tags v* that trigger release.yml`, ...: the branches and tags
/// that deployed and the workflows that ran, by file name.
fn basis(found: &Found) -> String {
    let mut branches = BTreeSet::new();
    let mut tags = 0usize;
    let mut files = BTreeSet::new();
    for event in found.events.values() {
        match &event.pushed {
            Pushed::Branch(b) => {
                branches.insert(b.as_str());
            }
            Pushed::Tag(_) => tags += 1,
        }
        files.extend(event.workflows.iter().map(|f| file_name(f)));
    }
    let mut what = Vec::new();
    if !branches.is_empty() {
        what.push(format!("pushes to {}", and_list(branches.into_iter())));
    }
    if tags > 0 {
        what.push(if tags == 1 {
            "1 tag".to_string()
        } else {
            format!("{tags} tags")
        });
    }
    if what.is_empty() {
        let seen = and_list(found.files_seen.iter().map(|f| file_name(f)));
        return format!("pushes (none in the window triggers {seen})");
    }
    format!(
        "{} that trigger {}",
        what.join(" and "),
        and_list(files.into_iter())
    )
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let items: Vec<&str> = items.collect();
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

fn utc_seconds(date: Date) -> Option<i64> {
    date.to_zoned_datetime(TimeZone::UTC)
        .ok()
        .map(|z| z.timestamp().as_second())
}

fn utc_date(seconds: i64) -> Date {
    Timestamp::from_second(seconds)
        .unwrap_or(Timestamp::UNIX_EPOCH)
        .to_zoned_datetime(TimeZone::UTC)
        .date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_read_as_english() {
        assert_eq!(and_list(["main"].into_iter()), "main");
        assert_eq!(and_list(["main", "dev"].into_iter()), "main and dev");
        assert_eq!(and_list(["a", "b", "c"].into_iter()), "a, b and c");
    }
}
