//! The few fields azengage reads from GitHub's answers. Every field is optional or defaulted: real answers carry
//! dozens of fields, nulls (a deleted user is `null`), and shapes differ between github.com and Enterprise.

use serde::Deserialize;

/// The author of a comment or issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct User {
    /// Login, e.g. `github-actions[bot]`.
    pub login: Option<String>,
    /// `User`, `Bot` or `Organization`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl User {
    /// `type == "Bot"` (how the contract recognises azengage's own comments and issues).
    pub fn is_bot(&self) -> bool {
        self.kind.as_deref() == Some("Bot")
    }
}

/// An issue or pull-request comment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Comment {
    /// Comment id (0 when missing).
    #[serde(deserialize_with = "null_as_default")]
    pub id: u64,
    /// Markdown body.
    pub body: Option<String>,
    /// Author; `None` for a deleted account.
    pub user: Option<User>,
    /// Link to the comment on github.com.
    pub html_url: Option<String>,
    /// Creation time, RFC 3339.
    pub created_at: Option<String>,
    /// GraphQL node id (what `minimizeComment` takes).
    pub node_id: Option<String>,
}

impl Comment {
    /// Written by a bot account.
    pub fn by_bot(&self) -> bool {
        self.user.as_ref().is_some_and(User::is_bot)
    }
}

/// A label on an issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Label {
    /// Label name.
    pub name: Option<String>,
}

/// An issue (the issues listing also returns pull requests; those are filtered out before they reach callers).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Issue {
    /// Issue number (0 when missing).
    #[serde(deserialize_with = "null_as_default")]
    pub number: u64,
    /// Title.
    pub title: Option<String>,
    /// Markdown body.
    pub body: Option<String>,
    /// `open` or `closed`.
    pub state: Option<String>,
    /// Author.
    pub user: Option<User>,
    /// Labels.
    #[serde(deserialize_with = "null_as_default")]
    pub labels: Vec<Label>,
    /// Link to the issue on github.com.
    pub html_url: Option<String>,
    /// Present (an object) only when the item is a pull request.
    pub pull_request: Option<serde_json::Value>,
}

impl Issue {
    /// Carries the label `name`.
    pub fn has_label(&self, name: &str) -> bool {
        self.labels
            .iter()
            .any(|label| label.name.as_deref() == Some(name))
    }

    /// Opened by a bot account.
    pub fn by_bot(&self) -> bool {
        self.user.as_ref().is_some_and(User::is_bot)
    }
}

/// One file of a pull request's diff (`GET /repos/{o}/{r}/pulls/{n}/files`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PullFile {
    /// Path after the change.
    pub filename: Option<String>,
    /// `added`, `removed`, `modified`, `renamed`, `copied`, `changed`, `unchanged`.
    pub status: Option<String>,
    /// Path before a rename.
    pub previous_filename: Option<String>,
}

/// The parts of a pull request (`GET /repos/{o}/{r}/pulls/{n}`) a `pr-number` run needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PullRequestInfo {
    /// PR number.
    #[serde(deserialize_with = "null_as_default")]
    pub number: u64,
    /// Title.
    pub title: Option<String>,
    /// A draft pull request.
    #[serde(deserialize_with = "null_as_default")]
    pub draft: bool,
    /// The base branch end.
    pub base: Option<PullRequestEnd>,
    /// The head branch end.
    pub head: Option<PullRequestEnd>,
}

/// One end of a pull request.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct PullRequestEnd {
    /// Commit sha.
    pub sha: Option<String>,
    /// The repository (`None` when a fork was deleted).
    pub repo: Option<RepoName>,
}

/// A repository's name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct RepoName {
    /// `owner/name`.
    pub full_name: Option<String>,
}

/// One workflow run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct WorkflowRun {
    /// Run id.
    #[serde(deserialize_with = "null_as_default")]
    pub id: u64,
    /// `completed`, `in_progress`, ...
    pub status: Option<String>,
    /// `success`, `failure`, ... (set once completed).
    pub conclusion: Option<String>,
    /// When the run was created, RFC 3339.
    pub created_at: Option<String>,
    /// When the run started (reruns start later than they were created), RFC 3339.
    pub run_started_at: Option<String>,
    /// Branch the run ran on.
    pub head_branch: Option<String>,
}

/// One deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct Deployment {
    /// Deployment id.
    #[serde(deserialize_with = "null_as_default")]
    pub id: u64,
    /// Target environment, e.g. `production`.
    pub environment: Option<String>,
    /// When it was created, RFC 3339.
    pub created_at: Option<String>,
}

/// One status of a deployment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DeploymentStatus {
    /// `success`, `failure`, `in_progress`, `queued`, `pending`, `error`, `inactive`.
    pub state: Option<String>,
    /// When the status was set, RFC 3339.
    pub created_at: Option<String>,
    /// Link to the logs (for Actions: the job of the run that deployed).
    pub log_url: Option<String>,
    /// Older name of `log_url`.
    pub target_url: Option<String>,
}

/// A `null` where a number or list is expected counts as its default.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_real_comment_and_a_ghost_author() -> Result<(), serde_json::Error> {
        let json = r#"{
          "url": "https://api.github.com/repos/octo/app/issues/comments/1897153331",
          "html_url": "https://github.com/octo/app/pull/7#issuecomment-1897153331",
          "issue_url": "https://api.github.com/repos/octo/app/issues/7",
          "id": 1897153331, "node_id": "IC_kwDOK8",
          "user": {"login": "github-actions[bot]", "id": 41898282, "type": "Bot", "site_admin": false},
          "created_at": "2026-01-17T09:12:44Z", "updated_at": "2026-01-17T09:12:44Z",
          "author_association": "NONE", "body": "<!-- azengage -->\n## Azure engagement",
          "reactions": {"total_count": 0}, "performed_via_github_app": null
        }"#;
        let comment: Comment = serde_json::from_str(json)?;
        assert_eq!(comment.id, 1897153331);
        assert!(comment.by_bot());
        let ghost: Comment = serde_json::from_str(r#"{"id": 5, "user": null, "body": null}"#)?;
        assert!(!ghost.by_bot());
        assert_eq!(ghost.body, None);
        Ok(())
    }

    #[test]
    fn issue_labels_and_pull_request_marker() -> Result<(), serde_json::Error> {
        let json = r#"{"number": 12, "title": "Azure engagement report", "state": "open",
            "labels": [{"id": 1, "name": "azengage", "color": "0e8a16", "default": false}],
            "user": {"login": "github-actions[bot]", "type": "Bot"},
            "pull_request": {"url": "https://api.github.com/repos/o/r/pulls/12", "merged_at": null}}"#;
        let issue: Issue = serde_json::from_str(json)?;
        assert!(issue.has_label("azengage") && !issue.has_label("bug"));
        assert!(issue.pull_request.is_some() && issue.by_bot());
        let bare: Issue = serde_json::from_str(r#"{"number": null, "labels": null}"#)?;
        assert_eq!((bare.number, bare.labels.len()), (0, 0));
        Ok(())
    }
}
