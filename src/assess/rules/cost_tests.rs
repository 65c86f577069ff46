//! The rules that read Cost Management exports: `spend-spike`, `unmanaged-resources`, and the spend-aware parts
//! of `credits-underused` and `irregular-cadence`. Each fires on a realistic bill and stays quiet on a healthy one.

use super::*;
use crate::assess::FigureSource;
use crate::assess::spend::test_support::{costs_weekly, steady_costs};
use crate::assess::test_support::{activity, config, input, inventory, resource, steady};
use crate::costs::CostsSummary;
use crate::history::Activity;
use crate::inventory::Inventory;
use jiff::civil::{Date, date};

const AS_OF: Date = date(2026, 11, 23);

/// Joined in January, 25k credits expiring 2027-06-01: the review is on 2027-04-17.
const PROGRAM: &str = "program:\n  kind: founders-hub\n  joined: 2026-01-05\n  credits:\n    total: 25000\n    used: 17500\n    expires: 2027-06-01\n";

fn app() -> Inventory {
    inventory(vec![
        resource(
            "Microsoft.Web/sites",
            "infra/main.bicep",
            12,
            Some("westeurope"),
        ),
        resource(
            "Microsoft.DocumentDB/databaseAccounts",
            "infra/main.bicep",
            40,
            Some("westeurope"),
        ),
    ])
}

fn run(
    name: &str,
    costs: Option<&CostsSummary>,
    act: &Activity,
    cfg_text: &str,
) -> Vec<Suggestion> {
    let (inv, cfg) = (app(), config(cfg_text));
    let rule = find(name).unwrap_or_else(|| panic!("no rule {name}"));
    let mut i = input(&inv, act, &cfg, AS_OF);
    i.costs = costs;
    let found = (rule.check)(&i);
    for s in &found {
        assert_eq!((s.id.as_str(), s.rule.as_str()), (rule.id, rule.name));
    }
    found
}

fn late_burst() -> CostsSummary {
    let mut amounts = vec![50; 16];
    amounts.extend([900, 1200, 1500, 1400]);
    costs_weekly(date(2026, 7, 6), &amounts)
}

#[test]
fn spend_spike_fires_on_a_late_burst() {
    let act = activity(steady(), vec![]);
    let found = run("spend-spike", Some(&late_burst()), &act, PROGRAM);
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .detail
            .starts_with("86% of the spend over 20 weeks fell in the last 4 weeks"),
        "{}",
        found[0].detail
    );
    assert_eq!(found[0].severity, RuleSeverity::Warning);
}

#[test]
fn spend_spike_fires_on_one_expensive_week() {
    let mut amounts = vec![400; 20];
    amounts[9] = 2100; // a load test left running in mid-September
    let costs = costs_weekly(date(2026, 7, 6), &amounts);
    let found = run(
        "spend-spike",
        Some(&costs),
        &activity(steady(), vec![]),
        PROGRAM,
    );
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains(
            "The week of 2026-09-07 cost 2100.00 EUR, 5.2× the median week over 20 weeks"
        ),
        "{}",
        found[0].detail
    );
}

#[test]
fn spend_spike_stays_quiet_on_steady_short_or_missing_exports() {
    let act = activity(steady(), vec![]);
    assert!(run("spend-spike", Some(&steady_costs()), &act, PROGRAM).is_empty());
    // Six weeks of exports: everything is "the last weeks"; too short to judge.
    let short = costs_weekly(date(2026, 10, 12), &[0, 0, 0, 100, 900, 1200]);
    assert!(run("spend-spike", Some(&short), &act, PROGRAM).is_empty());
    assert!(run("spend-spike", None, &act, PROGRAM).is_empty());
    // 4× exactly is not over 4×.
    let mut amounts = vec![400; 12];
    amounts[3] = 1600;
    let at_limit = costs_weekly(date(2026, 8, 31), &amounts);
    assert!(run("spend-spike", Some(&at_limit), &act, PROGRAM).is_empty());
}

#[test]
fn unmanaged_resources_names_the_billed_services() {
    let act = activity(steady(), vec![]);
    let mut costs = steady_costs();
    costs.billed_not_in_iac = vec!["Azure Cache for Redis".into()];
    let found = run("unmanaged-resources", Some(&costs), &act, PROGRAM);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.starts_with(
            "Azure Cache for Redis is billed in the last 28 days of the cost exports but not declared in the IaC: import it"
        ),
        "{}",
        found[0].detail
    );
    costs.billed_not_in_iac = vec![
        "Azure Cache for Redis".into(),
        "Azure Front Door Service".into(),
        "Virtual Machines".into(),
    ];
    let found = run("unmanaged-resources", Some(&costs), &act, PROGRAM);
    assert!(
        found[0].detail.starts_with(
            "Azure Cache for Redis, Azure Front Door Service and Virtual Machines are billed"
        ),
        "{}",
        found[0].detail
    );
    assert!(found[0].detail.contains("import them"));
}

#[test]
fn unmanaged_resources_stays_quiet_when_everything_is_declared() {
    let act = activity(steady(), vec![]);
    assert!(run("unmanaged-resources", Some(&steady_costs()), &act, PROGRAM).is_empty());
    assert!(run("unmanaged-resources", None, &act, PROGRAM).is_empty());
}

#[test]
fn credits_underused_reads_the_projection_from_the_exports() {
    let act = activity(steady(), vec![]);
    // The config says 70% (used: 17500) but the bill says 30%, and the pace reaches 41% by the review.
    let mut costs = steady_costs();
    costs.consumed_percent = Some(30.2);
    costs.projected_percent_at_review = Some(41.4);
    let found = run("credits-underused", Some(&costs), &act, PROGRAM);
    assert_eq!(found.len(), 1, "the bill replaces credits.used");
    assert_eq!(
        found[0].detail,
        "The cost exports show 30% of the credits consumed; at the pace of the last 28 days that is 41% by the \
         review on 2027-04-17, short of the 50% the next tier needs."
    );
    assert_eq!(
        (found[0].file.as_deref(), found[0].line),
        (Some(".github/azengage.yml"), Some(5)),
        "points at program.credits.total"
    );
    // 30% consumed while 63% of the period passed, but the pace reaches 55%: quiet.
    costs.projected_percent_at_review = Some(55.0);
    assert!(run("credits-underused", Some(&costs), &act, PROGRAM).is_empty());
    // Without a review date there is no projection: the calendar rule applies to the exports' figure.
    costs.projected_percent_at_review = None;
    let no_dates = "program:\n  joined: 2026-01-05\n  credits:\n    total: 25000\n";
    let found = run("credits-underused", Some(&costs), &act, no_dates);
    assert!(
        found.is_empty(),
        "no expiry: no credit period to compare with"
    );
}

#[test]
fn irregular_cadence_is_quiet_when_the_spend_is_steady() {
    let mut bursty = steady();
    bursty.peak_to_median = 6.0;
    let act = activity(bursty, vec![]);
    assert_eq!(run("irregular-cadence", None, &act, PROGRAM).len(), 1);
    assert!(
        run("irregular-cadence", Some(&steady_costs()), &act, PROGRAM).is_empty(),
        "steady spend: the usage the review sees is steady"
    );
    let found = run("irregular-cadence", Some(&late_burst()), &act, PROGRAM);
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.ends_with(
            "Weekly spend is uneven too: 9 of the last 13 weeks of the cost exports are near the median week."
        ),
        "{}",
        found[0].detail
    );
}

#[test]
fn assess_with_exports_takes_consumption_from_the_bill() {
    let (inv, act, cfg) = (app(), activity(steady(), vec![]), config(PROGRAM));
    let mut costs = late_burst();
    costs.consumed_percent = Some(30.2);
    costs.projected_percent_at_review = Some(41.4);
    costs.billed_not_in_iac = vec!["Azure Cache for Redis".into()];
    let mut i = input(&inv, &act, &cfg, AS_OF);
    i.costs = Some(&costs);
    let a = crate::assess::assess(&i);
    assert_eq!(a.program.consumed_percent, Some(30.2));
    assert_eq!(a.program.consumed_source, Some(FigureSource::Costs));
    let ids: Vec<&str> = a.suggestions.iter().map(|s| s.id.as_str()).collect();
    for id in ["AZE012", "AZE016", "AZE017"] {
        assert!(ids.contains(&id), "{id} in {ids:?}");
    }
}
