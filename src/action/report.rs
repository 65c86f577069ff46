//! Scheduled runs (`schedule`, `workflow_dispatch`): the health-report issue, created once and then kept up to
//! date in place.
//!
//! Ours = an open issue carrying the `azengage` label, opened by a bot, whose body starts with the marker line.
//! A closed report is never reopened (closing it is how a team says "not now"; the next run opens a new one),
//! and a person's issue with the label but without the marker is never touched.

use super::LABEL;
use super::comment::starts_with_marker;
use crate::github::{Client, GithubError, Issue};
use crate::report::markdown::{GITHUB_BODY_LIMIT, MarkdownOptions, to_markdown};
use crate::scan::ScanReport;

/// Colour of the `azengage` label (Azure blue).
const LABEL_COLOR: &str = "0078d4";
/// Description of the `azengage` label.
const LABEL_DESCRIPTION: &str = "Azure engagement health report (azengage)";

/// What happened to the report issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IssueAction {
    /// A new issue was opened.
    Created,
    /// Our open issue was edited.
    Updated,
    /// Our open issue already had this body.
    Unchanged,
}

/// The result of [`upsert`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueOutcome {
    /// What was done.
    pub action: IssueAction,
    /// The issue number.
    pub number: u64,
    /// Its link on github.com.
    pub url: Option<String>,
}

/// `issue` was opened by azengage with `marker` and is still open.
pub fn is_ours(issue: &Issue, marker: &str) -> bool {
    issue.by_bot()
        && issue.has_label(LABEL)
        && issue.state.as_deref().is_none_or(|s| s == "open")
        && issue
            .body
            .as_deref()
            .is_some_and(|b| starts_with_marker(b, marker))
}

/// The issue body: `marker`, a reminder line when a review reminder is due, then the scan, within GitHub's
/// limit.
pub fn issue_body(marker: &str, scan: &ScanReport, title: &str) -> String {
    let mut head = format!("{marker}\n");
    if let Some(line) = reminder_line(scan) {
        head.push_str(&line);
    }
    let rest = to_markdown(
        scan,
        &MarkdownOptions {
            title: title.to_string(),
            marker: false,
            limit: GITHUB_BODY_LIMIT.saturating_sub(head.len()),
        },
    );
    format!("{head}{rest}")
}

/// `> **Reminder:** the engagement review is on 2027-04-17 (45 days left).` when a reminder threshold is reached.
fn reminder_line(scan: &ScanReport) -> Option<String> {
    let p = &scan.program;
    if p.reminders_due.is_empty() {
        return None;
    }
    let date = p.review_date?;
    let when = match p.days_to_review {
        Some(d) if d > 1 => format!("in {d} days"),
        Some(1) => "tomorrow".to_string(),
        Some(0) => "today".to_string(),
        Some(d) => format!("{} days ago", d.unsigned_abs()),
        None => String::new(),
    };
    let verb = if p.days_to_review.is_some_and(|d| d < 0) {
        "was"
    } else {
        "is"
    };
    Some(format!(
        "> **Reminder:** the engagement review {verb} on {date} ({when}). Work through the suggestions below \
         before then.\n\n"
    ))
}

/// Make the report issue say `body` (which starts with `marker`): edit the lowest-numbered open issue of ours,
/// or open one titled `title` with `labels` (the `azengage` label is created first when missing).
pub async fn upsert(
    client: &Client,
    marker: &str,
    title: &str,
    body: &str,
    labels: &[String],
) -> Result<IssueOutcome, GithubError> {
    let mut mine: Vec<Issue> = client
        .list_open_issues_with_label(LABEL)
        .await?
        .into_iter()
        .filter(|i| is_ours(i, marker))
        .collect();
    mine.sort_by_key(|i| i.number);
    if let Some(oldest) = mine.into_iter().next() {
        let unchanged = oldest
            .body
            .as_deref()
            .is_some_and(|b| b.replace("\r\n", "\n").trim_end() == body.trim_end());
        let action = if unchanged {
            IssueAction::Unchanged
        } else {
            client.update_issue_body(oldest.number, body).await?;
            IssueAction::Updated
        };
        return Ok(IssueOutcome {
            action,
            number: oldest.number,
            url: oldest.html_url,
        });
    }
    client
        .create_label(LABEL, LABEL_COLOR, LABEL_DESCRIPTION)
        .await?;
    let created = client.create_issue(title, body, labels).await?;
    Ok(IssueOutcome {
        action: IssueAction::Created,
        number: created.number,
        url: created.html_url,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::github::{Label, User};

    fn issue(number: u64, kind: &str, label: &str, body: &str) -> Issue {
        Issue {
            number,
            title: Some("Azure engagement health report".into()),
            body: Some(body.into()),
            state: Some("open".into()),
            user: Some(User {
                login: Some("github-actions[bot]".into()),
                kind: Some(kind.into()),
            }),
            labels: vec![Label {
                name: Some(label.into()),
            }],
            html_url: None,
            pull_request: None,
        }
    }

    #[test]
    fn ours_is_a_bot_issue_with_label_and_marker() {
        let is_ours = |i: &Issue| is_ours(i, crate::action::MARKER);
        assert!(is_ours(&issue(
            3,
            "Bot",
            "azengage",
            "<!-- azengage -->\n## R"
        )));
        assert!(!is_ours(&issue(
            4,
            "User",
            "azengage",
            "<!-- azengage -->\n## R"
        )));
        assert!(!is_ours(&issue(
            5,
            "Bot",
            "azengage",
            "Our own notes about azengage"
        )));
        assert!(!is_ours(&issue(6, "Bot", "infra", "<!-- azengage -->\n")));
        let closed = Issue {
            state: Some("closed".into()),
            ..issue(7, "Bot", "azengage", "<!-- azengage -->\n")
        };
        assert!(!is_ours(&closed));
    }
}
