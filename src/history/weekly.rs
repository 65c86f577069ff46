//! The weekly activity series (`activity.weekly`): IaC commits and deployments counted per ISO week.
//!
//! One entry per week from the first week with activity (or the week of `since`, if later) to the week of
//! `as_of`, weeks without activity included: the contract allows leaving them out, but a dense series keeps
//! charts and the cadence metrics simple.

use super::git::IacCommit;
use super::{WeekActivity, week_start};
use jiff::civil::Date;

/// The weekly series from `commits` and `deployment_dates` (UTC days, one per deployment; from GitHub runs or
/// deployment statuses). Activity before the week of `since` or after `as_of` is left out. Empty when there is no
/// activity in that span. `services_touched` and `regions_touched` are left empty (the scan stage fills them,
/// reading each commit's files from git).
pub fn weekly(
    commits: &[IacCommit],
    deployment_dates: &[Date],
    since: Date,
    as_of: Date,
) -> Vec<WeekActivity> {
    let window_start = week_start(since);
    let in_window = |date: &Date| (window_start..=as_of).contains(date);
    let commit_weeks: Vec<Date> = commits
        .iter()
        .map(IacCommit::date)
        .filter(in_window)
        .map(week_start)
        .collect();
    let deployment_weeks: Vec<Date> = deployment_dates
        .iter()
        .copied()
        .filter(in_window)
        .map(week_start)
        .collect();
    let Some(first_week) = commit_weeks.iter().chain(&deployment_weeks).min().copied() else {
        return Vec::new();
    };
    let mut series: Vec<WeekActivity> = week_starts(first_week, week_start(as_of))
        .map(|week| WeekActivity {
            week_start: week,
            iac_commits: 0,
            deployments: 0,
            services_touched: Vec::new(),
            regions_touched: Vec::new(),
        })
        .collect();
    for week in commit_weeks {
        if let Some(entry) = week_index(first_week, week).and_then(|i| series.get_mut(i)) {
            entry.iac_commits = entry.iac_commits.saturating_add(1);
        }
    }
    for week in deployment_weeks {
        if let Some(entry) = week_index(first_week, week).and_then(|i| series.get_mut(i)) {
            entry.deployments = entry.deployments.saturating_add(1);
        }
    }
    series
}

/// The Mondays from `first` to `last`, both included (`first` and `last` are Mondays).
pub(crate) fn week_starts(first: Date, last: Date) -> impl Iterator<Item = Date> {
    std::iter::successors(Some(first), |week| {
        week.checked_add(jiff::Span::new().days(7)).ok()
    })
    .take_while(move |week| *week <= last)
}

/// How many weeks `week` is after `first` (both Mondays); `None` when it is before.
pub(crate) fn week_index(first: Date, week: Date) -> Option<usize> {
    let days = first.duration_until(week).as_secs() / 86_400;
    usize::try_from(days / 7).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;
    use jiff::civil::date;

    fn commit(at: &str, paths: &[&str]) -> IacCommit {
        IacCommit {
            id: String::new(),
            committed: at.parse::<Timestamp>().unwrap(),
            paths: paths.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// Each week's start, IaC commits and deployments.
    fn counts(series: &[WeekActivity]) -> Vec<(Date, u32, u32)> {
        series
            .iter()
            .map(|w| (w.week_start, w.iac_commits, w.deployments))
            .collect()
    }

    #[test]
    fn dense_series_from_first_active_week_to_as_of() {
        // Wednesday 2026-10-28 and Monday 2026-11-09 (UTC); as_of Monday 2026-11-23.
        let commits = [
            commit("2026-11-09T08:00:00Z", &["infra/main.tf"]),
            commit("2026-10-28T23:59:59Z", &["a.bicep"]),
        ];
        let series = weekly(
            &commits,
            &[date(2026, 11, 10)],
            date(2025, 1, 1),
            date(2026, 11, 23),
        );
        let got = counts(&series);
        assert_eq!(
            got,
            vec![
                (date(2026, 10, 26), 1, 0),
                (date(2026, 11, 2), 0, 0),
                (date(2026, 11, 9), 1, 1),
                (date(2026, 11, 16), 0, 0),
                (date(2026, 11, 23), 0, 0),
            ]
        );
    }

    #[test]
    fn since_cuts_at_its_week_and_as_of_at_its_day() {
        let commits = [
            commit("2026-11-01T12:00:00Z", &["old.tf"]), // Sunday before since's week: left out
            commit("2026-11-02T00:00:00Z", &["main.tf"]), // Monday of since's week: counted
            commit("2026-11-11T23:59:59Z", &["main.tf"]), // end of as_of: counted
            commit("2026-11-12T00:00:00Z", &["late.tf"]), // the day after as_of: left out
        ];
        let series = weekly(
            &commits,
            &[date(2026, 11, 12)],
            date(2026, 11, 5),
            date(2026, 11, 11),
        );
        let got = counts(&series);
        assert_eq!(
            got,
            vec![(date(2026, 11, 2), 1, 0), (date(2026, 11, 9), 1, 0)]
        );
    }

    #[test]
    fn no_activity_is_an_empty_series() {
        let commits = [commit("2020-01-01T00:00:00Z", &["main.tf"])];
        assert!(weekly(&commits, &[], date(2026, 1, 1), date(2026, 11, 23)).is_empty());
        assert!(weekly(&[], &[], date(2026, 1, 1), date(2026, 11, 23)).is_empty());
    }

    #[test]
    fn deployments_alone_start_the_series() {
        let series = weekly(
            &[],
            &[date(2026, 11, 18), date(2026, 11, 20)],
            date(2026, 1, 1),
            date(2026, 11, 24),
        );
        assert_eq!(series.len(), 2);
        assert_eq!(
            (series[0].week_start, series[0].deployments),
            (date(2026, 11, 16), 2)
        );
        assert_eq!(
            (series[1].week_start, series[1].deployments),
            (date(2026, 11, 23), 0)
        );
    }
}
