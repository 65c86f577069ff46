//! AZE012 `credits-underused`: consumption is behind the credit period, or below 50% near the review.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::{FigureSource, timeline};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE012",
    name: "credits-underused",
    severity: RuleSeverity::Warning,
    title: "Credits are consumed more slowly than the credit period passes",
    what: "With a consumed share known (`program.credits.used` with `total`, or `consumed_percent`, or Cost \
Management exports with `program.credits.total`, which replace a configured `used`), fires when the review is \
within 60 days (or has passed) and less than 50% of the credits is consumed, or when the share consumed is below \
the share of the credit period (`joined` to `expires`) already elapsed. With exports and a review date it reads \
the spend instead of the calendar: it fires when the pace of the last 28 days leaves consumption below 50% on \
the review date (`costs.projected_percent_at_review`), and stays quiet when that pace reaches 50%. Quiet once \
the credits have expired.",
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
    let projected = input.costs.and_then(|c| c.projected_percent_at_review);
    if let (Some(FigureSource::Costs), Some(projected)) = (status.consumed_source, projected) {
        return from_projection(input, consumed, projected, status.review_date);
    }
    let key = if status.consumed_source == Some(FigureSource::Costs) {
        "program.credits.total"
    } else if input.config.program.credits.used.is_some() {
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

/// With exports: fire when the pace of the last 28 days leaves consumption below the goal on the review date.
fn from_projection(
    input: &AssessmentInput,
    consumed: f64,
    projected: f64,
    review: Option<jiff::civil::Date>,
) -> Vec<Suggestion> {
    if projected >= GOAL_PERCENT {
        return Vec::new();
    }
    let (file, line) = input.config.key_location("program.credits.total");
    let when = review.map_or_else(
        || "the review".to_string(),
        |d| format!("the review on {d}"),
    );
    vec![RULE.suggest(
        format!(
            "The cost exports show {consumed:.0}% of the credits consumed; at the pace of the last 28 days \
             that is {projected:.0}% by {when}, short of the 50% the next tier needs."
        ),
        file,
        line,
    )]
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
