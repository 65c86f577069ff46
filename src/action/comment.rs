//! The sticky PR comment: find azengage's own comment among a pull request's comments, edit it in place or
//! create it, and resolve races between two runs so exactly one remains.
//!
//! "Ours" is decided from the comment alone (contract, "Which comment is ours"): its body starts with the
//! marker line and its author is a bot. The token's identity is never asked for (`GET /user` answers 403 for a
//! `GITHUB_TOKEN`), so another bot's comment is told apart by the marker, and a person quoting the marker by
//! the author type.

use super::MARKER;
use crate::github::{Client, Comment, GithubError};

/// What happened to the comment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentAction {
    /// A new comment was posted.
    Created,
    /// Our existing comment was edited.
    Updated,
    /// Our existing comment already had this body: nothing sent.
    Unchanged,
    /// No comment of ours exists and none was wanted.
    Skipped,
}

/// The result of [`upsert`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentOutcome {
    /// What was done.
    pub action: CommentAction,
    /// The comment that remains (its id), when there is one.
    pub id: Option<u64>,
    /// Its link on github.com.
    pub url: Option<String>,
    /// Duplicates of ours deleted (left by a concurrent run).
    pub duplicates_removed: usize,
}

/// `comment` was written by azengage: a bot's comment whose body starts with the marker line.
pub fn is_ours(comment: &Comment) -> bool {
    comment.by_bot() && comment.body.as_deref().is_some_and(starts_with_marker)
}

/// The body's first line is exactly the marker (a longer first line such as `<!-- azengage -->x` is not).
pub fn starts_with_marker(body: &str) -> bool {
    body.strip_prefix(MARKER)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// Bodies equal up to line endings and trailing blanks (GitHub may store `\r\n`).
fn same_body(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    norm(a) == norm(b)
}

/// Ours among `comments`, oldest (lowest id) first.
fn ours(comments: Vec<Comment>) -> Vec<Comment> {
    let mut mine: Vec<Comment> = comments.into_iter().filter(is_ours).collect();
    mine.sort_by_key(|c| c.id);
    mine
}

/// Make our comment on issue/PR `number` say `body`. Our existing comment is edited (unless its body is already
/// `body`); without one, a comment is created only when `create` is true. After creating, the comments are
/// listed again: when a concurrent run created one too, the oldest is kept (edited to `body` if it is not the
/// one this run created) and the newer ones are deleted (a 404 there means the other run deleted it first).
pub async fn upsert(
    client: &Client,
    number: u64,
    body: &str,
    create: bool,
) -> Result<CommentOutcome, GithubError> {
    let existing = ours(client.list_issue_comments(number).await?);
    if let Some(oldest) = existing.first() {
        let action = if oldest.body.as_deref().is_some_and(|b| same_body(b, body)) {
            CommentAction::Unchanged
        } else {
            client.update_comment(oldest.id, body).await?;
            CommentAction::Updated
        };
        // Leftovers of an earlier race that ended before its clean-up.
        let duplicates_removed = delete_all(client, existing.get(1..).unwrap_or_default()).await?;
        return Ok(CommentOutcome {
            action,
            id: Some(oldest.id),
            url: oldest.html_url.clone(),
            duplicates_removed,
        });
    }
    if !create {
        return Ok(CommentOutcome {
            action: CommentAction::Skipped,
            id: None,
            url: None,
            duplicates_removed: 0,
        });
    }
    let created = client.create_comment(number, body).await?;
    let after = ours(client.list_issue_comments(number).await?);
    let Some(oldest) = after.first().filter(|c| c.id != created.id) else {
        // Ours is the only one (or the oldest): nothing to resolve beyond newer duplicates.
        let newer: Vec<Comment> = after.into_iter().filter(|c| c.id > created.id).collect();
        let duplicates_removed = delete_all(client, &newer).await?;
        return Ok(CommentOutcome {
            action: CommentAction::Created,
            id: Some(created.id),
            url: created.html_url,
            duplicates_removed,
        });
    };
    // Another run got there first: its comment is the one to keep.
    if !oldest.body.as_deref().is_some_and(|b| same_body(b, body)) {
        client.update_comment(oldest.id, body).await?;
    }
    let mut newer: Vec<Comment> = after.get(1..).unwrap_or_default().to_vec();
    if !newer.iter().any(|c| c.id == created.id) {
        // The listing may lag behind our own create: ours must go all the same.
        newer.push(created);
    }
    let duplicates_removed = delete_all(client, &newer).await?;
    Ok(CommentOutcome {
        action: CommentAction::Updated,
        id: Some(oldest.id),
        url: oldest.html_url.clone(),
        duplicates_removed,
    })
}

/// Delete each comment; one already gone (404) is not counted and not an error.
async fn delete_all(client: &Client, comments: &[Comment]) -> Result<usize, GithubError> {
    let mut deleted = 0;
    for c in comments {
        if client.delete_comment(c.id).await? {
            deleted += 1;
        }
    }
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::User;

    fn comment(id: u64, kind: &str, body: &str) -> Comment {
        Comment {
            id,
            body: Some(body.into()),
            user: Some(User {
                login: Some("someone".into()),
                kind: Some(kind.into()),
            }),
            html_url: None,
            created_at: None,
        }
    }

    #[test]
    fn ours_needs_the_marker_first_and_a_bot_author() {
        assert!(is_ours(&comment(1, "Bot", "<!-- azengage -->\n## Azure")));
        assert!(is_ours(&comment(1, "Bot", "<!-- azengage -->\r\nx")));
        assert!(!is_ours(&comment(2, "User", "<!-- azengage -->\n## Azure")));
        assert!(!is_ours(&comment(
            3,
            "User",
            "> <!-- azengage -->\nquoting the bot"
        )));
        assert!(!is_ours(&comment(
            4,
            "Bot",
            "## Terraform plan\n<!-- azengage -->"
        )));
        assert!(!is_ours(&comment(5, "Bot", "<!-- azengage -->-extra")));
        let ghost = Comment {
            user: None,
            ..comment(6, "Bot", "<!-- azengage -->\n")
        };
        assert!(!is_ours(&ghost));
    }

    #[test]
    fn ours_sorted_oldest_first_and_bodies_compared_loosely() {
        let list = vec![
            comment(30, "Bot", "<!-- azengage -->\nb"),
            comment(10, "User", "<!-- azengage -->\na"),
            comment(20, "Bot", "<!-- azengage -->\nc"),
        ];
        let ids: Vec<u64> = ours(list).iter().map(|c| c.id).collect();
        assert_eq!(ids, [20, 30]);
        assert!(same_body("a\r\nb\n", "a\nb"));
        assert!(!same_body("a\nb", "a\nc"));
    }
}
