//! What every run leaves behind, whatever happened with the API: the job summary, the step outputs and the
//! annotations. Built from the scan and from a [`Delivery`] saying what became of the comment or issue.

use super::comment::{CommentAction, CommentOutcome};
use super::report::{IssueAction, IssueOutcome};
use super::sinks::{AnnotationLevel, annotation};
use crate::assess::RuleSeverity;
use crate::github::GithubError;
use crate::report::markdown::{
    MAX_CELL_CHARS, MAX_PROSE_CHARS, MarkdownOptions, clip, code_span, escape_md, to_markdown,
};
use crate::scan::ScanReport;

/// Annotations printed at most (GitHub shows only the first few of each level per step anyway).
pub const MAX_ANNOTATIONS: usize = 50;

/// What became of the PR comment or the report issue.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    /// The PR comment was written, edited, left as it was, or not needed.
    Comment(CommentOutcome),
    /// The report issue was opened or edited.
    Issue(IssueOutcome),
    /// Nothing was sent, on purpose; why, as Markdown (`comment: off`, no token, `mode: scan`): text from
    /// elsewhere (a config error, a URL) is escaped where it is put in ([`Delivery::not_attempted`]).
    NotAttempted(String),
    /// A write was refused (403/404): a fork's or a read-only token. Not a failure of the run.
    Refused {
        /// What could not be written: `comment` or `report issue`.
        target: &'static str,
        /// GitHub's answer.
        error: GithubError,
    },
    /// The API failed after retries (exit 4).
    Failed(GithubError),
}

impl Delivery {
    /// [`Delivery::NotAttempted`] for a reason that quotes text from elsewhere (a config error quoting the
    /// file, an input value): escaped, so a `<img>` in a config value stays text in the job summary.
    pub fn not_attempted(prefix: &str, quoted: &str) -> Delivery {
        Delivery::NotAttempted(format!(
            "{prefix}{}",
            escape_md(&clip(quoted, MAX_PROSE_CHARS))
        ))
    }

    /// The id of the PR comment that holds the report now (created, edited or already up to date).
    pub fn comment_id(&self) -> Option<u64> {
        match self {
            Delivery::Comment(c) if c.action != CommentAction::Skipped => c.id,
            _ => None,
        }
    }

    /// The number of the report issue written.
    pub fn issue_number(&self) -> Option<u64> {
        match self {
            Delivery::Issue(i) => Some(i.number),
            _ => None,
        }
    }

    /// The link to the comment or issue, for the `report-url` output.
    pub fn url(&self) -> Option<&str> {
        match self {
            Delivery::Comment(c) => c.url.as_deref(),
            Delivery::Issue(i) => i.url.as_deref(),
            _ => None,
        }
    }

    /// One Markdown line saying what happened.
    pub fn describe(&self) -> String {
        let link = |url: Option<&str>| url.map_or(String::new(), |u| format!(": {u}"));
        match self {
            Delivery::Comment(c) => {
                let what = match c.action {
                    CommentAction::Created => "PR comment posted",
                    CommentAction::Updated => "PR comment updated",
                    CommentAction::Unchanged => "PR comment already up to date",
                    CommentAction::Skipped => {
                        "No PR comment: the pull request changes no infrastructure file"
                    }
                };
                let mut extra = Vec::new();
                if c.duplicates_removed > 0 {
                    extra.push(format!(
                        "{} earlier comment(s) of ours deleted",
                        c.duplicates_removed
                    ));
                }
                if c.hidden > 0 {
                    extra.push(format!(
                        "{} earlier comment(s) of ours hidden as outdated",
                        c.hidden
                    ));
                }
                let extra = if extra.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", extra.join(", "))
                };
                format!("{what}{}{extra}", link(c.url.as_deref()))
            }
            Delivery::Issue(i) => {
                let what = match i.action {
                    IssueAction::Created => "Report issue opened",
                    IssueAction::Updated => "Report issue updated",
                    IssueAction::Unchanged => "Report issue already up to date",
                };
                format!("{what} (#{}){}", i.number, link(i.url.as_deref()))
            }
            Delivery::NotAttempted(why) => format!("Nothing posted: {why}"),
            Delivery::Refused { target, error } => {
                let status = error.status().unwrap_or(403);
                format!(
                    "Could not post the {target}: the token lacks permission ({status}). {}. On pull requests \
                     from forks the token is read-only; see docs/action.md (forks).",
                    escape_md(&error.to_string())
                )
            }
            Delivery::Failed(e) => format!("GitHub API error: {}", escape_md(&e.to_string())),
        }
    }
}

/// The job summary: what happened (the delivery, `run_line` (Markdown, see [`run_line`]) and the notes, which
/// are plain text and escaped), the PR's change section (Markdown) on PR runs, then the scan as Markdown.
pub fn job_summary(
    scan: Option<&ScanReport>,
    title: &str,
    delivery: &Delivery,
    run_line: &str,
    notes: &[String],
    change_section: Option<&str>,
) -> String {
    let mut s = String::from("### azengage\n\n");
    s.push_str(&format!("- {}\n", delivery.describe()));
    s.push_str(&format!("- {run_line}\n"));
    for note in notes {
        s.push_str(&format!("- {}\n", escape_md(&clip(note, MAX_PROSE_CHARS))));
    }
    s.push('\n');
    if let Some(section) = change_section {
        s.push_str(section);
    }
    if let Some(report) = scan {
        s.push_str(&to_markdown(
            report,
            &MarkdownOptions {
                title: title.to_string(),
                marker: false,
                // The summary's own limit is 1 MiB; the scan alone stays within a comment's size.
                ..MarkdownOptions::default()
            },
        ));
    }
    s
}

/// What a PR run learned about the pull request, for the `infra-changed` and `score-delta` outputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrFacts {
    /// Whether the PR changes IaC (unknown counts as changed).
    pub infra_changed: bool,
    /// Head minus base (`+7`, `0`, `-3`), when both sides were scored.
    pub score_delta: Option<String>,
}

/// The step outputs, in the contract's names. Without a scan, only what the delivery and the SARIF file tell
/// can be known; `infra-changed` and `score-delta` are empty except on PR runs.
pub fn outputs(
    scan: Option<&ScanReport>,
    delivery: &Delivery,
    sarif_file: Option<&str>,
    pr: Option<&PrFacts>,
) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(r) = scan {
        let names = |list: Vec<&str>| list.join(",");
        out.push(("score", r.score.total.to_string()));
        out.push(("band", r.score.band.as_str().to_string()));
        out.push((
            "review-date",
            r.program
                .review_date
                .map_or(String::new(), |d| d.to_string()),
        ));
        out.push((
            "days-to-review",
            r.program
                .days_to_review
                .map_or(String::new(), |d| d.to_string()),
        ));
        out.push((
            "services",
            names(
                r.services
                    .iter()
                    .filter(|s| s.counts_for_breadth)
                    .map(|s| s.name.as_str())
                    .collect(),
            ),
        ));
        out.push((
            "regions",
            names(r.regions.iter().map(|s| s.name.as_str()).collect()),
        ));
    }
    let text = |n: Option<u64>| n.map_or(String::new(), |n| n.to_string());
    out.push(("report-url", delivery.url().unwrap_or_default().to_string()));
    out.push(("sarif-file", sarif_file.unwrap_or_default().to_string()));
    out.push(("comment-id", text(delivery.comment_id())));
    out.push(("issue-number", text(delivery.issue_number())));
    out.push((
        "infra-changed",
        pr.map_or(String::new(), |p| p.infra_changed.to_string()),
    ));
    out.push((
        "score-delta",
        pr.and_then(|p| p.score_delta.clone()).unwrap_or_default(),
    ));
    out
}

/// The annotations of a run, and how many suggestions were left to the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotations {
    /// Workflow-command lines, at most [`MAX_ANNOTATIONS`].
    pub lines: Vec<String>,
    /// Suggestions not annotated because they are about files the pull request does not change (or about no
    /// file): the summary lists them.
    pub not_in_pr: usize,
}

/// One workflow-command annotation per suggestion (at most [`MAX_ANNOTATIONS`]), with paths made relative to
/// the repository root by prefixing `path_in_repo`. On PR runs `pr_files` holds the repository-relative files
/// the pull request changes (empty when unknown): only suggestions about those files are annotated, so a PR
/// is not covered in warnings about files it never touched.
pub fn annotations(
    scan: &ScanReport,
    path_in_repo: &str,
    project_in_repo: &str,
    pr_files: Option<&[String]>,
) -> Annotations {
    let mut result = Annotations::default();
    for s in &scan.suggestions {
        let file = s
            .file
            .as_deref()
            .map(|f| in_repo(path_in_repo, project_in_repo, f));
        if let Some(changed) = pr_files
            && !file.as_ref().is_some_and(|f| changed.contains(f))
        {
            result.not_in_pr += 1;
            continue;
        }
        if result.lines.len() == MAX_ANNOTATIONS {
            continue;
        }
        let level = match s.severity {
            RuleSeverity::Error => AnnotationLevel::Error,
            RuleSeverity::Warning => AnnotationLevel::Warning,
            RuleSeverity::Note => AnnotationLevel::Notice,
        };
        result.lines.push(annotation(
            level,
            file.as_deref(),
            s.line,
            &format!("{} {}", s.id, s.rule),
            &format!("{}: {}", s.title, s.detail),
        ));
    }
    result
}

/// `file` (relative to the scanned PATH) relative to the repository root. Files under `.github/` (workflows,
/// the configuration file) are already named from the root: the rules take them from there.
pub fn in_repo(path_in_repo: &str, project_in_repo: &str, file: &str) -> String {
    let prefix = if file.starts_with(".github/") {
        project_in_repo
    } else {
        path_in_repo
    };
    let prefix = prefix.trim_matches('/');
    if prefix.is_empty() {
        file.to_string()
    } else {
        format!("{prefix}/{file}")
    }
}

/// A Markdown line naming the event, the mode and the pull request (its title in a code span).
pub fn run_line(event: &str, mode: &str, pr: Option<(u64, &str)>) -> String {
    let event = code_span(if event.is_empty() { "(none)" } else { event });
    match pr {
        Some((number, "")) => format!("Event {event}, mode `{mode}`, pull request #{number}"),
        Some((number, title)) => format!(
            "Event {event}, mode `{mode}`, pull request #{number} {}",
            code_span(&clip(title, MAX_CELL_CHARS))
        ),
        None => format!("Event {event}, mode `{mode}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_write_names_permission_and_status() {
        let d = Delivery::Refused {
            target: "comment",
            error: GithubError::Permission {
                method: "POST".into(),
                path: "/repos/o/r/issues/7/comments".into(),
                status: 403,
            },
        };
        let text = d.describe();
        assert!(text.contains("lacks permission (403)"), "{text}");
        assert!(text.contains("POST /repos/o/r/issues/7/comments"), "{text}");
        assert_eq!(d.url(), None);
    }

    #[test]
    fn outputs_without_a_scan_still_name_every_known_value() {
        let none = Delivery::NotAttempted("no token".into());
        let out = outputs(None, &none, Some("azengage.sarif"), None);
        assert_eq!(
            out,
            [
                ("report-url", String::new()),
                ("sarif-file", "azengage.sarif".to_string()),
                ("comment-id", String::new()),
                ("issue-number", String::new()),
                ("infra-changed", String::new()),
                ("score-delta", String::new()),
            ]
        );
        let written = Delivery::Comment(CommentOutcome {
            action: CommentAction::Created,
            id: Some(7002),
            url: Some("https://github.com/o/r/pull/4#issuecomment-7002".into()),
            duplicates_removed: 0,
            hidden: 2,
        });
        let facts = PrFacts {
            infra_changed: true,
            score_delta: Some("+7".into()),
        };
        let out = outputs(None, &written, None, Some(&facts));
        let get = |k: &str| out.iter().find(|(n, _)| *n == k).map(|(_, v)| v.as_str());
        assert_eq!(get("comment-id"), Some("7002"));
        assert_eq!(get("infra-changed"), Some("true"));
        assert_eq!(get("score-delta"), Some("+7"));
        assert!(
            written
                .describe()
                .contains("2 earlier comment(s) of ours hidden")
        );
        let hostile = Delivery::not_attempted(
            "the scan did not run: ",
            "config: <img src=x onerror=alert(1)> @team",
        );
        let text = hostile.describe();
        assert!(
            !text.contains("<img") && text.contains("@\u{200B}team"),
            "{text}"
        );
        assert_eq!(in_repo("infra/", "", "main.tf"), "infra/main.tf");
        assert_eq!(in_repo("", "", "main.tf"), "main.tf");
        assert_eq!(
            in_repo("infra", "", ".github/workflows/deploy.yml"),
            ".github/workflows/deploy.yml"
        );
        assert_eq!(
            in_repo("infra", "", "network/vnet.tf"),
            "infra/network/vnet.tf"
        );
        assert_eq!(
            in_repo("svc/infra", "svc", ".github/azengage.yml"),
            "svc/.github/azengage.yml"
        );
    }
}
