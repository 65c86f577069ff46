//! Each metric checked against series worked out by hand.

use super::*;
use jiff::civil::date;

/// A weekly series starting on Monday `first`, one `(iac_commits, deployments)` pair per week.
fn series(first: Date, weeks: &[(u32, u32)]) -> Vec<WeekActivity> {
    week_starts(first, Date::MAX)
        .zip(weeks)
        .map(|(week_start, (iac_commits, deployments))| WeekActivity {
            week_start,
            iac_commits: *iac_commits,
            deployments: *deployments,
            services_touched: Vec::new(),
            regions_touched: Vec::new(),
        })
        .collect()
}

/// Commits only.
fn commits(first: Date, counts: &[u32]) -> Vec<WeekActivity> {
    series(first, &counts.iter().map(|c| (*c, 0)).collect::<Vec<_>>())
}

/// 16 weeks from Monday 2026-08-10 to the week of as_of (Wednesday 2026-11-25, week of 2026-11-23).
const BURSTY: [u32; 16] = [3, 0, 0, 1, 0, 0, 0, 2, 1, 0, 5, 1, 1, 0, 2, 0];

#[test]
fn bursty_series() {
    let m = metrics(
        &commits(date(2026, 8, 10), &BURSTY),
        &[],
        date(2026, 11, 25),
    );
    assert_eq!(m.weeks, 16);
    // Trailing 13 = weeks 3..=15: [1,0,0,0,2,1,0,5,1,1,0,2,0] → 7 active.
    assert_eq!(m.active_weeks_13, 7);
    // The as_of week is idle, so the streak ends the week before: [.., 0, 2] → 1.
    assert_eq!(m.current_streak, 1);
    // Idle runs: 2, 3, 1, 1, 1 → 3.
    assert_eq!(m.longest_gap, 3);
    assert_eq!(m.weeks_since_last_activity, Some(1));
    // Total 16; last ⌈16/4⌉ = 4 weeks [1,0,2,0] hold 3.
    assert_eq!(m.last_quarter_share, 3.0 / 16.0);
    // 8 idle weeks of 16: median (0 + 1) / 2 = 0.5, counted as 1 → 5 / 1.
    assert_eq!(m.peak_to_median, 5.0);
    assert_eq!(m.median_days_between_deployments, None);
}

#[test]
fn steady_series_with_a_spike_at_the_end() {
    // Weeks of 2026-10-19 .. 2026-11-16; as_of Sunday 2026-11-22 is in the last week.
    let m = metrics(
        &commits(date(2026, 10, 19), &[2, 4, 2, 8, 2]),
        &[],
        date(2026, 11, 22),
    );
    assert_eq!(m.weeks, 5);
    assert_eq!(m.active_weeks_13, 5);
    assert_eq!(m.current_streak, 5);
    assert_eq!(m.longest_gap, 0);
    assert_eq!(m.weeks_since_last_activity, Some(0));
    // Last ⌈5/4⌉ = 2 weeks hold 8 + 2 of 18.
    assert_eq!(m.last_quarter_share, 10.0 / 18.0);
    // Sorted 2,2,2,4,8: median 2 → 8 / 2.
    assert_eq!(m.peak_to_median, 4.0);
}

#[test]
fn streak_counts_the_as_of_week_when_it_is_active() {
    let m = metrics(
        &commits(date(2026, 10, 26), &[1, 0, 1, 1, 1]),
        &[],
        date(2026, 11, 23),
    );
    assert_eq!(m.current_streak, 3);
    assert_eq!(m.weeks_since_last_activity, Some(0));
    assert_eq!(m.longest_gap, 1);
    assert_eq!(m.active_weeks_13, 4);
}

#[test]
fn trailing_idle_weeks_are_a_gap_and_end_the_streak() {
    // Active weeks 0 and 1, then 4 idle weeks up to the as_of week.
    let m = metrics(
        &commits(date(2026, 10, 19), &[1, 1, 0, 0, 0, 0]),
        &[],
        date(2026, 11, 23),
    );
    assert_eq!(m.weeks, 6);
    assert_eq!(m.current_streak, 0);
    assert_eq!(m.longest_gap, 4);
    assert_eq!(m.weeks_since_last_activity, Some(4));
    assert_eq!(m.last_quarter_share, 0.0);
}

#[test]
fn deployments_count_as_activity() {
    let m = metrics(
        &series(date(2026, 11, 9), &[(0, 2), (0, 0), (1, 1)]),
        &[],
        date(2026, 11, 23),
    );
    assert_eq!(m.active_weeks_13, 2);
    assert_eq!(m.current_streak, 1);
    // Activity 2, 0, 2: median 2 → 2 / 2.
    assert_eq!(m.peak_to_median, 1.0);
    // Last ⌈3/4⌉ = 1 week holds 2 of 4.
    assert_eq!(m.last_quarter_share, 0.5);
}

#[test]
fn a_sparse_series_measures_like_the_dense_one() {
    let dense = commits(date(2026, 8, 10), &BURSTY);
    let sparse: Vec<WeekActivity> = dense
        .iter()
        .filter(|w| w.iac_commits > 0)
        .cloned()
        .collect();
    assert_eq!(
        metrics(&sparse, &[], date(2026, 11, 25)),
        metrics(&dense, &[], date(2026, 11, 25))
    );
}

#[test]
fn weeks_after_as_of_are_ignored() {
    // The series runs two weeks past the week of as_of (2026-11-09); those weeks do not count.
    let m = metrics(
        &commits(date(2026, 10, 26), &[1, 0, 1, 9, 9]),
        &[],
        date(2026, 11, 9),
    );
    assert_eq!(m.weeks, 3);
    assert_eq!(m.peak_to_median, 1.0);
    assert_eq!(m.current_streak, 1);
}

#[test]
fn active_weeks_are_counted_over_the_last_13_only() {
    // 20 active weeks (2026-07-13 .. the week of as_of): only the trailing 13 count.
    let m = metrics(
        &commits(date(2026, 7, 13), &[1; 20]),
        &[],
        date(2026, 11, 23),
    );
    assert_eq!(m.weeks, 20);
    assert_eq!(m.active_weeks_13, 13);
    assert_eq!(m.current_streak, 20);
}

#[test]
fn median_days_between_deployments() {
    let weekly = series(date(2026, 11, 2), &[(0, 3), (0, 1), (0, 1), (0, 0)]);
    // Gaps 3, 0, 7, 8 (11-26 is after as_of) → sorted 0, 3, 7, 8 → (3 + 7) / 2.
    let dates = [
        date(2026, 11, 5),
        date(2026, 11, 2),
        date(2026, 11, 5),
        date(2026, 11, 12),
        date(2026, 11, 20),
        date(2026, 11, 26),
    ];
    let m = metrics(&weekly, &dates, date(2026, 11, 24));
    assert_eq!(m.median_days_between_deployments, Some(5.0));
    // Odd count of gaps: 3, 0, 7 → 3.
    let m = metrics(&weekly, &dates[..4], date(2026, 11, 24));
    assert_eq!(m.median_days_between_deployments, Some(3.0));
    let m = metrics(&weekly, &[date(2026, 11, 5)], date(2026, 11, 24));
    assert_eq!(m.median_days_between_deployments, None);
}

#[test]
fn idle_and_empty_series() {
    let m = metrics(
        &commits(date(2026, 11, 9), &[0, 0, 0]),
        &[],
        date(2026, 11, 23),
    );
    assert_eq!(m.weeks, 3);
    assert_eq!(
        (m.active_weeks_13, m.current_streak, m.longest_gap),
        (0, 0, 3)
    );
    assert_eq!(m.weeks_since_last_activity, None);
    assert_eq!((m.last_quarter_share, m.peak_to_median), (0.0, 0.0));
    assert_eq!(
        metrics(&[], &[], date(2026, 11, 23)),
        CadenceMetrics::default()
    );
}
