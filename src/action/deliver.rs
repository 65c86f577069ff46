//! The API half of a run: by mode, the PR comment or the report issue, and how each outcome maps onto a
//! [`Delivery`]. Async on the one client; everything here is a function of the scan, the event and the inputs,
//! so tests drive it against a mock server.

use super::event::{Event, PullRequest};
use super::inputs::{ActionEnv, Mode};
use super::pr::{self, PrChange};
use super::report;
use super::summary::Delivery;
use crate::github::{Client, GithubError};
use crate::scan::ScanReport;

/// Send the result of the scan where the mode says. `client` is `None` without a token or repository
/// (`no_client` says why): then nothing is sent.
pub async fn deliver(
    env: &ActionEnv,
    mode: Mode,
    pr: Option<&PullRequest>,
    change: Option<&PrChange>,
    scan: &ScanReport,
    client: Option<&Client>,
    no_client: &str,
) -> Delivery {
    match mode {
        Mode::Scan | Mode::Auto => {
            Delivery::NotAttempted("mode `scan` writes no comment or issue".into())
        }
        Mode::Pr if !env.comment => Delivery::NotAttempted("the `comment` input is off".into()),
        Mode::Pr => {
            let Some(pr) = pr.filter(|p| p.number > 0) else {
                return Delivery::NotAttempted(
                    "the event is not a pull request (no pull request number in the payload; a \
                     `workflow_run` job passes `pr-number`)"
                        .into(),
                );
            };
            if env.skip_draft && pr.draft {
                return Delivery::NotAttempted(
                    "the pull request is a draft and `skip-draft` is on".into(),
                );
            }
            let Some(client) = client else {
                return Delivery::NotAttempted(no_client.to_string());
            };
            let unknown = PrChange::Unknown("the change could not be read".into());
            let change = change.unwrap_or(&unknown);
            let marker = env.marker();
            let plan = pr::CommentPlan {
                marker: &marker,
                behavior: env.comment_behavior,
                when: env.comment_when,
            };
            classify(
                pr::post(client, pr, change, scan, plan).await,
                "comment",
                Delivery::Comment,
            )
        }
        Mode::Report => {
            let Some(client) = client else {
                return Delivery::NotAttempted(no_client.to_string());
            };
            let marker = env.marker();
            let body = report::issue_body(&marker, scan, &env.report_title);
            classify(
                report::upsert(
                    client,
                    &marker,
                    &env.report_title,
                    &body,
                    &env.report_labels,
                )
                .await,
                "report issue",
                Delivery::Issue,
            )
        }
    }
}

/// A permission error is a refused write of `target` (exit 0); any other error, a rejected token (401)
/// included, a failed run (exit 4).
fn classify<T>(
    result: Result<T, GithubError>,
    target: &'static str,
    ok: fn(T) -> Delivery,
) -> Delivery {
    match result {
        Ok(value) => ok(value),
        Err(error) if error.is_permission() => Delivery::Refused { target, error },
        Err(e) => Delivery::Failed(e),
    }
}

/// The PR's IaC change: from the local clone, else (base commit missing) from the API's file list, which
/// costs one request per 100 files. A refused file listing leaves the change unknown; another API failure is
/// returned (exit 4).
pub async fn pr_change(
    local: Result<crate::diff::DiffReport, pr::LocalDiffError>,
    pr: &PullRequest,
    client: Option<&Client>,
    path_in_repo: &str,
) -> Result<PrChange, GithubError> {
    let why = match local {
        Ok(diff) => return Ok(PrChange::Diff(Box::new(diff))),
        Err(pr::LocalDiffError::NoCommits) => {
            "the event names no base and head commits".to_string()
        }
        Err(pr::LocalDiffError::Failed(e @ crate::diff::TreeError::Scratch(_))) => {
            format!("the two revisions could not be laid out: {e}")
        }
        Err(pr::LocalDiffError::Failed(e)) => format!("the repository could not be read: {e}"),
        Err(pr::LocalDiffError::Missing(e)) => {
            let Some(client) = client.filter(|_| pr.number > 0) else {
                return Ok(PrChange::Unknown(format!(
                    "the base commit is not in this checkout ({e}); check out with `fetch-depth: 0`"
                )));
            };
            return match pr::remote_iac_files(client, pr.number, path_in_repo).await {
                Ok(files) => Ok(PrChange::FilesOnly(files)),
                Err(e) if e.is_permission() => Ok(PrChange::Unknown(format!(
                    "the base commit is not in this checkout and the file list was refused ({e})"
                ))),
                Err(e) => Err(e),
            };
        }
    };
    Ok(PrChange::Unknown(why))
}

/// The pull request of a PR run. Without `pr-number`, the event's (a `pull_request` payload, or the first of a
/// `workflow_run`'s `pull_requests`). With it, the event's when the numbers agree, else GitHub's answer to
/// `GET /pulls/N` (commits, title, draft state: one request). When the token may not read it, or there is no
/// token, the run goes on with the number alone (a note says why the change is unknown); a rejected token or a
/// failing API ends API work (exit 4).
pub async fn resolve_pr(
    env: &ActionEnv,
    event: &Event,
    client: Option<&Client>,
    notes: &mut Vec<String>,
) -> Result<Option<PullRequest>, GithubError> {
    let from_event = event.pull_request.clone();
    let Some(number) = env.pr_number else {
        return Ok(from_event);
    };
    if let Some(pr) = from_event.filter(|p| p.number == number && p.head_sha.is_some()) {
        return Ok(Some(pr));
    }
    let bare = PullRequest {
        number,
        ..PullRequest::default()
    };
    let Some(client) = client else {
        return Ok(Some(bare));
    };
    match client.pull_request(number).await {
        Ok(info) => {
            let sha = |end: &Option<crate::github::PullRequestEnd>| {
                end.as_ref().and_then(|e| e.sha.clone())
            };
            let repo = |end: &Option<crate::github::PullRequestEnd>| {
                end.as_ref()
                    .and_then(|e| e.repo.as_ref())
                    .and_then(|r| r.full_name.clone())
            };
            Ok(Some(PullRequest {
                number,
                title: info.title.clone().unwrap_or_default(),
                base_sha: sha(&info.base),
                head_sha: sha(&info.head),
                head_repo: repo(&info.head),
                base_repo: repo(&info.base),
                draft: info.draft,
            }))
        }
        Err(e) if e.is_permission() => {
            notes.push(format!(
                "pull request #{number} could not be read ({e}); its change is unknown"
            ));
            Ok(Some(bare))
        }
        Err(e) => Err(e),
    }
}
