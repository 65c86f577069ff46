use super::*;
use crate::assess::test_support::{activity, config, input, inventory, resource, steady};
use crate::history::{Activity, CadenceMetrics};
use crate::inventory::Inventory;
use jiff::civil::{Date, date};

const AS_OF: Date = date(2026, 11, 23);

const READY: &str = "\
program:
  kind: founders-hub
  joined: 2026-01-05
  credits:
    total: 25000
    used: 12500
    expires: 2027-06-01
checklist:
  verified_domain: true
  team_members: 2
  demo_video: https://example.com/demo
evidence:
  funding: https://example.com/seed
  traction: 1200 MAU
  press: [https://example.com/article]
";

/// A production-like app: ten services over three regions.
fn broad() -> Inventory {
    let types = [
        ("Microsoft.Web/serverFarms", "westeurope"),
        ("Microsoft.Web/sites", "westeurope"),
        ("Microsoft.DocumentDB/databaseAccounts", "westeurope"),
        ("Microsoft.Storage/storageAccounts", "northeurope"),
        ("Microsoft.KeyVault/vaults", "westeurope"),
        ("Microsoft.OperationalInsights/workspaces", "westeurope"),
        ("Microsoft.Network/virtualNetworks", "westeurope"),
        ("Microsoft.ContainerRegistry/registries", "westeurope"),
        ("Microsoft.App/containerApps", "swedencentral"),
        ("Microsoft.Cache/redis", "westeurope"),
        ("Microsoft.Sql/servers", "westeurope"),
        ("Microsoft.CognitiveServices/accounts", "swedencentral"),
    ];
    inventory(
        types
            .iter()
            .enumerate()
            .map(|(i, (t, l))| resource(t, "infra/main.bicep", 10 * i as u32 + 1, Some(l)))
            .collect(),
    )
}

/// A small app: two services in one region.
fn small() -> Inventory {
    inventory(vec![
        resource(
            "Microsoft.Web/sites",
            "infra/main.tf",
            12,
            Some("westeurope"),
        ),
        resource(
            "Microsoft.Storage/storageAccounts",
            "infra/main.tf",
            30,
            Some("westeurope"),
        ),
    ])
}

fn factor<'a>(c: &'a Component, key: &str) -> &'a Factor {
    c.factors
        .iter()
        .find(|f| f.key == key)
        .unwrap_or_else(|| panic!("no factor {key}"))
}

#[test]
fn broad_steady_and_ready_is_strong() {
    let (inv, act, cfg) = (broad(), activity(steady(), vec![]), config(READY));
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(s.band, Band::Strong, "{s:#?}");
    assert!(s.total >= 90, "{}", s.total);
    assert_eq!(factor(&s.breadth, "regions").value, 3.0);
    assert_eq!(s.readiness.points, 20.0);
    assert_eq!(s.readiness.max, 20.0);
    assert_eq!(factor(&s.readiness, "credits_consumed").value, 50.0);
    assert_eq!(
        factor(&s.readiness, "credits_consumed").source,
        FigureSource::Config
    );
    assert_eq!(factor(&s.breadth, "services").source, FigureSource::Iac);
    assert_eq!(
        factor(&s.consistency, "recency").source,
        FigureSource::Activity
    );
}

#[test]
fn small_but_steady_is_moderate() {
    let (inv, act, cfg) = (small(), activity(steady(), vec![]), config(""));
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(s.band, Band::Moderate, "{s:#?}");
    // breadth 53.52 raw × 0.4 = 21.41, consistency 99.73 × 0.4 = 39.89
    assert_eq!(s.total, 61);
    assert_eq!(factor(&s.breadth, "services").value, 2.0);
    // 40 × (1 − e^(−2/4)) = 15.74 raw, × 0.4 = 6.30
    assert_eq!(factor(&s.breadth, "services").points, 6.3);
    assert_eq!(s.readiness.points, 0.0);
}

#[test]
fn small_and_idle_needs_improvement() {
    let (inv, act, cfg) = (small(), Activity::default(), config(""));
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(s.band, Band::NeedsImprovement);
    assert_eq!(
        s.consistency.points, 0.0,
        "no activity earns no consistency points"
    );
    assert_eq!(s.total, 21);
}

#[test]
fn before_day_90_the_band_is_not_scored_yet_but_the_total_is_computed() {
    let cfg = config("program:\n  joined: 2026-09-01\n");
    let (inv, act) = (broad(), activity(steady(), vec![]));
    let early = score(&input(&inv, &act, &cfg, date(2026, 11, 29)));
    assert_eq!(early.band, Band::NotScoredYet);
    assert!(early.total > 50);
    let visible = score(&input(&inv, &act, &cfg, date(2026, 11, 30)));
    assert_ne!(visible.band, Band::NotScoredYet);
}

#[test]
fn breadth_has_diminishing_returns() {
    let spec = FACTORS[0];
    let gain = |n: f64| {
        spec.max * (spec.curve.share(n, spec.a, spec.b) - spec.curve.share(n - 1.0, spec.a, spec.b))
    };
    assert!(gain(10.0) < gain(2.0));
    assert!(gain(2.0) < gain(1.0));
    assert!(spec.curve.share(100.0, spec.a, spec.b) <= 1.0);
}

#[test]
fn a_late_spike_scores_lower_than_steady_activity() {
    let spike = CadenceMetrics {
        weeks: 26,
        active_weeks_13: 3,
        current_streak: 3,
        longest_gap: 20,
        weeks_since_last_activity: Some(0),
        median_days_between_deployments: None,
        last_quarter_share: 0.9,
        peak_to_median: 12.0,
    };
    let (inv, cfg) = (small(), config(""));
    let (steady_act, spike_act) = (activity(steady(), vec![]), activity(spike, vec![]));
    let steady_score = score(&input(&inv, &steady_act, &cfg, AS_OF));
    let spike_score = score(&input(&inv, &spike_act, &cfg, AS_OF));
    assert!(spike_score.consistency.points < steady_score.consistency.points / 2.0);
    assert_eq!(
        factor(&spike_score.consistency, "peak_to_median").points,
        0.0
    );
    assert_eq!(factor(&spike_score.consistency, "longest_gap").points, 0.0);
}

#[test]
fn stale_weeks_sets_the_recency_ramp() {
    let mut m = steady();
    m.weeks_since_last_activity = Some(5);
    let act = activity(m, vec![]);
    let inv = small();
    let (default, longer) = (config(""), config("scoring:\n  stale_weeks: 11\n"));
    let r6 = factor(
        &score(&input(&inv, &act, &default, AS_OF)).consistency,
        "recency",
    )
    .points;
    let r11 = factor(
        &score(&input(&inv, &act, &longer, AS_OF)).consistency,
        "recency",
    )
    .points;
    // (1 − (5 − 1)/(6 − 1)) × 20 × 0.4 = 1.6; (1 − 4/10) × 8 = 4.8
    assert_eq!((r6, r11), (1.6, 4.8));
}

#[test]
fn weights_rescale_components() {
    let (inv, act) = (small(), activity(steady(), vec![]));
    let cfg = config("scoring:\n  weights: { breadth: 1, consistency: 1, readiness: 0 }\n");
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(
        (s.breadth.max, s.consistency.max, s.readiness.max),
        (50.0, 50.0, 0.0)
    );
    let sum: f64 = s.breadth.factors.iter().map(|f| f.max).sum();
    assert!((sum - 50.0).abs() < 0.05);
}

#[test]
fn each_component_has_100_raw_points() {
    for c in ["breadth", "consistency", "readiness"] {
        let total: f64 = FACTORS
            .iter()
            .filter(|f| f.component == c && !OPTIONAL_FACTORS.contains(&f.key))
            .map(|f| f.max)
            .sum();
        assert_eq!(total, 100.0, "{c}");
    }
}

#[test]
fn existing_references_and_logical_locations_do_not_count() {
    let mut vault = resource(
        "Microsoft.KeyVault/vaults",
        "infra/main.bicep",
        3,
        Some("westeurope"),
    );
    vault.existing = true;
    let inv = inventory(vec![
        vault,
        resource(
            "Microsoft.Network/frontDoors",
            "infra/main.bicep",
            9,
            Some("global"),
        ),
        resource(
            "Microsoft.Web/sites",
            "infra/main.bicep",
            20,
            Some("westeurope"),
        ),
    ]);
    let (act, cfg) = (Activity::default(), config(""));
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(factor(&s.breadth, "services").value, 2.0);
    assert_eq!(factor(&s.breadth, "regions").value, 1.0);
}

/// The factor table in docs/scoring.md is the one the code runs.
#[test]
fn doc_table_matches_code() {
    let doc = include_str!("../../docs/scoring.md");
    let rows: Vec<Vec<&str>> = doc
        .lines()
        .filter(|l| {
            l.starts_with("| breadth |")
                || l.starts_with("| consistency |")
                || l.starts_with("| readiness |")
        })
        .map(|l| {
            l.trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect::<Vec<_>>()
        })
        .filter(|cells| cells.len() == 6)
        .collect();
    assert_eq!(rows.len(), FACTORS.len(), "one doc row per factor");
    for (row, spec) in rows.iter().zip(FACTORS.iter()) {
        let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        assert_eq!(row[0], spec.component);
        assert_eq!(row[1], spec.key);
        assert_eq!(num(row[2]), spec.max, "{}", spec.key);
        assert_eq!(row[3], spec.curve.as_str(), "{}", spec.key);
        assert_eq!((num(row[4]), num(row[5])), (spec.a, spec.b), "{}", spec.key);
    }
    let weights = crate::config::Weights::default();
    for (name, w) in [
        ("breadth", weights.breadth),
        ("consistency", weights.consistency),
        ("readiness", weights.readiness),
    ] {
        assert!(
            doc.contains(&format!("| {name} | {w} |")),
            "default weight of {name}"
        );
    }
    assert!(doc.contains(&format!("total < {MODERATE_FROM}")));
    assert!(doc.contains(&format!("total ≥ {STRONG_FROM}")));
    let recency = FACTORS.iter().find(|f| f.key == "recency").map(|f| f.b);
    assert_eq!(recency, Some(f64::from(crate::config::DEFAULT_STALE_WEEKS)));
}

#[test]
fn nan_metrics_earn_nothing_and_serialize_as_numbers() {
    let mut m = steady();
    m.last_quarter_share = f64::NAN;
    m.peak_to_median = f64::INFINITY;
    let (inv, act, cfg) = (small(), activity(m, vec![]), config(""));
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(factor(&s.consistency, "last_quarter_share").points, 0.0);
    assert_eq!(factor(&s.consistency, "peak_to_median").points, 0.0);
    assert!(s.consistency.points.is_finite());
    let json = serde_json::to_value(&s).unwrap_or_default();
    assert!(
        json["consistency"]["factors"]
            .as_array()
            .is_some_and(|f| f.iter().all(|f| f["value"].is_number()))
    );
}

#[test]
fn cost_exports_add_spend_steadiness_and_keep_the_component_weight() {
    use crate::assess::spend::test_support::{costs_weekly, steady_costs};
    let (inv, act, cfg) = (small(), activity(steady(), vec![]), config(READY));
    let without = score(&input(&inv, &act, &cfg, AS_OF));
    assert!(
        without
            .consistency
            .factors
            .iter()
            .all(|f| f.key != "spend_steadiness")
    );
    let costs = steady_costs();
    let mut with_input = input(&inv, &act, &cfg, AS_OF);
    with_input.costs = Some(&costs);
    let with = score(&with_input);
    let spend = factor(&with.consistency, "spend_steadiness");
    assert_eq!(spend.source, FigureSource::Costs);
    assert_eq!(spend.value, 1.0);
    // 20 of 120 raw points, scaled to the component's 40: 6.67.
    assert_eq!(spend.max, 6.67);
    let maxima: f64 = with.consistency.factors.iter().map(|f| f.max).sum();
    assert!((maxima - 40.0).abs() < 0.05, "{maxima}");
    // A late burst of spend earns fewer points than steady spend.
    let mut amounts = vec![50; 16];
    amounts.extend([900, 1200, 1500, 1400]);
    let bursty = costs_weekly(date(2026, 7, 6), &amounts);
    with_input.costs = Some(&bursty);
    let burst = score(&with_input);
    let burst_spend = factor(&burst.consistency, "spend_steadiness");
    assert_eq!(burst_spend.value, 0.69);
    assert!(burst_spend.points < spend.points);
    assert!(burst.consistency.points < with.consistency.points);
}

#[test]
fn credits_consumed_comes_from_the_exports_when_they_give_it() {
    let (inv, act, cfg) = (small(), activity(steady(), vec![]), config(READY));
    let mut costs = crate::assess::spend::test_support::steady_costs();
    costs.consumed_percent = Some(25.0);
    let mut i = input(&inv, &act, &cfg, AS_OF);
    i.costs = Some(&costs);
    let s = score(&i);
    let consumed = factor(&s.readiness, "credits_consumed");
    assert_eq!(consumed.value, 25.0, "the bill replaces used: 12500");
    assert_eq!(consumed.source, FigureSource::Costs);
    assert!(
        consumed.label.contains("from the cost exports"),
        "{}",
        consumed.label
    );
    // Half of the 50% goal: half of the factor's 8 points.
    assert_eq!(consumed.points, 4.0);
    assert_eq!(factor(&s.readiness, "funding").source, FigureSource::Config);
}

#[test]
fn an_empty_last_quarter_earns_no_consistency_at_all() {
    // One IaC commit 85 weeks before as_of and nothing since: the measured window is long and "even", but
    // the last 13 weeks are empty, so no factor measured from activity earns a point.
    let old = crate::history::week_start(date(2025, 4, 7));
    let weekly = vec![crate::history::WeekActivity {
        week_start: old,
        iac_commits: 1,
        deployments: 0,
        services_touched: vec![],
        regions_touched: vec![],
    }];
    let metrics = crate::history::cadence::metrics(&weekly, &[], AS_OF);
    assert_eq!(metrics.active_weeks_13, 0);
    assert!(metrics.weeks_since_last_activity.is_some());
    let (inv, cfg) = (small(), config("scoring:\n  stale_weeks: 200\n"));
    let act = activity(metrics, vec![]);
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert_eq!(s.consistency.points, 0.0, "{:#?}", s.consistency);
    for f in &s.consistency.factors {
        assert_eq!(f.points, 0.0, "{} earns nothing", f.key);
    }
    assert_eq!(
        factor(&s.consistency, "peak_to_median").label,
        "busiest week: no activity in the last 13 weeks"
    );
    assert_eq!(
        factor(&s.consistency, "last_quarter_share").label,
        "late spike: no activity in the last 13 weeks"
    );
    assert_eq!(
        factor(&s.consistency, "recency").label,
        "85 weeks since the last activity"
    );
    // One active week in the last 13 is enough to be measured again.
    let mut recent = weekly.clone();
    recent.push(crate::history::WeekActivity {
        week_start: crate::history::week_start(AS_OF),
        iac_commits: 0,
        deployments: 1,
        services_touched: vec![],
        regions_touched: vec![],
    });
    let metrics = crate::history::cadence::metrics(&recent, &[AS_OF], AS_OF);
    let act = activity(metrics, vec![]);
    let s = score(&input(&inv, &act, &cfg, AS_OF));
    assert!(s.consistency.points > 0.0);
}
