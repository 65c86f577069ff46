//! Measures of the weekly spend from Cost Management exports, shared by the score (`spend_steadiness`) and
//! the rules that read the spend (`irregular-cadence`, `spend-spike`, `credits-underused`).
//!
//! The review looks at real usage over time; the exports' `weekly` series says that more directly than IaC
//! commits do. Everything here is measured over `costs.weekly` (every ISO week from the first to the last
//! charge day, zero weeks included) and converted from exact decimals to `f64` only for ratios.

use crate::costs::{CostsSummary, WeekCost};
use jiff::civil::Date;
use rust_decimal::prelude::ToPrimitive;

/// Weeks the steadiness measure looks back over (the same 13 weeks as `active_weeks_13`).
pub const STEADY_WINDOW_WEEKS: usize = 13;
/// A week is steady when it costs at least this share of the median week of the window...
pub const STEADY_SHARE_OF_MEDIAN: f64 = 0.5;
/// ...and at most this multiple of it.
pub const STEADY_MULTIPLE_OF_MEDIAN: f64 = 2.0;
/// Weeks of spend below which bursts are not judged (a short export is all "last weeks").
pub const MIN_WEEKS: usize = 8;
/// The trailing weeks whose share of the spend `spend-spike` measures.
pub const LAST_WEEKS: usize = 4;

/// What the weekly spend looks like.
#[derive(Debug, Clone, PartialEq)]
pub struct SpendMetrics {
    /// Weeks in `costs.weekly`.
    pub weeks: usize,
    /// Weeks in the trailing window (at most [`STEADY_WINDOW_WEEKS`]).
    pub window: usize,
    /// Weeks of the window that cost between half and twice the window's median week (and more than zero).
    pub steady_weeks: usize,
    /// `steady_weeks ÷ window` (0 when the window is empty).
    pub steady_share: f64,
    /// Share (0-1) of the whole spend that falls in the last [`LAST_WEEKS`] weeks.
    pub last_weeks_share: f64,
    /// The most expensive week's start and cost.
    pub peak_week: Option<(Date, f64)>,
    /// The median week's cost over every week.
    pub median_week: f64,
    /// Peak week ÷ median week; `None` when the median week cost nothing.
    pub peak_to_median: Option<f64>,
}

/// Measure `costs.weekly`.
pub fn metrics(costs: &CostsSummary) -> SpendMetrics {
    let weekly: Vec<(Date, f64)> = costs.weekly.iter().map(week_value).collect();
    let values: Vec<f64> = weekly.iter().map(|(_, v)| *v).collect();
    let window: Vec<f64> = values
        .iter()
        .rev()
        .take(STEADY_WINDOW_WEEKS)
        .copied()
        .collect();
    let window_median = median(&window);
    let steady_weeks = window
        .iter()
        .filter(|v| {
            **v > 0.0
                && **v >= window_median * STEADY_SHARE_OF_MEDIAN
                && **v <= window_median * STEADY_MULTIPLE_OF_MEDIAN
        })
        .count();
    let total: f64 = values.iter().sum();
    let last: f64 = values.iter().rev().take(LAST_WEEKS).sum();
    let peak_week = weekly
        .iter()
        .copied()
        .fold(None, |best: Option<(Date, f64)>, w| match best {
            Some(b) if b.1 >= w.1 => Some(b),
            _ => Some(w),
        });
    let median_week = median(&values);
    SpendMetrics {
        weeks: values.len(),
        window: window.len(),
        steady_weeks,
        steady_share: if window.is_empty() {
            0.0
        } else {
            steady_weeks as f64 / window.len() as f64
        },
        last_weeks_share: if total > 0.0 { last / total } else { 0.0 },
        peak_week,
        median_week,
        peak_to_median: peak_week
            .filter(|_| median_week > 0.0)
            .map(|(_, p)| p / median_week),
    }
}

fn week_value(w: &WeekCost) -> (Date, f64) {
    (w.week_start, w.cost.0.to_f64().unwrap_or(0.0))
}

/// The median of `values` (the mean of the two middle values for an even count; 0 when empty).
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    match n {
        0 => 0.0,
        _ if n % 2 == 1 => sorted.get(n / 2).copied().unwrap_or(0.0),
        _ => {
            let (a, b) = (sorted.get(n / 2 - 1), sorted.get(n / 2));
            (a.copied().unwrap_or(0.0) + b.copied().unwrap_or(0.0)) / 2.0
        }
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    //! A `CostsSummary` built from weekly amounts, for the tests of the score and the rules.

    use crate::costs::{CostsSummary, Money, WeekCost, schema::Schema};
    use jiff::civil::{Date, date};
    use rust_decimal::Decimal;

    /// Weekly spend starting on Monday `first`, in EUR, with nothing else billed.
    pub fn costs_weekly(first: Date, amounts: &[i64]) -> CostsSummary {
        let weekly: Vec<WeekCost> = amounts
            .iter()
            .enumerate()
            .map(|(i, a)| WeekCost {
                week_start: first
                    .checked_add(jiff::Span::new().days(7 * i as i64))
                    .unwrap_or(first),
                cost: Money(Decimal::from(*a)),
            })
            .collect();
        let total: i64 = amounts.iter().sum();
        CostsSummary {
            schema: Schema::Focus,
            files: 1,
            rows: 100,
            currency: Some("EUR".into()),
            first_day: weekly.first().map(|w| w.week_start),
            last_day: weekly
                .last()
                .and_then(|w| w.week_start.checked_add(jiff::Span::new().days(4)).ok()),
            total: Money(Decimal::from(total)),
            weekly,
            by_service: vec![],
            by_region: vec![],
            consumed_percent: None,
            projected_percent_at_review: None,
            billed_not_in_iac: vec![],
            in_iac_not_billed: vec![],
        }
    }

    /// Twenty steady weeks (about 400 EUR each) ending with the week of 2026-11-16.
    pub fn steady_costs() -> CostsSummary {
        let amounts = [
            380, 410, 395, 420, 405, 390, 415, 400, 410, 385, 420, 395, 405, 410, 390, 400, 415,
            405, 395, 410,
        ];
        costs_weekly(date(2026, 7, 6), &amounts)
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::{costs_weekly, steady_costs};
    use super::*;
    use jiff::civil::date;

    #[test]
    fn steady_spend_is_steady() {
        let m = metrics(&steady_costs());
        assert_eq!((m.weeks, m.window, m.steady_weeks), (20, 13, 13));
        assert!((m.last_weeks_share - 0.2).abs() < 0.01, "{m:?}");
        assert!(m.peak_to_median.is_some_and(|r| r < 1.1));
    }

    #[test]
    fn a_late_burst_is_measured() {
        let mut amounts = vec![50; 16];
        amounts.extend([900, 1200, 1500, 1400]);
        let m = metrics(&costs_weekly(date(2026, 7, 6), &amounts));
        assert!(m.last_weeks_share > 0.8, "{m:?}");
        assert_eq!(m.median_week, 50.0);
        assert_eq!(m.peak_to_median, Some(30.0));
        assert_eq!(m.peak_week, Some((date(2026, 11, 9), 1500.0)));
        // The window's median is 50: the four burst weeks are far above twice that.
        assert_eq!(m.steady_weeks, 9);
    }

    #[test]
    fn idle_weeks_are_not_steady_and_a_zero_median_has_no_ratio() {
        let m = metrics(&costs_weekly(
            date(2026, 7, 6),
            &[0, 0, 0, 0, 0, 0, 0, 0, 300, 0],
        ));
        // The median week cost nothing, so not even the one week with spend is near it.
        assert_eq!(m.steady_weeks, 0);
        assert_eq!(m.peak_to_median, None);
        let empty = metrics(&costs_weekly(date(2026, 7, 6), &[]));
        assert_eq!(
            (empty.weeks, empty.steady_share, empty.peak_week),
            (0, 0.0, None)
        );
    }
}
