//! The "Usage" section of the Markdown report, from Cost Management exports (`scan --costs`).
//!
//! What a CTO reads first is the projection sentence (where consumption will stand on the review date); then a
//! Mermaid `xychart-beta` of weekly spend (bars) with the IaC cadence beside it (a line scaled to the bars);
//! then the services billed but not declared, and the top services and regions. The heading, totals and chart
//! are bounded (at most 26 weeks, at most [`MAX_NAMED`] names inline) and always kept; the two tables are
//! capped parts that [`super::fit`] cuts when the body would pass GitHub's limit. Names come from the export
//! (anyone who can write a tag or a resource name can influence them), so they are escaped like repository text.

use super::escape::{cell, escape_md};
use super::fit::{Part, Section};
use super::short_date;
use crate::costs::{CostsSummary, Money};
use crate::report::costs::projection_sentence;
use crate::scan::ScanReport;
use rust_decimal::prelude::ToPrimitive;

/// Weeks of spend in the chart, at most.
const CHART_WEEKS: usize = 26;
/// Rows of the services and regions tables.
const TOP_ROWS: usize = 10;
/// Billed-but-not-declared services named inline before "and N more".
const MAX_NAMED: usize = 10;

/// The usage parts, in document order; empty without exports.
pub fn usage(r: &ScanReport) -> Vec<Part> {
    let Some(c) = &r.costs else {
        return Vec::new();
    };
    let mut parts = vec![Part::Fixed(summary(r, c))];
    if !c.by_service.is_empty() {
        parts.push(Part::Capped {
            priority: 2,
            section: services(c),
        });
    }
    if !c.by_region.is_empty() {
        parts.push(Part::Capped {
            priority: 2,
            section: regions(c),
        });
    }
    parts
}

/// The billing currency as a chart label: letters and digits only (it is written inside a code block).
fn currency(c: &CostsSummary) -> String {
    c.currency
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect()
}

fn summary(r: &ScanReport, c: &CostsSummary) -> String {
    let mut s = String::from("### Usage\n\n");
    if let Some(sentence) = projection_sentence(c, r.program.review_date) {
        s.push_str(&format!("**{sentence}**\n\n"));
    }
    let period = match (c.first_day, c.last_day) {
        (Some(a), Some(b)) => format!("from {a} to {b}"),
        _ => "no counted rows".to_string(),
    };
    let consumed = c
        .consumed_percent
        .map(|p| format!(": {p:.1}% of the credits"))
        .unwrap_or_default();
    s.push_str(&format!(
        "**{} {}** billed {period}{consumed} (Cost Management exports, {} schema, {} rows in {} file{}).\n\n",
        c.total,
        escape_md(&currency(c)),
        c.schema.as_str(),
        c.rows,
        c.files,
        if c.files == 1 { "" } else { "s" }
    ));
    s.push_str(&chart(r, c));
    if !c.billed_not_in_iac.is_empty() {
        let them = if c.billed_not_in_iac.len() == 1 {
            "it"
        } else {
            "them"
        };
        s.push_str(&format!(
            "**Billed but not in the IaC** (last 28 days): {}. Import {them} into the infrastructure code \
             (rule AZE017).\n\n",
            named(&c.billed_not_in_iac)
        ));
    }
    if !c.in_iac_not_billed.is_empty() {
        s.push_str(&format!(
            "Declared but not billed in the last 28 days: {}.\n\n",
            named(&c.in_iac_not_billed)
        ));
    }
    s
}

/// Up to [`MAX_NAMED`] names, escaped, then "and N more".
fn named(names: &[String]) -> String {
    let shown: Vec<String> = names.iter().take(MAX_NAMED).map(|n| cell(n)).collect();
    let more = names.len().saturating_sub(MAX_NAMED);
    if more == 0 {
        shown.join(", ")
    } else {
        format!("{} and {more} more", shown.join(", "))
    }
}

/// Weekly spend (bars) and IaC commits plus deployments of the same weeks (line, scaled so that the busiest
/// week of activity reaches the highest bar: one axis, two shapes to compare).
fn chart(r: &ScanReport, c: &CostsSummary) -> String {
    let weeks: Vec<_> = {
        let skip = c.weekly.len().saturating_sub(CHART_WEEKS);
        c.weekly.iter().skip(skip).collect()
    };
    if weeks.is_empty() {
        return String::new();
    }
    let spend: Vec<u64> = weeks.iter().map(|w| whole(w.cost)).collect();
    let activity: Vec<u32> = weeks
        .iter()
        .map(|w| {
            r.activity
                .weekly
                .iter()
                .filter(|a| crate::history::week_start(a.week_start) == w.week_start)
                .map(|a| a.iac_commits.saturating_add(a.deployments))
                .sum()
        })
        .collect();
    let top = spend.iter().copied().max().unwrap_or(0).max(1);
    let busiest = activity.iter().copied().max().unwrap_or(0);
    let scaled: Vec<String> = activity
        .iter()
        .map(|a| match busiest {
            0 => "0".to_string(),
            b => (u64::from(*a) * top / u64::from(b)).to_string(),
        })
        .collect();
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| format!("\"{}\"", short_date(w.week_start)))
        .collect();
    let join = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
    let unit = currency(c);
    let mut s = String::from("```mermaid\nxychart-beta\n");
    s.push_str(&format!(
        "    title \"Weekly spend in {unit} (bars) and IaC changes (line, busiest week = {busiest}, scaled)\"\n"
    ));
    s.push_str(&format!("    x-axis [{}]\n", labels.join(", ")));
    s.push_str(&format!("    y-axis \"{unit} per week\" 0 --> {top}\n"));
    s.push_str(&format!("    bar [{}]\n", join(&spend)));
    s.push_str(&format!("    line [{}]\n", scaled.join(", ")));
    s.push_str("```\n\n");
    s
}

/// An amount rounded to whole currency units, for the chart (negative weeks plot as 0).
fn whole(m: Money) -> u64 {
    m.0.round().to_u64().unwrap_or(0)
}

fn services(c: &CostsSummary) -> Section {
    Section {
        name: "services by spend",
        head: format!(
            "#### Top services by spend ({} of {})\n\n| Service | Category | Spend |\n|---|---|---:|\n",
            c.by_service.len().min(TOP_ROWS),
            c.by_service.len()
        ),
        rows: c
            .by_service
            .iter()
            .take(TOP_ROWS)
            .map(|s| {
                format!(
                    "| {} | {} | {} |\n",
                    cell(&s.name),
                    cell(&s.category),
                    s.cost
                )
            })
            .collect(),
        tail: "\n".into(),
    }
}

fn regions(c: &CostsSummary) -> Section {
    Section {
        name: "regions by spend",
        head: format!(
            "#### Top regions by spend ({} of {})\n\n| Region | Spend |\n|---|---:|\n",
            c.by_region.len().min(TOP_ROWS),
            c.by_region.len()
        ),
        rows: c
            .by_region
            .iter()
            .take(TOP_ROWS)
            .map(|g| format!("| {} | {} |\n", cell(&g.name), g.cost))
            .collect(),
        tail: "\n".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::{WeekCost, schema::Schema};
    use jiff::civil::date;
    use rust_decimal::Decimal;

    fn summary(currency: &str, weeks: usize) -> CostsSummary {
        CostsSummary {
            schema: Schema::ActualCost,
            files: 1,
            rows: 3,
            currency: Some(currency.into()),
            first_day: Some(date(2026, 1, 5)),
            last_day: Some(date(2026, 1, 7)),
            total: Money(Decimal::from(30)),
            weekly: (0..weeks)
                .map(|i| WeekCost {
                    week_start: date(2026, 1, 5)
                        .checked_add(jiff::Span::new().weeks(i as i64))
                        .unwrap_or(date(2026, 1, 5)),
                    cost: Money(Decimal::new(12_345 + i as i64, 2)),
                })
                .collect(),
            by_service: vec![],
            by_region: vec![],
            consumed_percent: None,
            projected_percent_at_review: None,
            billed_not_in_iac: (0..14).map(|i| format!("Service {i}")).collect(),
            in_iac_not_billed: vec![],
        }
    }

    #[test]
    fn a_hostile_currency_cannot_leave_the_chart() {
        let c = summary("E\"UR```\n<b>", 3);
        assert_eq!(currency(&c), "EURb");
        let mut r = ScanReport::new(
            date(2026, 1, 8),
            crate::inventory::Inventory::default(),
            crate::history::Activity::default(),
            crate::report::test_support::assessment(),
        );
        r.costs = Some(c.clone());
        let text = chart(&r, &c);
        assert_eq!(text.matches("```").count(), 2, "{text}");
        assert!(text.contains("    bar [123, 123, 123]\n"), "{text}");
        assert!(
            text.contains("    line [0, 0, 0]\n"),
            "no activity: a flat line"
        );
    }

    #[test]
    fn the_chart_keeps_the_last_26_weeks_and_long_name_lists_are_cut() {
        let c = summary("USD", 40);
        let r = ScanReport::new(
            date(2026, 10, 12),
            crate::inventory::Inventory::default(),
            crate::history::Activity::default(),
            crate::report::test_support::assessment(),
        );
        let text = chart(&r, &c);
        let labels = text
            .lines()
            .find(|l| l.trim_start().starts_with("x-axis"))
            .unwrap_or_default();
        assert_eq!(labels.matches('"').count(), 52, "{labels}");
        assert!(
            labels.contains("\"Apr 13\""),
            "the 15th week is the first shown: {labels}"
        );
        assert_eq!(
            named(&c.billed_not_in_iac),
            "Service 0, Service 1, Service 2, Service 3, Service 4, Service 5, Service 6, Service 7, \
             Service 8, Service 9 and 4 more"
        );
    }
}
