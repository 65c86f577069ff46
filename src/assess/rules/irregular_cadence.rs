//! AZE007 `irregular-cadence`: activity comes in bursts, or spikes before the review.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::{spend, timeline};

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE007",
    name: "irregular-cadence",
    severity: RuleSeverity::Warning,
    title: "Activity comes in bursts instead of steadily",
    what: "With at least 8 weeks of history, fires when the busiest week holds more than 4 times the activity \
of the median week, when more than half of the activity falls in the last quarter of the window, or when the \
review is within 60 days and the last quarter holds more than 40% of the activity (a last-minute spike). \
With Cost Management exports covering at least 8 weeks it also reads the weekly spend: when the spend is steady \
(at least 80% of the last 13 weeks within half and twice the median week, and no week over 4 times the median) \
the usage the review sees is steady whatever the commit pattern, so the rule stays quiet; otherwise the \
suggestion says how uneven the spend is too (bursts of spend alone are the `spend-spike` rule's).",
    why: "The review favours steady weekly usage over a burst just before it; a spike right before the review \
date is exactly the pattern it discounts. The estimate's consistency component loses its spike points.",
    how: "Spread changes out: deploy small increments every week or two through the deploy workflow instead of \
batching them, and start well before the review date.",
    example: r#"```text
weeks:   1 2 3 4 5 6 7 8 9 10 11 12
bursty:  . . . . . . . . . 9  12  .     (peak 12x the median)
steady:  2 1 2 2 1 3 2 1 2 2  1   2
```"#,
    check,
};

/// Weeks of history below which cadence is not judged.
const MIN_WEEKS: u32 = 8;
/// Peak week over median week above which activity is bursty.
const MAX_PEAK_TO_MEDIAN: f64 = 4.0;
/// Share of the activity in the last quarter above which it is back-loaded.
const MAX_LAST_QUARTER_SHARE: f64 = 0.5;
/// Same, while the review is near.
const MAX_SHARE_NEAR_REVIEW: f64 = 0.4;
/// Days before the review that count as "near".
const NEAR_REVIEW_DAYS: i64 = 60;
/// Share of steady weeks of spend from which the spend counts as steady.
const STEADY_SPEND_SHARE: f64 = 0.8;

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let m = &input.activity.metrics;
    if m.weeks < MIN_WEEKS || m.weeks_since_last_activity.is_none() {
        return Vec::new();
    }
    let days_to_review = timeline::program_status(input).days_to_review;
    let near_review = days_to_review.is_some_and(|d| (0..=NEAR_REVIEW_DAYS).contains(&d));
    let share = m.last_quarter_share * 100.0;
    let detail = if near_review && m.last_quarter_share > MAX_SHARE_NEAR_REVIEW {
        format!(
            "{share:.0}% of the activity is in the last quarter of the window and the review is {} days away: \
             a late spike is what the review discounts; keep a steady weekly rhythm instead.",
            days_to_review.unwrap_or(0)
        )
    } else if m.peak_to_median > MAX_PEAK_TO_MEDIAN {
        format!(
            "The busiest week has {:.1}× the activity of the median week over {} weeks: spread changes over \
             regular small deployments.",
            m.peak_to_median, m.weeks
        )
    } else if m.last_quarter_share > MAX_LAST_QUARTER_SHARE {
        format!(
            "{share:.0}% of the activity over {} weeks is in the last quarter: earlier weeks were quiet; keep a \
             steady weekly rhythm.",
            m.weeks
        )
    } else {
        return Vec::new();
    };
    match spend_note(input) {
        SpendNote::Steady => Vec::new(),
        SpendNote::Uneven(note) => vec![RULE.suggest(format!("{detail} {note}"), None, None)],
        SpendNote::Unknown => vec![RULE.suggest(detail, None, None)],
    }
}

/// What the weekly spend adds to the IaC cadence.
enum SpendNote {
    /// No exports, or too few weeks of them.
    Unknown,
    /// The spend is steady: the usage the review sees is steady.
    Steady,
    /// The spend is uneven too: this sentence says how.
    Uneven(String),
}

fn spend_note(input: &AssessmentInput) -> SpendNote {
    let Some(costs) = input.costs else {
        return SpendNote::Unknown;
    };
    let m = spend::metrics(costs);
    if m.weeks < spend::MIN_WEEKS {
        return SpendNote::Unknown;
    }
    let no_burst = m.peak_to_median.is_some_and(|r| r <= MAX_PEAK_TO_MEDIAN);
    if m.steady_share >= STEADY_SPEND_SHARE && no_burst {
        return SpendNote::Steady;
    }
    SpendNote::Uneven(format!(
        "Weekly spend is uneven too: {} of the last {} weeks of the cost exports are near the median week.",
        m.steady_weeks, m.window
    ))
}
