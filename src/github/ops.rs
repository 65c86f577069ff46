//! The REST operations the action needs: PR comments, the report issue and its label, and a PR's files.
//!
//! Each is one request (listings: one per page). They return what GitHub said; the decisions (which comment is
//! ours, what to do on a race) belong to the action.

use super::types::{Comment, Issue, PullFile, PullRequestInfo};
use super::{Client, GithubError, encode};
use http::Method;
use serde_json::json;

impl Client {
    /// Every comment on issue or pull request `number` (all pages, oldest first).
    pub async fn list_issue_comments(&self, number: u64) -> Result<Vec<Comment>, GithubError> {
        self.get_all(
            &self.repo_path(&format!("/issues/{number}/comments")),
            None,
            |_: &Comment| false,
        )
        .await
    }

    /// Posts a comment on issue or pull request `number`.
    pub async fn create_comment(&self, number: u64, body: &str) -> Result<Comment, GithubError> {
        let url = self.repo_url(&format!("/issues/{number}/comments"));
        self.send_json(Method::POST, &url, &json!({ "body": body }))
            .await
    }

    /// Replaces the body of comment `comment_id`.
    pub async fn update_comment(
        &self,
        comment_id: u64,
        body: &str,
    ) -> Result<Comment, GithubError> {
        let url = self.repo_url(&format!("/issues/comments/{comment_id}"));
        self.send_json(Method::PATCH, &url, &json!({ "body": body }))
            .await
    }

    /// Deletes comment `comment_id`: `Ok(true)` when deleted, `Ok(false)` when it was already gone (404: another
    /// run deleted it first, which the contract says is not an error).
    pub async fn delete_comment(&self, comment_id: u64) -> Result<bool, GithubError> {
        let url = self.repo_url(&format!("/issues/comments/{comment_id}"));
        let reply = self.execute(&Method::DELETE, &url, None).await?;
        if reply.status == 404 {
            return Ok(false);
        }
        self.check(&Method::DELETE, &url, reply).map(|_| true)
    }

    /// Open issues carrying `label` (all pages, lowest number last as GitHub sorts newest first); pull requests,
    /// which the issues listing also returns, are left out.
    pub async fn list_open_issues_with_label(
        &self,
        label: &str,
    ) -> Result<Vec<Issue>, GithubError> {
        let path = self.repo_path(&format!("/issues?state=open&labels={}", encode(label)));
        let issues = self.get_all(&path, None, |_: &Issue| false).await?;
        Ok(issues
            .into_iter()
            .filter(|issue| issue.pull_request.is_none())
            .collect())
    }

    /// Opens an issue with `labels` (naming a missing label in `labels` creates it, given push access).
    pub async fn create_issue(
        &self,
        title: &str,
        body: &str,
        labels: &[String],
    ) -> Result<Issue, GithubError> {
        let url = self.repo_url("/issues");
        self.send_json(
            Method::POST,
            &url,
            &json!({ "title": title, "body": body, "labels": labels }),
        )
        .await
    }

    /// Replaces the body of issue `number`.
    pub async fn update_issue_body(&self, number: u64, body: &str) -> Result<Issue, GithubError> {
        let url = self.repo_url(&format!("/issues/{number}"));
        self.send_json(Method::PATCH, &url, &json!({ "body": body }))
            .await
    }

    /// Creates label `name` (`color`: six hex digits, no `#`). `Ok(true)` when created, `Ok(false)` when it
    /// already existed (422 `already_exists`).
    pub async fn create_label(
        &self,
        name: &str,
        color: &str,
        description: &str,
    ) -> Result<bool, GithubError> {
        let url = self.repo_url("/labels");
        let body = json!({ "name": name, "color": color, "description": description }).to_string();
        let reply = self.execute(&Method::POST, &url, Some(&body)).await?;
        if reply.status == 422 && reply.body.contains("already_exists") {
            return Ok(false);
        }
        self.check(&Method::POST, &url, reply).map(|_| true)
    }

    /// Pull request `number` (for a `pr-number` run: its commits, title and draft state).
    pub async fn pull_request(&self, number: u64) -> Result<PullRequestInfo, GithubError> {
        let url = self.repo_url(&format!("/pulls/{number}"));
        let reply = self.send(Method::GET, &url, None).await?;
        self.decode(&Method::GET, &url, &reply.body)
    }

    /// The files a pull request changes (all pages; GitHub lists at most 3000).
    pub async fn pull_request_files(&self, number: u64) -> Result<Vec<PullFile>, GithubError> {
        self.get_all(
            &self.repo_path(&format!("/pulls/{number}/files")),
            None,
            |_: &PullFile| false,
        )
        .await
    }
}
