//! The one GraphQL call azengage makes: `minimizeComment`, which hides an earlier comment as outdated
//! (`comment-behavior: hide-and-new`; REST has no such operation).
//!
//! GraphQL answers 200 also when the operation failed and lists the failure in `errors` with a `type`:
//! `FORBIDDEN` (the token may not) is a permission refusal like a REST 403, `NOT_FOUND` means the comment is
//! gone (another run deleted it: not an error), anything else is a failure. HTTP statuses (401, 5xx, rate
//! limits) go through the same retries and checks as REST.

use super::{Client, GithubError};
use http::Method;
use serde_json::{Value, json};

/// The `type` of one GraphQL error (`FORBIDDEN`, `NOT_FOUND`, ...).
fn kind(error: &Value) -> &str {
    error.get("type").and_then(Value::as_str).unwrap_or("")
}

impl Client {
    /// Minimize (hide) the comment with GraphQL node id `node_id` as `OUTDATED`. `Ok(true)` when hidden,
    /// `Ok(false)` when the comment no longer exists.
    pub async fn minimize_comment(&self, node_id: &str) -> Result<bool, GithubError> {
        // The id is written into the document as a JSON string literal (GraphQL strings share its escapes).
        let id = Value::String(node_id.to_string()).to_string();
        let query = format!(
            "mutation {{ minimizeComment(input: {{subjectId: {id}, classifier: OUTDATED}}) \
             {{ minimizedComment {{ isMinimized }} }} }}"
        );
        let url = self.graphql_url.clone();
        let body = json!({ "query": query }).to_string();
        let reply = self.send(Method::POST, &url, Some(&body)).await?;
        let answer: Value = self.decode(&Method::POST, &url, &reply.body)?;
        let Some(errors) = answer
            .get("errors")
            .and_then(Value::as_array)
            .filter(|e| !e.is_empty())
        else {
            return Ok(true);
        };
        let message = errors
            .iter()
            .filter_map(|e| e.get("message").and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join("; ");
        let method = "POST".to_string();
        let path = self.path_of(&url);
        if errors.iter().all(|e| kind(e) == "NOT_FOUND") {
            return Ok(false);
        }
        if errors.iter().any(|e| kind(e) == "FORBIDDEN") {
            return Err(GithubError::Permission {
                method,
                path,
                status: 403,
            });
        }
        Err(GithubError::Api {
            method,
            path,
            status: reply.status,
            message: format!("minimizeComment failed: {}", self.scrubbed(message)),
        })
    }
}
