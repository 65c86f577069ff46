//! The engagement estimate: three components (breadth, consistency, readiness), each a sum of factors.
//!
//! Every factor is one row of [`FACTORS`]: a measured value turned into points by one of four curves, with the
//! curve's parameters in the table. `docs/scoring.md` prints the same table and a test checks that the two
//! agree, so the published formula is the one the code runs. Each component's factors sum to 100 raw points;
//! the component is then scaled to its share of the configured weights (default 40/40/20). One factor is
//! optional: `spend_steadiness` is measured only when Cost Management exports are given, and then the
//! consistency factors present are scaled together so that the component keeps its weight.

use super::{AssessmentInput, Band, Component, Factor, FigureSource, Score};
use crate::plural::counted;
use std::collections::BTreeSet;

/// How a factor turns its value into a share (0..=1) of its maximum.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Curve {
    /// `1 − e^(−n/a)`: diminishing returns (the tenth service adds less than the second).
    Saturating,
    /// `min(1, n/a)`: full points from `a` on.
    Ratio,
    /// Full points up to `a`, none from `b` on, linear between.
    RampDown,
    /// Full points when done (value 1), none otherwise.
    Done,
}

impl Curve {
    /// The name used in `docs/scoring.md`.
    pub fn as_str(self) -> &'static str {
        match self {
            Curve::Saturating => "saturating",
            Curve::Ratio => "ratio",
            Curve::RampDown => "ramp_down",
            Curve::Done => "done",
        }
    }

    fn share(self, value: f64, a: f64, b: f64) -> f64 {
        if value.is_nan() {
            // Metrics come from another stage; a 0/0 there must not turn the whole score into NaN.
            return 0.0;
        }
        let share = match self {
            Curve::Saturating if a > 0.0 => 1.0 - (-value / a).exp(),
            Curve::Ratio if a > 0.0 => value / a,
            Curve::RampDown if b > a => 1.0 - (value - a) / (b - a),
            Curve::Done => f64::from(u8::from(value >= 1.0)),
            _ => 0.0,
        };
        share.clamp(0.0, 1.0)
    }
}

/// One factor of the score: its component, key, raw maximum (components sum to 100) and curve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FactorSpec {
    /// `breadth`, `consistency` or `readiness`.
    pub component: &'static str,
    /// The factor's key in the breakdown.
    pub key: &'static str,
    /// Raw points possible, before scaling to the component's weight.
    pub max: f64,
    /// How the value becomes points.
    pub curve: Curve,
    /// First curve parameter.
    pub a: f64,
    /// Second curve parameter (`RampDown` only; 0 otherwise).
    pub b: f64,
}

const fn spec(
    component: &'static str,
    key: &'static str,
    max: f64,
    curve: Curve,
    a: f64,
    b: f64,
) -> FactorSpec {
    FactorSpec {
        component,
        key,
        max,
        curve,
        a,
        b,
    }
}

/// Factors measured only when their input is there (cost exports); every other factor is always measured.
pub const OPTIONAL_FACTORS: [&str; 1] = ["spend_steadiness"];

/// Every factor, in breakdown order. `recency`'s `b` is the default of `scoring.stale_weeks`; the configured
/// value replaces it.
pub const FACTORS: [FactorSpec; 17] = [
    spec("breadth", "services", 40.0, Curve::Saturating, 4.0, 0.0),
    spec("breadth", "categories", 20.0, Curve::Saturating, 2.0, 0.0),
    spec(
        "breadth",
        "solution_areas",
        15.0,
        Curve::Saturating,
        1.0,
        0.0,
    ),
    spec("breadth", "regions", 25.0, Curve::Saturating, 1.5, 0.0),
    spec(
        "consistency",
        "active_weeks_13",
        40.0,
        Curve::Ratio,
        10.0,
        0.0,
    ),
    spec(
        "consistency",
        "longest_gap",
        20.0,
        Curve::RampDown,
        1.0,
        8.0,
    ),
    spec(
        "consistency",
        "last_quarter_share",
        10.0,
        Curve::RampDown,
        0.25,
        1.0,
    ),
    spec(
        "consistency",
        "peak_to_median",
        10.0,
        Curve::RampDown,
        2.0,
        10.0,
    ),
    spec("consistency", "recency", 20.0, Curve::RampDown, 1.0, 6.0),
    spec(
        "consistency",
        "spend_steadiness",
        20.0,
        Curve::Ratio,
        0.8,
        0.0,
    ),
    spec("readiness", "verified_domain", 10.0, Curve::Done, 0.0, 0.0),
    spec("readiness", "team_members", 10.0, Curve::Done, 0.0, 0.0),
    spec("readiness", "demo_video", 10.0, Curve::Done, 0.0, 0.0),
    spec("readiness", "funding", 10.0, Curve::Done, 0.0, 0.0),
    spec("readiness", "traction", 10.0, Curve::Done, 0.0, 0.0),
    spec("readiness", "press", 10.0, Curve::Done, 0.0, 0.0),
    spec(
        "readiness",
        "credits_consumed",
        40.0,
        Curve::Ratio,
        50.0,
        0.0,
    ),
];

/// Scores from this on are `moderate`.
pub const MODERATE_FROM: u32 = 50;
/// Scores from this on are `strong`.
pub const STRONG_FROM: u32 = 75;
/// Days after `joined` before the program shows a score.
pub const SCORE_VISIBLE_AFTER_DAYS: i64 = 90;

/// A measured value for one factor, before points.
struct Measure {
    key: &'static str,
    label: String,
    value: f64,
    source: FigureSource,
    /// `false` when there is nothing to measure (no activity): no points whatever the curve says.
    earns: bool,
}

fn measure(key: &'static str, label: String, value: f64, source: FigureSource) -> Measure {
    Measure {
        key,
        label,
        value,
        source,
        earns: true,
    }
}

/// A measured value that earns no points (the empty-window rule).
fn idle(m: Measure) -> Measure {
    Measure { earns: false, ..m }
}

fn nothing(key: &'static str, label: &str, source: FigureSource) -> Measure {
    Measure {
        earns: false,
        ..measure(key, label.to_string(), 0.0, source)
    }
}

/// Compute the score.
pub fn score(input: &AssessmentInput) -> Score {
    let w = &input.config.scoring.weights;
    let sum = w.breadth + w.consistency + w.readiness;
    let scale = |weight: f64| if sum > 0.0 { weight / sum * 100.0 } else { 0.0 };
    let breadth = component(input, "breadth", breadth_measures(input), scale(w.breadth));
    let consistency = component(
        input,
        "consistency",
        consistency_measures(input),
        scale(w.consistency),
    );
    let readiness = component(
        input,
        "readiness",
        readiness_measures(input),
        scale(w.readiness),
    );
    let raw = breadth.points + consistency.points + readiness.points;
    let total = raw.round().clamp(0.0, 100.0) as u32;
    Score {
        total,
        band: band(input, total),
        breadth,
        consistency,
        readiness,
    }
}

/// The band for `total` on `as_of`.
fn band(input: &AssessmentInput, total: u32) -> Band {
    let visible_from = input.config.program.joined.and_then(|j| {
        j.checked_add(jiff::Span::new().days(SCORE_VISIBLE_AFTER_DAYS))
            .ok()
    });
    match visible_from {
        Some(from) if input.as_of < from => Band::NotScoredYet,
        _ if total >= STRONG_FROM => Band::Strong,
        _ if total >= MODERATE_FROM => Band::Moderate,
        _ => Band::NeedsImprovement,
    }
}

fn component(
    input: &AssessmentInput,
    name: &str,
    measures: Vec<Measure>,
    weight: f64,
) -> Component {
    let spec_of = |key: &str| FACTORS.iter().find(|s| s.component == name && s.key == key);
    // The raw maxima of the factors measured: 100, or more when an optional factor is present.
    let raw_total: f64 = measures
        .iter()
        .filter_map(|m| spec_of(m.key))
        .map(|s| s.max)
        .sum();
    let factors: Vec<Factor> = measures
        .into_iter()
        .filter_map(|m| {
            let spec = spec_of(m.key)?;
            let b = if spec.key == "recency" {
                f64::from(input.config.stale_weeks())
            } else {
                spec.b
            };
            let max = if raw_total > 0.0 {
                spec.max * weight / raw_total
            } else {
                0.0
            };
            let share = if m.earns {
                spec.curve.share(m.value, spec.a, b)
            } else {
                0.0
            };
            Some(Factor {
                key: m.key.to_string(),
                label: m.label,
                value: if m.value.is_finite() {
                    round2(m.value)
                } else {
                    0.0
                },
                points: round2(max * share),
                max: round2(max),
                source: m.source,
            })
        })
        .collect();
    Component {
        points: round2(factors.iter().map(|f| f.points).sum()),
        max: round2(weight),
        factors,
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn breadth_measures(input: &AssessmentInput) -> Vec<Measure> {
    let mut services = BTreeSet::new();
    let mut categories = BTreeSet::new();
    let mut areas = BTreeSet::new();
    let mut regions = BTreeSet::new();
    for r in input.inventory.billable() {
        services.extend(r.service.as_deref());
        categories.extend(r.category.as_deref());
        areas.extend(r.solution_area.as_deref());
    }
    for r in input.inventory.deployed() {
        let physical = r.location.as_deref().and_then(crate::catalog::region);
        regions.extend(physical.filter(|reg| reg.physical).map(|reg| reg.name));
    }
    let count = |n: usize| n as f64;
    let iac = FigureSource::Iac;
    vec![
        measure(
            "services",
            counted(services.len(), "service", "services (diminishing returns)"),
            count(services.len()),
            iac,
        ),
        measure(
            "categories",
            counted(categories.len(), "service category", "service categories"),
            count(categories.len()),
            iac,
        ),
        measure(
            "solution_areas",
            counted(areas.len(), "solution area", "solution areas"),
            count(areas.len()),
            iac,
        ),
        measure(
            "regions",
            counted(regions.len(), "region", "regions"),
            count(regions.len()),
            iac,
        ),
    ]
}

fn consistency_measures(input: &AssessmentInput) -> Vec<Measure> {
    let mut measures = activity_measures(input);
    if let Some(costs) = input.costs.filter(|c| !c.weekly.is_empty()) {
        let spend = super::spend::metrics(costs);
        measures.push(measure(
            "spend_steadiness",
            format!(
                "{} of the last {} weeks of spend near the median week",
                spend.steady_weeks, spend.window
            ),
            spend.steady_share,
            FigureSource::Costs,
        ));
    }
    measures
}

/// The consistency factors measured from IaC commits and deployments.
fn activity_measures(input: &AssessmentInput) -> Vec<Measure> {
    let m = &input.activity.metrics;
    let src = FigureSource::Activity;
    let Some(since_last) = m.weeks_since_last_activity else {
        // No activity at all: nothing to measure, so no factor earns points (a gap of 0 would otherwise score).
        return vec![
            nothing("active_weeks_13", "active weeks: no activity found", src),
            nothing("longest_gap", "gaps: no activity to measure", src),
            nothing(
                "last_quarter_share",
                "late spike: no activity to measure",
                src,
            ),
            nothing(
                "peak_to_median",
                "busiest week: no activity to measure",
                src,
            ),
            nothing("recency", "recency: no activity found", src),
        ];
    };
    let gap = format!(
        "longest gap {}",
        counted(m.longest_gap as usize, "week", "weeks")
    );
    let recency = format!(
        "{} since the last activity",
        counted(since_last as usize, "week", "weeks")
    );
    if m.active_weeks_13 == 0 {
        // Nothing in the last 13 weeks: there is no rhythm to call steady, so no factor measured from activity
        // earns points (a quiet window would otherwise look "even" and "without a spike").
        let quiet = "no activity in the last 13 weeks";
        return vec![
            idle(measure(
                "active_weeks_13",
                "0 of the last 13 weeks active".to_string(),
                0.0,
                src,
            )),
            idle(measure("longest_gap", gap, f64::from(m.longest_gap), src)),
            idle(measure(
                "last_quarter_share",
                format!("late spike: {quiet}"),
                m.last_quarter_share,
                src,
            )),
            idle(measure(
                "peak_to_median",
                format!("busiest week: {quiet}"),
                m.peak_to_median,
                src,
            )),
            idle(measure("recency", recency, f64::from(since_last), src)),
        ];
    }
    vec![
        measure(
            "active_weeks_13",
            format!("{} of the last 13 weeks active", m.active_weeks_13),
            f64::from(m.active_weeks_13),
            src,
        ),
        measure("longest_gap", gap, f64::from(m.longest_gap), src),
        measure(
            "last_quarter_share",
            format!(
                "{:.0}% of activity in the last quarter of the window",
                m.last_quarter_share * 100.0
            ),
            m.last_quarter_share,
            src,
        ),
        measure(
            "peak_to_median",
            format!("busiest week {:.1}× the median week", m.peak_to_median),
            m.peak_to_median,
            src,
        ),
        measure("recency", recency, f64::from(since_last), src),
    ]
}

fn readiness_measures(input: &AssessmentInput) -> Vec<Measure> {
    let c = &input.config;
    let cfg = FigureSource::Config;
    let done = |b: bool| f64::from(u8::from(b));
    let filled = |s: &Option<String>| s.as_deref().is_some_and(|s| !s.trim().is_empty());
    let verified = c.checklist.verified_domain == Some(true);
    let team = c.checklist.team_members.unwrap_or(0);
    let press = c
        .evidence
        .press
        .iter()
        .filter(|p| !p.trim().is_empty())
        .count();
    let (consumed, consumed_source) = super::timeline::consumed(input);
    let from_costs = consumed_source == Some(FigureSource::Costs);
    vec![
        measure(
            "verified_domain",
            yes_no("verified email/domain", verified),
            done(verified),
            cfg,
        ),
        measure(
            "team_members",
            format!(
                "{} added",
                counted(team as usize, "team member", "team members")
            ),
            done(team >= 1),
            cfg,
        ),
        measure(
            "demo_video",
            yes_no("demo video", filled(&c.checklist.demo_video)),
            done(filled(&c.checklist.demo_video)),
            cfg,
        ),
        measure(
            "funding",
            yes_no("funding evidence", filled(&c.evidence.funding)),
            done(filled(&c.evidence.funding)),
            cfg,
        ),
        measure(
            "traction",
            yes_no("traction metrics", filled(&c.evidence.traction)),
            done(filled(&c.evidence.traction)),
            cfg,
        ),
        measure(
            "press",
            counted(press, "press link", "press links"),
            done(press >= 1),
            cfg,
        ),
        measure(
            "credits_consumed",
            match consumed {
                Some(p) if from_costs => {
                    format!("{p:.0}% of credits consumed, from the cost exports (goal 50%)")
                }
                Some(p) => format!("{p:.0}% of credits consumed (goal 50%)"),
                None => "credits consumed not configured".to_string(),
            },
            consumed.unwrap_or(0.0),
            consumed_source.unwrap_or(cfg),
        ),
    ]
}

fn yes_no(what: &str, done: bool) -> String {
    format!("{what}: {}", if done { "yes" } else { "missing" })
}

#[cfg(test)]
#[path = "score_tests.rs"]
mod tests;
