//! AZE012 `credits-underused`: consumption is behind the credit period, or below 50% near the review.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::timeline;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE012",
    name: "credits-underused",
    severity: RuleSeverity::Warning,
    title: "Credits are consumed more slowly than the credit period passes",
    what: "With a consumed share configured (`program.credits.used` with `total`, or `consumed_percent`), \
fires when the review is within 60 days (or has passed) and less than 50% of the credits is consumed, or when \
the share consumed is below the share of the credit period (`joined` to `expires`) already elapsed. Quiet \
once the credits have expired.",
    why: "Moving up a tier depends on having consumed at least half of the current credits by the review. \
Consumption that lags the calendar means the 50% mark will be missed unless usage grows.",
    how: "Move workloads that run elsewhere onto Azure, deploy the environments the product needs (staging, \
a second region), and keep `program.credits.used` current (or pass Cost Management exports with `--costs`).",
    example: r#"```yaml
# .github/azengage.yml
program:
  joined: 2026-06-01
  credits:
    total: 25000
    used: 9000          # 36%
    expires: 2027-06-01
```"#,
    check,
};

/// The share of the credits to consume before the review.
const GOAL_PERCENT: f64 = 50.0;
/// Days before the review that count as "near".
const NEAR_REVIEW_DAYS: i64 = 60;

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let status = timeline::program_status(input);
    let Some(consumed) = status.consumed_percent else {
        return Vec::new();
    };
    if status.credits_expire.is_some_and(|e| input.as_of >= e) {
        return Vec::new();
    }
    let key = if input.config.program.credits.used.is_some() {
        "program.credits.used"
    } else {
        "program.credits.consumed_percent"
    };
    let (file, line) = input.config.key_location(key);
    let near = status.days_to_review.filter(|d| *d <= NEAR_REVIEW_DAYS);
    if let (Some(days), true) = (near, consumed < GOAL_PERCENT) {
        let when = if days >= 0 {
            format!("the review is in {days} days")
        } else {
            format!("the review passed {} days ago", -days)
        };
        return vec![RULE.suggest(
            format!("{consumed:.0}% of the credits is consumed and {when}; the next tier needs at least 50%."),
            file,
            line,
        )];
    }
    let elapsed = elapsed_percent(input);
    match elapsed {
        Some(e) if consumed < e => vec![RULE.suggest(
            format!(
                "{consumed:.0}% of the credits is consumed while {e:.0}% of the credit period has passed; at \
                 this pace the 50% goal comes late."
            ),
            file,
            line,
        )],
        _ => Vec::new(),
    }
}

/// The share (0-100) of the period from `joined` to `credits.expires` that has passed on `as_of`.
fn elapsed_percent(input: &AssessmentInput) -> Option<f64> {
    let program = &input.config.program;
    let (joined, expires) = (program.joined?, program.credits.expires?);
    let period = timeline::days_between(joined, expires);
    if period <= 0 {
        return None;
    }
    let passed = timeline::days_between(joined, input.as_of).clamp(0, period);
    Some(passed as f64 / period as f64 * 100.0)
}
