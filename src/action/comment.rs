//! The sticky PR comment: find azengage's own comment among a pull request's comments, edit it in place or
//! create it, and resolve races between two runs so exactly one remains.
//!
//! "Ours" is decided from the comment alone (contract, "Which comment is ours"): its body starts with the
//! marker line and its author is a bot. The token's identity is never asked for (`GET /user` answers 403 for a
//! `GITHUB_TOKEN`), so another bot's comment is told apart by the marker, and a person quoting the marker by
//! the author type.

use super::CommentBehavior;
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

/// The result of [`write`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentOutcome {
    /// What was done.
    pub action: CommentAction,
    /// The comment that remains (its id), when there is one.
    pub id: Option<u64>,
    /// Its link on github.com.
    pub url: Option<String>,
    /// Comments of ours deleted: duplicates left by a concurrent run, or earlier ones (`delete-and-new`).
    pub duplicates_removed: usize,
    /// Earlier comments of ours minimized as outdated (`hide-and-new`).
    pub hidden: usize,
}

impl CommentOutcome {
    fn new(action: CommentAction, comment: Option<&Comment>) -> Self {
        CommentOutcome {
            action,
            id: comment.map(|c| c.id),
            url: comment.and_then(|c| c.html_url.clone()),
            duplicates_removed: 0,
            hidden: 0,
        }
    }
}

/// `comment` was written by azengage with `marker`: a bot's comment whose body starts with that marker line.
pub fn is_ours(comment: &Comment, marker: &str) -> bool {
    comment.by_bot()
        && comment
            .body
            .as_deref()
            .is_some_and(|b| starts_with_marker(b, marker))
}

/// The body's first line is exactly `marker` (a longer first line such as `<!-- azengage -->x`, or another
/// key's `<!-- azengage:api -->`, is not).
pub fn starts_with_marker(body: &str, marker: &str) -> bool {
    body.strip_prefix(marker)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('\n') || rest.starts_with("\r\n"))
}

/// Bodies equal up to line endings and trailing blanks (GitHub may store `\r\n`).
fn same_body(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.replace("\r\n", "\n").trim_end().to_string();
    norm(a) == norm(b)
}

/// Ours among `comments`, oldest (lowest id) first.
fn ours(comments: Vec<Comment>, marker: &str) -> Vec<Comment> {
    let mut mine: Vec<Comment> = comments
        .into_iter()
        .filter(|c| is_ours(c, marker))
        .collect();
    mine.sort_by_key(|c| c.id);
    mine
}

/// Where and how to write: the PR (or issue) number, the marker that makes a comment ours, the behaviour.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Issue or pull request number.
    pub number: u64,
    /// `<!-- azengage -->` or `<!-- azengage:KEY -->`; `body` starts with it.
    pub marker: &'a str,
    /// The `comment-behavior` input.
    pub behavior: CommentBehavior,
}

/// Write `body` as `target.behavior` says. `create` is false when there is nothing new to report (no IaC
/// change): then no comment is created, and an existing one of ours (the newest) is only edited.
pub async fn write(
    client: &Client,
    target: Target<'_>,
    body: &str,
    create: bool,
) -> Result<CommentOutcome, GithubError> {
    match target.behavior {
        CommentBehavior::Update => upsert(client, target, body, create).await,
        _ if !create => edit_newest(client, target, body).await,
        behavior => create_new(client, target, body, behavior).await,
    }
}

/// `new`, `hide-and-new`, `delete-and-new`: post `body`, then hide or delete every earlier comment of ours.
/// "Earlier" means a lower id, so two runs at once each leave the other's newer comment alone and the newest
/// survives (delete) or stays visible (hide).
async fn create_new(
    client: &Client,
    target: Target<'_>,
    body: &str,
    behavior: CommentBehavior,
) -> Result<CommentOutcome, GithubError> {
    let created = client.create_comment(target.number, body).await?;
    let mut outcome = CommentOutcome::new(CommentAction::Created, Some(&created));
    if behavior == CommentBehavior::New {
        return Ok(outcome);
    }
    let earlier: Vec<Comment> = ours(
        client.list_issue_comments(target.number).await?,
        target.marker,
    )
    .into_iter()
    .filter(|c| c.id < created.id)
    .collect();
    if behavior == CommentBehavior::DeleteAndNew {
        outcome.duplicates_removed = delete_all(client, &earlier).await?;
    } else {
        for c in &earlier {
            // A listing without node ids (an old GitHub Enterprise) leaves nothing to minimize.
            if let Some(node_id) = c.node_id.as_deref().filter(|id| !id.is_empty())
                && client.minimize_comment(node_id).await?
            {
                outcome.hidden += 1;
            }
        }
    }
    Ok(outcome)
}

/// No IaC change with `new`/`hide-and-new`/`delete-and-new`: edit our newest comment (the one people see) to
/// `body`; create nothing.
async fn edit_newest(
    client: &Client,
    target: Target<'_>,
    body: &str,
) -> Result<CommentOutcome, GithubError> {
    let mine = ours(
        client.list_issue_comments(target.number).await?,
        target.marker,
    );
    let Some(newest) = mine.last() else {
        return Ok(CommentOutcome::new(CommentAction::Skipped, None));
    };
    if newest.body.as_deref().is_some_and(|b| same_body(b, body)) {
        return Ok(CommentOutcome::new(CommentAction::Unchanged, Some(newest)));
    }
    client.update_comment(newest.id, body).await?;
    Ok(CommentOutcome::new(CommentAction::Updated, Some(newest)))
}

/// `update`: make our comment on issue/PR `number` say `body`. Our existing comment is edited (unless its body
/// is already `body`); without one, a comment is created only when `create` is true. After creating, the
/// comments are listed again: when a concurrent run created one too, the oldest is kept (edited to `body` if it
/// is not the one this run created) and the newer ones are deleted (a 404 there means the other run deleted it
/// first).
pub async fn upsert(
    client: &Client,
    target: Target<'_>,
    body: &str,
    create: bool,
) -> Result<CommentOutcome, GithubError> {
    let (number, marker) = (target.number, target.marker);
    let existing = ours(client.list_issue_comments(number).await?, marker);
    if let Some(oldest) = existing.first() {
        let action = if oldest.body.as_deref().is_some_and(|b| same_body(b, body)) {
            CommentAction::Unchanged
        } else {
            client.update_comment(oldest.id, body).await?;
            CommentAction::Updated
        };
        // Leftovers of an earlier race that ended before its clean-up.
        let mut outcome = CommentOutcome::new(action, Some(oldest));
        outcome.duplicates_removed =
            delete_all(client, existing.get(1..).unwrap_or_default()).await?;
        return Ok(outcome);
    }
    if !create {
        return Ok(CommentOutcome::new(CommentAction::Skipped, None));
    }
    let created = client.create_comment(number, body).await?;
    let after = ours(client.list_issue_comments(number).await?, marker);
    let Some(oldest) = after.first().filter(|c| c.id != created.id) else {
        // Ours is the only one (or the oldest): nothing to resolve beyond newer duplicates.
        let newer: Vec<Comment> = after.into_iter().filter(|c| c.id > created.id).collect();
        let mut outcome = CommentOutcome::new(CommentAction::Created, Some(&created));
        outcome.duplicates_removed = delete_all(client, &newer).await?;
        return Ok(outcome);
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
    let mut outcome = CommentOutcome::new(CommentAction::Updated, Some(oldest));
    outcome.duplicates_removed = delete_all(client, &newer).await?;
    Ok(outcome)
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
    use crate::action::MARKER;
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
            node_id: None,
        }
    }

    #[test]
    fn ours_needs_the_marker_first_and_a_bot_author() {
        let is_ours = |c: &Comment| is_ours(c, MARKER);
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
    fn a_key_makes_a_separate_marker() {
        let api = "<!-- azengage:api -->";
        let keyed = comment(1, "Bot", "<!-- azengage:api -->\n## Azure");
        let plain = comment(2, "Bot", "<!-- azengage -->\n## Azure");
        let other = comment(3, "Bot", "<!-- azengage:web -->\n## Azure");
        assert!(is_ours(&keyed, api) && !is_ours(&keyed, MARKER));
        assert!(is_ours(&plain, MARKER) && !is_ours(&plain, api));
        assert!(!is_ours(&other, api) && !is_ours(&other, MARKER));
        assert!(!starts_with_marker("<!-- azengage:api-v2 -->\n", api));
    }

    #[test]
    fn ours_sorted_oldest_first_and_bodies_compared_loosely() {
        let list = vec![
            comment(30, "Bot", "<!-- azengage -->\nb"),
            comment(10, "User", "<!-- azengage -->\na"),
            comment(20, "Bot", "<!-- azengage -->\nc"),
        ];
        let ids: Vec<u64> = ours(list, MARKER).iter().map(|c| c.id).collect();
        assert_eq!(ids, [20, 30]);
        assert!(same_body("a\r\nb\n", "a\nb"));
        assert!(!same_body("a\nb", "a\nc"));
    }
}
