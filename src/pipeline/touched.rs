//! `activity.weekly[].services_touched` / `regions_touched`: what each week's commits changed, read from git
//! objects at each commit (never the files as they are today).
//!
//! For every IaC commit of the weeks the reports show, the commit's IaC files under PATH are read from its tree
//! (the diff's tree reader, no checkout) and run through the ordinary inventory stage, so a file is read with
//! its module and parameter context as it was then; the resources its changed files declare give the
//! services and regions. A file a commit deletes declares nothing at that commit. Work is bounded: the weeks
//! shown, at most [`MAX_COMMITS`] commits (newest first), and one inventory per distinct tree.

use crate::diff::tree;
use crate::history::git::IacCommit;
use crate::history::{WeekActivity, week_start};
use crate::iac::ScanOptions;
use crate::inventory;
use jiff::civil::Date;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The weeks the reports show at most (ending with the week of `as_of`).
pub const SHOWN_WEEKS: i64 = 26;

/// Commits read at most (a week of hundreds of IaC commits would otherwise cost hundreds of inventories).
pub const MAX_COMMITS: usize = 120;

/// Services and regions touched in one week.
type Touched = (BTreeSet<String>, BTreeSet<String>);

/// Fill the services and regions touched of the weeks of `weekly` that the reports show, from `commits` (newest
/// first, paths relative to `path`) in the repository holding `path`.
pub fn fill(
    weekly: &mut [WeekActivity],
    commits: &[IacCommit],
    path: &Path,
    as_of: Date,
    opts: &ScanOptions,
) {
    let first_shown = week_start(as_of)
        .checked_sub(jiff::Span::new().weeks(SHOWN_WEEKS - 1))
        .unwrap_or(as_of);
    let shown: Vec<&IacCommit> = commits
        .iter()
        .filter(|c| {
            let week = week_start(c.date());
            week >= first_shown && c.date() <= as_of
        })
        .take(MAX_COMMITS)
        .collect();
    if shown.is_empty() {
        return;
    }
    let Ok(repo) = tree::open(path) else {
        return;
    };
    let prefix = crate::diff::repo_prefix(&repo, path);
    let mut by_week: BTreeMap<Date, Touched> = BTreeMap::new();
    let mut by_tree: HashMap<String, BTreeMap<String, Touched>> = HashMap::new();
    for commit in shown {
        let Some(declared) = declared_at(&repo, &commit.id, &prefix, opts, &mut by_tree) else {
            continue;
        };
        let week = by_week.entry(week_start(commit.date())).or_default();
        for changed in &commit.paths {
            if let Some((services, regions)) = declared.get(changed) {
                week.0.extend(services.iter().cloned());
                week.1.extend(regions.iter().cloned());
            }
        }
    }
    for week in weekly.iter_mut() {
        if let Some((services, regions)) = by_week.remove(&week.week_start) {
            week.services_touched = services.into_iter().collect();
            week.regions_touched = regions.into_iter().collect();
        }
    }
}

/// File → the services and regions its deployed resources have at `commit` (cached by the commit's tree).
fn declared_at<'a>(
    repo: &gix::Repository,
    commit: &str,
    prefix: &str,
    opts: &ScanOptions,
    cache: &'a mut HashMap<String, BTreeMap<String, Touched>>,
) -> Option<&'a BTreeMap<String, Touched>> {
    let tree_id = tree::tree_of(repo, commit)?;
    if !cache.contains_key(&tree_id) {
        let scratch = tempfile::tempdir().ok()?;
        tree::export(repo, commit, prefix, scratch.path()).ok()?;
        let root = scratch.path().join(prefix);
        let _ = std::fs::create_dir_all(&root);
        let inventory = inventory::build(&[root], opts);
        let mut by_file: BTreeMap<String, Touched> = BTreeMap::new();
        for resource in inventory.deployed() {
            let entry = by_file.entry(resource.file.clone()).or_default();
            // Plumbing (resource groups, role assignments, identities) is listed but touches no service.
            if inventory::counts_for_breadth(resource) {
                entry.0.extend(resource.service.clone());
            }
            let physical = resource
                .location
                .as_deref()
                .and_then(crate::catalog::region)
                .filter(|r| r.physical);
            entry.1.extend(physical.map(|r| r.name.to_string()));
        }
        cache.insert(tree_id.clone(), by_file);
    }
    cache.get(&tree_id)
}
