//! The event payload, parsed tolerantly: only the fields azengage uses, every one optional. Real payloads carry
//! hundreds of fields and nulls, and `schedule` events are just `{"schedule": "..."}`.

use serde_json::Value;
use std::path::{Path, PathBuf};

/// What azengage needs from a pull request event.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PullRequest {
    /// PR number.
    pub number: u64,
    /// PR title (repository text: escape before rendering).
    pub title: String,
    /// Base commit sha.
    pub base_sha: Option<String>,
    /// Head commit sha.
    pub head_sha: Option<String>,
    /// `owner/name` of the head repository.
    pub head_repo: Option<String>,
    /// `owner/name` of the base repository.
    pub base_repo: Option<String>,
    /// A draft pull request.
    pub draft: bool,
}

impl PullRequest {
    /// The PR comes from a fork (its token is read-only on `pull_request`).
    pub fn from_fork(&self) -> bool {
        matches!((&self.head_repo, &self.base_repo), (Some(h), Some(b)) if h != b)
    }
}

/// The parts of the event payload azengage reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Event {
    /// Present for `pull_request` / `pull_request_target`.
    pub pull_request: Option<PullRequest>,
    /// `repository.full_name`.
    pub repository: Option<String>,
    /// `repository.default_branch`.
    pub default_branch: Option<String>,
}

/// Why the event payload could not be read (the action goes on with an empty event).
#[derive(Debug, thiserror::Error)]
pub enum EventError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The payload file (`GITHUB_EVENT_PATH`).
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is not JSON.
    #[error("{} is not JSON: {source}", path.display())]
    NotJson {
        /// The payload file (`GITHUB_EVENT_PATH`).
        path: PathBuf,
        /// What the JSON reader said.
        source: serde_json::Error,
    },
}

/// Read the payload file; a missing or unreadable file gives an empty event (the action still writes its
/// summary), with the reason.
pub fn load(path: Option<&Path>) -> Result<Event, EventError> {
    let Some(path) = path else {
        return Ok(Event::default());
    };
    let text = std::fs::read_to_string(path).map_err(|source| EventError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let value: Value = serde_json::from_str(&text).map_err(|source| EventError::NotJson {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(parse(&value))
}

/// Pick the fields out of a payload value.
pub fn parse(v: &Value) -> Event {
    let s = |v: &Value, ptr: &str| v.pointer(ptr).and_then(Value::as_str).map(str::to_string);
    let pull_request = v
        .get("pull_request")
        .filter(|p| p.is_object())
        .map(|p| PullRequest {
            number: p
                .get("number")
                .and_then(Value::as_u64)
                .or_else(|| v.get("number").and_then(Value::as_u64))
                .unwrap_or(0),
            title: s(p, "/title").unwrap_or_default(),
            base_sha: s(p, "/base/sha"),
            head_sha: s(p, "/head/sha"),
            head_repo: s(p, "/head/repo/full_name"),
            base_repo: s(p, "/base/repo/full_name"),
            draft: p.get("draft").and_then(Value::as_bool).unwrap_or(false),
        })
        .or_else(|| workflow_run_pull_request(v));
    Event {
        pull_request,
        repository: s(v, "/repository/full_name"),
        default_branch: s(v, "/repository/default_branch"),
    }
}

/// A `workflow_run` event's pull request: the first of `workflow_run.pull_requests` (GitHub fills it only for
/// pull requests from branches of the same repository; a fork's run needs the `pr-number` input). Its entries
/// carry the number and both commits, but no title or draft state.
fn workflow_run_pull_request(v: &Value) -> Option<PullRequest> {
    let run = v.get("workflow_run").filter(|r| r.is_object())?;
    let first = run.pointer("/pull_requests/0")?;
    let s = |ptr: &str| {
        first
            .pointer(ptr)
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    Some(PullRequest {
        number: first.get("number").and_then(Value::as_u64)?,
        title: String::new(),
        base_sha: s("/base/sha"),
        head_sha: s("/head/sha").or_else(|| {
            run.get("head_sha")
                .and_then(Value::as_str)
                .map(str::to_string)
        }),
        head_repo: None,
        base_repo: None,
        draft: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_payload_is_tolerated() {
        let e = parse(&serde_json::json!({"schedule": "17 6 * * 1"}));
        assert_eq!(e, Event::default());
    }

    #[test]
    fn fork_pull_request() {
        let e = parse(&serde_json::json!({
            "action": "opened", "number": 7,
            "pull_request": {"number": 7, "title": "Add <b>redis</b>", "user": null,
                "base": {"sha": "aaa", "repo": {"full_name": "contoso/app"}},
                "head": {"sha": "bbb", "repo": {"full_name": "mallory/app"}}},
            "repository": {"full_name": "contoso/app", "default_branch": "main"}
        }));
        let pr = e.pull_request.unwrap();
        assert_eq!(
            (pr.number, pr.base_sha.as_deref(), pr.head_sha.as_deref()),
            (7, Some("aaa"), Some("bbb"))
        );
        assert!(pr.from_fork());
        assert_eq!(e.default_branch.as_deref(), Some("main"));
    }
}
