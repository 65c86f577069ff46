//! Pull-request runs (`pull_request`, `pull_request_target`): what the PR changes in the IaC, and the sticky
//! comment that reports it with the scan.
//!
//! The change is read from git objects in the local clone (`base...head`, i.e. from the merge base), never by
//! checking anything out or running anything from the PR. When the base commit is not in the clone (the
//! default `fetch-depth: 1` checkout), the PR's file list from the API says whether IaC changed, and the
//! comment says that the full comparison needs `fetch-depth: 0`.

use super::CommentWhen;
use super::comment::{self, CommentOutcome, Target};
use super::event::PullRequest;
use crate::diff::{self, DiffReport, TreeError};
use crate::discover::{FileKind, file_kind};
use crate::github::{Client, GithubError};
use crate::iac::ScanOptions;
use crate::inventory::Inventory;
use crate::paths::under;
use crate::report::diff_markdown;
use crate::report::markdown::{GITHUB_BODY_LIMIT, MarkdownOptions, to_markdown};
use crate::scan::ScanReport;
use std::path::Path;

/// The sentence our comment is edited to when the PR no longer changes IaC (`comment-when: infra-changed`).
pub const NO_CHANGE_SENTENCE: &str = "No infrastructure changes in this pull request.";

/// The heading of the PR comment.
pub const COMMENT_TITLE: &str = "Azure engagement estimate";

/// What the pull request changes in the IaC, as far as it could be learned.
#[derive(Debug, Clone)]
pub enum PrChange {
    /// Both commits are in the clone: the full comparison.
    Diff(Box<DiffReport>),
    /// The base commit is not in the clone: the IaC files the API lists as changed (possibly none).
    FilesOnly(Vec<String>),
    /// Neither worked; the reason. Counted as a change, so a report is not withheld for want of a diff.
    Unknown(String),
}

impl PrChange {
    /// Whether any IaC file changed (unknown counts as changed).
    pub fn infra_changed(&self) -> bool {
        match self {
            PrChange::Diff(d) => !d.is_empty(),
            PrChange::FilesOnly(files) => !files.is_empty(),
            PrChange::Unknown(_) => true,
        }
    }

    /// The "what changed" section of the comment.
    pub fn section(&self) -> String {
        match self {
            PrChange::Diff(d) => diff_markdown::diff_section(d),
            PrChange::FilesOnly(files) => diff_markdown::files_only_section(files),
            PrChange::Unknown(why) => format!(
                "## What this pull request changes\n\nNot compared: {}.\n\n",
                crate::report::markdown::escape_md(why)
            ),
        }
    }

    /// The estimate at head minus the estimate at base (`+7`, `0`, `-3`), when both sides were scored.
    pub fn score_delta(&self) -> Option<String> {
        let PrChange::Diff(d) = self else {
            return None;
        };
        let delta = i64::from(d.score.head?) - i64::from(d.score.base?);
        Some(if delta == 0 {
            "0".to_string()
        } else {
            format!("{delta:+}")
        })
    }

    /// The repository-relative IaC files the pull request changes, when known.
    pub fn files_changed(&self) -> Option<&[String]> {
        match self {
            PrChange::Diff(d) => Some(&d.files_changed),
            PrChange::FilesOnly(files) => Some(files),
            PrChange::Unknown(_) => None,
        }
    }

    /// Whether the diff needs a deeper checkout (`fetch-depth: 0`).
    pub fn needs_full_history(&self) -> bool {
        matches!(self, PrChange::FilesOnly(_))
    }
}

/// Why the local comparison did not happen.
#[derive(Debug)]
pub enum LocalDiffError {
    /// The event does not name both commits.
    NoCommits,
    /// A commit is not in the clone (shallow checkout): ask the API instead.
    Missing(TreeError),
    /// The repository could not be read.
    Failed(TreeError),
}

/// The PR's IaC change under `path`, from git objects: `merge-base(base, head)` against `head`. Each side's
/// estimate comes from `score`.
pub fn local_diff(
    path: &Path,
    pr: &PullRequest,
    opts: &ScanOptions,
    score: &dyn Fn(&Inventory) -> Option<u32>,
) -> Result<DiffReport, LocalDiffError> {
    let (Some(base), Some(head)) = (pr.base_sha.as_deref(), pr.head_sha.as_deref()) else {
        return Err(LocalDiffError::NoCommits);
    };
    let from = merge_base(path, base, head).unwrap_or_else(|| base.to_string());
    match diff::inventories(path, &from, head, opts) {
        Ok(invs) => Ok(diff::compare(&invs, score)),
        Err(e @ TreeError::BadRevision { .. }) => Err(LocalDiffError::Missing(e)),
        Err(e) => Err(LocalDiffError::Failed(e)),
    }
}

/// The merge base of two commits (what `base...head` compares from), when both are in the clone.
fn merge_base(path: &Path, base: &str, head: &str) -> Option<String> {
    let repo = diff::tree::open(path).ok()?;
    let base_id =
        gix::ObjectId::from_hex(diff::tree::resolve(&repo, base).ok()?.as_bytes()).ok()?;
    let head_id =
        gix::ObjectId::from_hex(diff::tree::resolve(&repo, head).ok()?.as_bytes()).ok()?;
    repo.merge_base(base_id, head_id)
        .ok()
        .flatten()
        .map(|id| id.detach().to_string())
}

/// The IaC files PR `number` changes under `path_in_repo` (repository-relative, empty for all), from the
/// API's file list. `.json` files cannot be inspected here, so one counts when its name or place says ARM
/// (`azuredeploy*.json`, `*.parameters.json`, `template*.json`, or a directory named `arm`, `infra` or `deploy`).
pub async fn remote_iac_files(
    client: &Client,
    number: u64,
    path_in_repo: &str,
) -> Result<Vec<String>, GithubError> {
    let files = client.pull_request_files(number).await?;
    let mut changed: Vec<String> = files
        .into_iter()
        .flat_map(|f| [f.filename, f.previous_filename])
        .flatten()
        .filter(|name| under(name, path_in_repo) && looks_like_iac(name))
        .collect();
    changed.sort();
    changed.dedup();
    Ok(changed)
}

/// Whether a changed file's name says IaC (see [`remote_iac_files`] for `.json`).
pub fn looks_like_iac(path: &str) -> bool {
    match file_kind(Path::new(path)) {
        Some(FileKind::Terraform | FileKind::TerraformVars | FileKind::Bicep) => true,
        Some(FileKind::Json) => {
            let lower = path.to_ascii_lowercase();
            let name = lower.rsplit('/').next().unwrap_or(&lower);
            name.starts_with("azuredeploy")
                || name.starts_with("template")
                || name.ends_with(".parameters.json")
                || lower
                    .split('/')
                    .rev()
                    .skip(1)
                    .any(|dir| matches!(dir, "arm" | "infra" | "deploy" | "templates"))
        }
        None => false,
    }
}

/// The full comment body: `marker`, the change section, then the scan (without its own marker), at most
/// GitHub's body limit.
pub fn comment_body(marker: &str, change: &PrChange, scan: &ScanReport) -> String {
    let head = format!("{marker}\n{}", change.section());
    let rest = to_markdown(
        scan,
        &MarkdownOptions {
            title: COMMENT_TITLE.to_string(),
            marker: false,
            limit: GITHUB_BODY_LIMIT.saturating_sub(head.len()),
        },
    );
    format!("{head}{rest}")
}

/// The body our comment is edited to when the PR no longer changes IaC.
pub fn no_change_body(marker: &str) -> String {
    format!("{marker}\n{NO_CHANGE_SENTENCE}\n")
}

/// How a PR run writes its comment: the marker (with the `comment-key`), the behaviour and `comment-when`.
#[derive(Debug, Clone, Copy)]
pub struct CommentPlan<'a> {
    /// `<!-- azengage -->` or `<!-- azengage:KEY -->`.
    pub marker: &'a str,
    /// `comment-behavior`.
    pub behavior: super::CommentBehavior,
    /// `comment-when`.
    pub when: CommentWhen,
}

/// Post or refresh the comment for PR `pr` as the plan says: with an IaC change (or `always`) the full report
/// is written, creating a comment as the behaviour says; without one, only an existing comment of ours is
/// edited to [`NO_CHANGE_SENTENCE`].
pub async fn post(
    client: &Client,
    pr: &PullRequest,
    change: &PrChange,
    scan: &ScanReport,
    plan: CommentPlan<'_>,
) -> Result<CommentOutcome, GithubError> {
    let target = Target {
        number: pr.number,
        marker: plan.marker,
        behavior: plan.behavior,
    };
    if change.infra_changed() || plan.when == CommentWhen::Always {
        let body = comment_body(plan.marker, change, scan);
        comment::write(client, target, &body, true).await
    } else {
        comment::write(client, target, &no_change_body(plan.marker), false).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iac_names_from_the_file_list() {
        for yes in [
            "infra/main.tf",
            "infra/main.bicep",
            "env/prod.tfvars",
            "infra/main.parameters.json",
            "azuredeploy.json",
            "deploy/storage.json",
        ] {
            assert!(looks_like_iac(yes), "{yes}");
        }
        for no in [
            "package.json",
            "src/app.ts",
            "README.md",
            "web/tsconfig.json",
        ] {
            assert!(!looks_like_iac(no), "{no}");
        }
    }

    #[test]
    fn unknown_counts_as_changed_and_files_only_needs_history() {
        let unknown = PrChange::Unknown("no base commit in the event".into());
        assert!(unknown.infra_changed() && !unknown.needs_full_history());
        let none = PrChange::FilesOnly(vec![]);
        assert!(!none.infra_changed() && none.needs_full_history());
        assert_eq!(
            no_change_body("<!-- azengage:api -->"),
            "<!-- azengage:api -->\nNo infrastructure changes in this pull request.\n"
        );
    }
}
