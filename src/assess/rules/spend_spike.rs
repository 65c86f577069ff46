//! AZE016 `spend-spike`: the weekly spend of the Cost Management exports comes in a burst.

use super::{AssessmentInput, RuleInfo, RuleSeverity, Suggestion};
use crate::assess::spend;

/// The rule.
pub(super) const RULE: RuleInfo = RuleInfo {
    id: "AZE016",
    name: "spend-spike",
    severity: RuleSeverity::Warning,
    title: "Spend comes in a burst instead of steadily",
    what: "Only with Cost Management exports (`scan --costs`, `costs.path`) covering at least 8 weeks. Measured \
over `costs.weekly` (every ISO week from the first to the last charge day): fires when the last 4 weeks hold \
more than half of the spend, or when the most expensive week costs more than 4 times the median week (or the \
median week cost nothing while another week did).",
    why: "The review looks for steady usage over the credit period. Spend that jumps just before the review \
reads as consumption staged for it, and a single expensive week (a load test, a forgotten GPU VM) does not \
show a product in use. The estimate's `spend_steadiness` factor loses points too.",
    how: "Move real workloads onto Azure early and keep them running: deploy environments the product needs \
(staging, a second region) weeks before the review rather than in the last month. If the spike was a mistake \
(an oversized SKU left running), set a budget alert in Cost Management so it does not recur.",
    example: r#"```text
weekly spend (EUR), 20 weeks:
bursty:  50 50 50 50 50 50 50 50 50 50 50 50 50 50 50 50  900 1200 1500 1400   (last 4 weeks: 86%)
steady:  380 410 395 420 405 390 415 400 410 385 420 395 405 410 390 400 415 405 395 410
```"#,
    check,
};

/// Share of the spend in the last 4 weeks above which the spend is back-loaded.
const MAX_LAST_WEEKS_SHARE: f64 = 0.5;
/// Peak week over median week above which a week is a spike.
const MAX_PEAK_TO_MEDIAN: f64 = 4.0;

fn check(input: &AssessmentInput) -> Vec<Suggestion> {
    let Some(costs) = input.costs else {
        return Vec::new();
    };
    let m = spend::metrics(costs);
    if m.weeks < spend::MIN_WEEKS {
        return Vec::new();
    }
    let currency = costs.currency.as_deref().unwrap_or("");
    let detail = if m.last_weeks_share > MAX_LAST_WEEKS_SHARE {
        format!(
            "{:.0}% of the spend over {} weeks fell in the last {} weeks of the cost exports: usage that \
             starts late reads as staged for the review; keep workloads running steadily from early on.",
            m.last_weeks_share * 100.0,
            m.weeks,
            spend::LAST_WEEKS
        )
    } else if let Some((week, cost)) = m.peak_week.filter(|_| is_spike(&m)) {
        let ratio = m.peak_to_median.map_or_else(
            || "while the median week cost nothing".to_string(),
            |r| format!("{r:.1}× the median week"),
        );
        let amount = if currency.is_empty() {
            format!("{cost:.2}")
        } else {
            format!("{cost:.2} {currency}")
        };
        format!(
            "The week of {week} cost {amount}, {ratio} over {} weeks: find what ran that week (Cost \
             analysis, grouped by resource) and spread real usage over the period instead.",
            m.weeks
        )
    } else {
        return Vec::new();
    };
    vec![RULE.suggest(detail, None, None)]
}

/// The peak week is over 4× the median week, or the median week cost nothing while the peak did not.
fn is_spike(m: &spend::SpendMetrics) -> bool {
    match (m.peak_to_median, m.peak_week) {
        (Some(r), _) => r > MAX_PEAK_TO_MEDIAN,
        (None, Some((_, peak))) => peak > 0.0,
        (None, None) => false,
    }
}
