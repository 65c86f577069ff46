//! The program timeline: when the review runs, how many days are left, which reminders are due, when the
//! program starts showing a score, and (for the Cloud Partner Program) which solution areas the services serve.
//!
//! Founders Hub runs its engagement review automatically about 45 days before the credits expire, and shows
//! a score only from the fourth month; both dates follow from the config's `joined` and `credits.expires`.

use super::score::SCORE_VISIBLE_AFTER_DAYS;
use super::{AssessmentInput, FigureSource, ProgramStatus, SolutionAreaStatus, TimelineState};
use crate::config::ProgramKind;
use jiff::Span;
use jiff::civil::Date;
use std::collections::BTreeSet;

/// Days before the review at which a reminder is due, farthest first.
pub const REMINDER_DAYS: [u32; 6] = [90, 60, 45, 30, 14, 7];

/// Within this many days of the review, the timeline is `review_approaching`.
pub const APPROACHING_DAYS: i64 = 90;

/// Where the program stands on `input.as_of`.
pub fn program_status(input: &AssessmentInput) -> ProgramStatus {
    let program = &input.config.program;
    let expires = program.credits.expires;
    let review_date = review_date(input.config);
    let days_to_review = review_date.map(|r| days_between(input.as_of, r));
    let (consumed, consumed_source) = consumed(input);
    ProgramStatus {
        kind: program.kind.map(|k| k.as_str().to_string()),
        tier: program.tier.clone(),
        review_date,
        days_to_review,
        score_visible_from: program
            .joined
            .and_then(|j| add_days(j, SCORE_VISIBLE_AFTER_DAYS)),
        credits_expire: expires,
        consumed_percent: consumed,
        consumed_source,
        state: state(input.as_of, expires, days_to_review),
        reminders_due: reminders_due(days_to_review),
        solution_areas: if program.kind == Some(ProgramKind::PartnerProgram) {
            solution_areas(input)
        } else {
            Vec::new()
        },
    }
}

/// The share of the credits consumed and where it came from: the Cost Management exports when they give it
/// (they replace a configured `credits.used`: the bill is what the program counts), else the config.
pub fn consumed(input: &AssessmentInput) -> (Option<f64>, Option<FigureSource>) {
    if let Some(p) = input.costs.and_then(|c| c.consumed_percent) {
        return (Some(p), Some(FigureSource::Costs));
    }
    let configured = input.config.program.credits.consumed_percent();
    (configured, configured.map(|_| FigureSource::Config))
}

/// `credits.expires − review_lead_days`, when the config gives the expiry.
pub fn review_date(config: &crate::config::Config) -> Option<Date> {
    let lead = i64::from(config.review_lead_days());
    config
        .program
        .credits
        .expires
        .and_then(|e| add_days(e, -lead))
}

/// `date + days`, `None` when out of range.
pub fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(Span::new().days(days)).ok()
}

/// Whole days from `from` to `to` (negative when `to` is earlier).
pub fn days_between(from: Date, to: Date) -> i64 {
    from.until((jiff::Unit::Day, to))
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
}

fn state(as_of: Date, expires: Option<Date>, days_to_review: Option<i64>) -> TimelineState {
    match (expires, days_to_review) {
        (Some(e), _) if as_of >= e => TimelineState::Expired,
        (Some(_), Some(d)) if d < 0 => TimelineState::ReviewOverdue,
        (Some(_), Some(d)) if d <= APPROACHING_DAYS => TimelineState::ReviewApproaching,
        (Some(_), Some(_)) => TimelineState::OnTrack,
        _ => TimelineState::NotConfigured,
    }
}

/// The reminder thresholds already reached (all of them once the review has passed).
fn reminders_due(days_to_review: Option<i64>) -> Vec<u32> {
    let Some(days) = days_to_review else {
        return Vec::new();
    };
    REMINDER_DAYS
        .iter()
        .copied()
        .filter(|t| days <= i64::from(*t))
        .collect()
}

/// The six partner-program solution areas, each with the deployed services that belong to it.
pub fn solution_areas(input: &AssessmentInput) -> Vec<SolutionAreaStatus> {
    crate::catalog::SOLUTION_AREAS
        .iter()
        .map(|area| {
            let services: BTreeSet<&str> = input
                .inventory
                .billable()
                .filter(|r| r.solution_area.as_deref() == Some(*area))
                .filter_map(|r| r.service.as_deref())
                .collect();
            SolutionAreaStatus {
                name: (*area).to_string(),
                services: services.into_iter().map(str::to_string).collect(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assess::test_support::{config, input, inventory, resource};
    use crate::history::Activity;
    use crate::inventory::Inventory;
    use jiff::civil::date;

    const DATES: &str = "\
program:
  kind: founders-hub
  joined: 2026-06-01
  credits:
    total: 25000
    used: 9000
    expires: 2027-06-01
";

    #[test]
    fn review_is_45_days_before_expiry_by_default() {
        let (inv, act, cfg) = (Inventory::default(), Activity::default(), config(DATES));
        let p = program_status(&input(&inv, &act, &cfg, date(2026, 11, 23)));
        assert_eq!(p.review_date, Some(date(2027, 4, 17)));
        assert_eq!(p.days_to_review, Some(145));
        assert_eq!(p.score_visible_from, Some(date(2026, 8, 30)));
        assert_eq!(p.state, TimelineState::OnTrack);
        assert!(p.reminders_due.is_empty());
        assert_eq!(p.kind.as_deref(), Some("founders-hub"));
        assert_eq!(p.consumed_percent, Some(36.0));
        assert_eq!(p.consumed_source, Some(FigureSource::Config));
    }

    #[test]
    fn the_exports_replace_a_configured_credits_used() {
        let (inv, act, cfg) = (Inventory::default(), Activity::default(), config(DATES));
        let mut costs = crate::assess::spend::test_support::steady_costs();
        costs.consumed_percent = Some(41.3);
        let mut with_costs = input(&inv, &act, &cfg, date(2026, 11, 23));
        with_costs.costs = Some(&costs);
        let p = program_status(&with_costs);
        assert_eq!(p.consumed_percent, Some(41.3));
        assert_eq!(p.consumed_source, Some(FigureSource::Costs));
        // Without credits.total the exports cannot give a share: the configured figure stays.
        let unknown = crate::assess::spend::test_support::steady_costs();
        with_costs.costs = Some(&unknown);
        let p = program_status(&with_costs);
        assert_eq!(
            (p.consumed_percent, p.consumed_source),
            (Some(36.0), Some(FigureSource::Config))
        );
    }

    #[test]
    fn reminders_accumulate_as_the_review_nears() {
        let (inv, act, cfg) = (Inventory::default(), Activity::default(), config(DATES));
        let p = program_status(&input(&inv, &act, &cfg, date(2027, 3, 18)));
        assert_eq!(p.days_to_review, Some(30));
        assert_eq!(p.state, TimelineState::ReviewApproaching);
        assert_eq!(p.reminders_due, vec![90, 60, 45, 30]);
    }

    #[test]
    fn overdue_then_expired() {
        let (inv, act, cfg) = (Inventory::default(), Activity::default(), config(DATES));
        let overdue = program_status(&input(&inv, &act, &cfg, date(2027, 5, 1)));
        assert_eq!(overdue.days_to_review, Some(-14));
        assert_eq!(overdue.state, TimelineState::ReviewOverdue);
        assert_eq!(overdue.reminders_due, REMINDER_DAYS.to_vec());
        let expired = program_status(&input(&inv, &act, &cfg, date(2027, 6, 1)));
        assert_eq!(expired.state, TimelineState::Expired);
    }

    #[test]
    fn custom_lead_days_and_no_dates() {
        let text = "program:\n  credits:\n    expires: 2027-06-01\n  review_lead_days: 30\n";
        let (inv, act, cfg) = (Inventory::default(), Activity::default(), config(text));
        let p = program_status(&input(&inv, &act, &cfg, date(2027, 1, 1)));
        assert_eq!(p.review_date, Some(date(2027, 5, 2)));
        let empty = config("");
        let p = program_status(&input(&inv, &act, &empty, date(2027, 1, 1)));
        assert_eq!(p.state, TimelineState::NotConfigured);
        assert_eq!(
            (p.review_date, p.days_to_review, p.score_visible_from),
            (None, None, None)
        );
    }

    #[test]
    fn partner_program_lists_the_six_solution_areas() {
        let inv = inventory(vec![
            resource(
                "Microsoft.Web/sites",
                "infra/main.bicep",
                3,
                Some("westeurope"),
            ),
            resource(
                "Microsoft.DocumentDB/databaseAccounts",
                "infra/main.bicep",
                9,
                Some("westeurope"),
            ),
        ]);
        let act = Activity::default();
        let cfg = config("program:\n  kind: partner-program\n");
        let p = program_status(&input(&inv, &act, &cfg, date(2027, 1, 1)));
        assert_eq!(p.solution_areas.len(), 6);
        let data = p
            .solution_areas
            .iter()
            .find(|a| a.name == "Data & AI (Azure)");
        assert_eq!(
            data.map(|a| a.services.clone()),
            Some(vec!["Cosmos DB".to_string()])
        );
        let apps = p
            .solution_areas
            .iter()
            .find(|a| a.name == "Digital & App Innovation (Azure)");
        assert_eq!(
            apps.map(|a| a.services.clone()),
            Some(vec!["Azure App Service".to_string()])
        );
        let founders = config(DATES);
        assert!(
            program_status(&input(&inv, &act, &founders, date(2027, 1, 1)))
                .solution_areas
                .is_empty()
        );
    }
}
