//! Cadence metrics from the weekly series: how regularly infrastructure changes and is deployed.
//!
//! The assessment reads these (consistency score, `stale-infrastructure`, `irregular-cadence`). They are measured
//! over the weeks of the series up to the week of `as_of` — from the first week with activity (or `--since`) —
//! with missing weeks counted as inactive, so a sparse series gives the same figures as a dense one. A week's
//! activity is its IaC commits plus its deployments.

use super::weekly::{week_index, week_starts};
use super::{CadenceMetrics, WeekActivity, week_start};
use jiff::civil::Date;

/// Weeks in the trailing window of [`CadenceMetrics::active_weeks_13`].
const TRAILING_WEEKS: usize = 13;

/// Measure `weekly` (see [`CadenceMetrics`] for each figure). `deployment_dates` are the UTC days of single
/// deployments; those in the measured weeks up to `as_of` give the median days between deployments.
pub fn metrics(weekly: &[WeekActivity], deployment_dates: &[Date], as_of: Date) -> CadenceMetrics {
    let last_week = week_start(as_of);
    let Some(first_week) = weekly
        .iter()
        .map(|w| w.week_start)
        .filter(|w| *w <= last_week)
        .min()
    else {
        return CadenceMetrics::default();
    };
    let activity = dense_activity(weekly, first_week, last_week);
    let weeks = u32::try_from(activity.len()).unwrap_or(u32::MAX);
    let last_active = activity.iter().rposition(|a| *a > 0);
    let trailing = &activity[activity.len().saturating_sub(TRAILING_WEEKS)..];
    CadenceMetrics {
        weeks,
        active_weeks_13: count(trailing.iter().filter(|a| **a > 0)),
        current_streak: current_streak(&activity),
        longest_gap: longest_gap(&activity),
        weeks_since_last_activity: last_active.map(|i| count(i + 1..activity.len())),
        median_days_between_deployments: median_days_between(deployment_dates, first_week, as_of),
        last_quarter_share: last_quarter_share(&activity),
        peak_to_median: peak_to_median(&activity),
    }
}

/// Activity (IaC commits + deployments) per week from `first` to `last`, one slot per week, 0 where the series
/// has no entry; entries after `last` are ignored and duplicate weeks are added up.
fn dense_activity(weekly: &[WeekActivity], first: Date, last: Date) -> Vec<u64> {
    let mut activity: Vec<u64> = week_starts(first, last).map(|_| 0).collect();
    for week in weekly.iter().filter(|w| w.week_start <= last) {
        // A week_start that is not a Monday counts in the week that holds it.
        if let Some(slot) =
            week_index(first, week_start(week.week_start)).and_then(|i| activity.get_mut(i))
        {
            *slot += u64::from(week.iac_commits) + u64::from(week.deployments);
        }
    }
    activity
}

/// The length of an iterator as a `u32` (saturating).
fn count<T>(items: impl Iterator<Item = T>) -> u32 {
    u32::try_from(items.count()).unwrap_or(u32::MAX)
}

/// Active weeks in a row ending with the last week, or with the week before it when the last week (the one
/// holding `as_of`, possibly just begun) is inactive.
fn current_streak(activity: &[u64]) -> u32 {
    let ending = match activity.last() {
        Some(0) => &activity[..activity.len() - 1],
        _ => activity,
    };
    count(ending.iter().rev().take_while(|a| **a > 0))
}

/// The longest run of inactive weeks anywhere in the series (a trailing run up to the last week included).
fn longest_gap(activity: &[u64]) -> u32 {
    let mut longest = 0u32;
    let mut run = 0u32;
    for a in activity {
        run = if *a == 0 { run.saturating_add(1) } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// The median of the day counts between consecutive deployments from `first_week` to `as_of` (same-day
/// deployments are 0 days apart); `None` with fewer than two deployments.
fn median_days_between(deployment_dates: &[Date], first_week: Date, as_of: Date) -> Option<f64> {
    let mut dates: Vec<Date> = deployment_dates
        .iter()
        .copied()
        .filter(|d| (first_week..=as_of).contains(d))
        .collect();
    dates.sort_unstable();
    let mut gaps: Vec<f64> = dates
        .windows(2)
        .map(|pair| (pair[0].duration_until(pair[1]).as_secs() / 86_400) as f64)
        .collect();
    median(&mut gaps)
}

/// Share (0..=1) of all activity that falls in the last quarter of the series: its last ⌈weeks ÷ 4⌉ weeks.
/// 0 when there is no activity.
fn last_quarter_share(activity: &[u64]) -> f64 {
    let total: u64 = activity.iter().sum();
    if total == 0 {
        return 0.0;
    }
    let quarter = activity.len().div_ceil(4);
    let recent: u64 = activity[activity.len() - quarter..].iter().sum();
    recent as f64 / total as f64
}

/// The busiest week's activity divided by the median week's (a median below 1 counts as 1); 0 for no weeks.
fn peak_to_median(activity: &[u64]) -> f64 {
    let Some(peak) = activity.iter().max() else {
        return 0.0;
    };
    let mut values: Vec<f64> = activity.iter().map(|a| *a as f64).collect();
    let median = median(&mut values).unwrap_or(0.0);
    *peak as f64 / median.max(1.0)
}

/// The median of `values` (the mean of the two middle ones for an even count); `None` when empty.
fn median(values: &mut [f64]) -> Option<f64> {
    values.sort_unstable_by(f64::total_cmp);
    let mid = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => values.get(mid).copied(),
        _ => Some((values.get(mid - 1)? + values.get(mid)?) / 2.0),
    }
}

#[cfg(test)]
mod tests;
