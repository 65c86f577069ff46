//! AZE006 `stale-infrastructure`: no IaC change and no deployment for `scoring.stale_weeks` weeks.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE006",
    name: "stale-infrastructure",
    severity: RuleSeverity::Warning,
    title: "No infrastructure change or deployment recently",
    what: "Fires when the activity history (git commits touching IaC files, and deployments when GitHub data \
is available) shows nothing in the last `scoring.stale_weeks` weeks (default 6), or nothing at all. It stays \
quiet when no history could be read.",
    why: "The review looks for consistent usage over time. Weeks without any change or deployment read as a \
paused project, and the estimate's consistency component loses its recency points.",
    how: "Ship small infrastructure changes regularly (a setting, a new alert, a version bump) through the \
deploy workflow, rather than saving them for one large change.",
    example: r#"```yaml
# .github/azengage.yml: a longer threshold for a deliberately slow-moving repository
scoring:
  stale_weeks: 8
```"#,
    check,
};

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let activity = input.activity;
    if activity.source.is_empty() || activity.source == "none" {
        return Vec::new();
    }
    let stale = input.config.stale_weeks();
    let detail = match activity.metrics.weeks_since_last_activity {
        Some(weeks) if weeks < stale => return Vec::new(),
        Some(weeks) => format!(
            "The last IaC change or deployment was {weeks} weeks ago (threshold {stale}); regular small \
             changes show steady usage."
        ),
        None => "No IaC change or deployment was found in the history; commit and deploy infrastructure \
                 changes regularly."
            .to_string(),
    };
    vec![RULE.suggest(detail, None, None)]
}
