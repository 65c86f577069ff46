//! AZE010 `review-approaching`: the review date is within 60 days, or has passed.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::timeline;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE010",
    name: "review-approaching",
    severity: RuleSeverity::Warning,
    title: "The engagement review is near or has passed",
    what: "Fires when the review date (`program.credits.expires` minus `program.review_lead_days`, default 45 \
days) is within 60 days of today (`--as-of`), or has passed while the credits have not expired yet.",
    why: "Founders Hub runs the engagement review automatically; what the usage shows on that date decides \
whether the next credit tier is offered. Gaps found after it are too late to fix.",
    how: "Work through the other suggestions now, most severe first: complete the profile checklist and the \
evidence kit, and keep deployments steady up to the review (not a last-minute spike).",
    example: r#"```yaml
# .github/azengage.yml
program:
  credits:
    expires: 2027-06-01   # review on 2027-04-17 (45 days before)
  review_lead_days: 45
```"#,
    check,
};

/// Days before the review from which the rule fires.
const WITHIN_DAYS: i64 = 60;

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let status = timeline::program_status(input);
    let (Some(review), Some(days), Some(expires)) = (
        status.review_date,
        status.days_to_review,
        status.credits_expire,
    ) else {
        return Vec::new();
    };
    if days > WITHIN_DAYS || input.as_of >= expires {
        return Vec::new();
    }
    let detail = if days >= 0 {
        format!(
            "The engagement review is on {review}, in {days} days (credits expire {expires}); fix the \
             remaining suggestions before then."
        )
    } else {
        format!(
            "The review date {review} passed {} days ago; the credits expire {expires}. Check the outcome in \
             the Founders Hub portal.",
            -days
        )
    };
    let (file, line) = input.config.key_location("program.credits.expires");
    vec![RULE.suggest(detail, file, line)]
}
