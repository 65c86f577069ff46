//! The escalation pack's sections after the timeline: services and regions, cadence, checklist, evidence,
//! open suggestions, "What we ask" and the footer. Each reads the [`ScanReport`] (and the config's words in
//! [`PackDetails`]) and writes through [`Html`], so nothing from a file is ever written unescaped.

use super::chart::{BarSeries, LineSeries, WeeklyChart, short_date};
use super::pack::{DEFAULT_ASK, PackDetails};
use super::writer::Html;
use crate::inventory::ServiceSummary;
use crate::scan::ScanReport;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// Weeks the cadence chart shows.
pub const CHART_WEEKS: usize = 26;

/// Up to this many services, every one is a table row.
const ALL_IN_TABLE: usize = 30;

/// With more services than [`ALL_IN_TABLE`], the most used this many are table rows and the rest are named by
/// solution area in a paragraph, so the page stays within two A4 pages whatever the repository deploys (every
/// deployed service is still named).
const TOP_IN_TABLE: usize = 10;

/// Link text longer than this is shortened (the link itself is whole).
const LINK_TEXT_CHARS: usize = 44;

/// Funding and traction written as text are shown up to this many characters, press entries up to
/// [`PRESS_TEXT_CHARS`], and at most [`PRESS_ITEMS`] press entries: the evidence must fit on the page beside
/// every figure (the whole text stays in the configuration).
const EVIDENCE_TEXT_CHARS: usize = 200;
/// See [`EVIDENCE_TEXT_CHARS`].
const PRESS_TEXT_CHARS: usize = 120;
/// See [`EVIDENCE_TEXT_CHARS`].
const PRESS_ITEMS: usize = 8;

/// Deployed services (table) and regions (display names).
pub fn services(h: &mut Html, report: &ScanReport) {
    // Plumbing (Resource Manager, RBAC, managed identities, ...) counts for nothing and is not evidence of use.
    let services: Vec<&ServiceSummary> = report
        .services
        .iter()
        .filter(|s| s.counts_for_breadth)
        .collect();
    h.elem("section", &[("id", "services")], |h| {
        h.elem_text(
            "h2",
            &[],
            &format!(
                "Deployed services ({}) and regions ({})",
                services.len(),
                report.regions.len()
            ),
        );
        if services.is_empty() {
            h.elem_text(
                "p",
                &[("class", "muted")],
                "No deployed Azure resource was found in the infrastructure code.",
            );
        } else {
            let shown = if services.len() <= ALL_IN_TABLE {
                services.len()
            } else {
                TOP_IN_TABLE
            };
            service_table(h, &services[..shown]);
            more_services(h, &services[shown..]);
        }
        let regions: Vec<String> = report
            .regions
            .iter()
            .map(|r| format!("{} ({})", r.display_name, r.resources))
            .collect();
        h.elem("p", &[("class", "regions")], |h| {
            h.elem_text("b", &[], "Regions (resources): ");
            if regions.is_empty() {
                h.text("none with a known location");
            } else {
                h.text(&regions.join(", "));
            }
        });
        let areas = &report.program.solution_areas;
        if !areas.is_empty() {
            h.elem("p", &[], |h| {
                h.elem_text("b", &[], "Solution areas: ");
                h.text(&crate::report::wording::solution_areas(
                    areas,
                    str::to_owned,
                ));
            });
        }
    });
}

/// The services beyond the table, by solution area: `Data & AI (Azure): Cosmos DB (2), ...`.
fn more_services(h: &mut Html, rest: &[&ServiceSummary]) {
    if rest.is_empty() {
        return;
    }
    let mut by_area: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for s in rest {
        by_area
            .entry(s.solution_area.as_str())
            .or_default()
            .push(format!("{} ({})", s.name, s.resources));
    }
    h.elem("p", &[("class", "more")], |h| {
        h.text(&format!(
            "Also deployed, {} more services (resources in brackets), by solution area: ",
            rest.len()
        ));
        for (i, (area, names)) in by_area.iter().enumerate() {
            if i > 0 {
                h.text("; ");
            }
            h.elem_text("b", &[], &format!("{area}: "));
            h.text(&names.join(", "));
        }
        h.text(".");
    });
}

fn service_table(h: &mut Html, rows: &[&ServiceSummary]) {
    h.elem("table", &[], |h| {
        h.elem("thead", &[], |h| {
            h.elem("tr", &[], |h| {
                h.elem_text("th", &[], "Service");
                h.elem_text("th", &[], "Category");
                h.elem_text("th", &[("class", "hide-narrow")], "Solution area");
                h.elem_text("th", &[("class", "n")], "Resources");
            });
        });
        h.elem("tbody", &[], |h| {
            for s in rows {
                h.elem("tr", &[], |h| {
                    h.elem_text("td", &[], &s.name);
                    h.elem_text("td", &[], &s.category);
                    h.elem_text("td", &[("class", "hide-narrow")], &s.solution_area);
                    h.elem_text("td", &[("class", "n")], &s.resources.to_string());
                });
            }
        });
    });
}

/// The last [`CHART_WEEKS`] weeks as a chart, with its source and totals.
pub fn cadence(h: &mut Html, report: &ScanReport) {
    let weeks = report.recent_weeks(CHART_WEEKS);
    let commits: Vec<u32> = weeks.iter().map(|w| w.iac_commits).collect();
    let deployments: Vec<u32> = weeks.iter().map(|w| w.deployments).collect();
    let line = report.costs.as_ref().map(|c| {
        let by_week: BTreeMap<_, _> = c
            .weekly
            .iter()
            .map(|w| (w.week_start, w.cost.0.to_f64().unwrap_or(0.0)))
            .collect();
        LineSeries {
            name: "spend".into(),
            unit: format!("{} per week", c.currency.as_deref().unwrap_or("spend")),
            class: "spend",
            values: weeks
                .iter()
                .map(|w| by_week.get(&w.week_start).copied())
                .collect(),
        }
    });
    let (first, last) = match (weeks.first(), weeks.last()) {
        (Some(a), Some(b)) => (a.week_start, b.week_start),
        _ => (report.as_of, report.as_of),
    };
    let chart = WeeklyChart {
        title: format!(
            "IaC commits and deployments per week{}, {} to {}",
            if line.is_some() {
                ", with weekly spend"
            } else {
                ""
            },
            short_date(first),
            short_date(last)
        ),
        weeks: weeks.iter().map(|w| w.week_start).collect(),
        bars: vec![
            BarSeries {
                name: "IaC commits".into(),
                class: "commits",
                values: commits.clone(),
            },
            BarSeries {
                name: "deployments".into(),
                class: "deploys",
                values: deployments.clone(),
            },
        ],
        bar_unit: "per week".into(),
        line,
    };
    let active = weeks.iter().filter(|w| w.total() > 0).count();
    h.elem("section", &[("id", "cadence")], |h| {
        h.elem_text(
            "h2",
            &[],
            &format!("Weekly cadence, last {CHART_WEEKS} weeks"),
        );
        h.elem("figure", &[], |h| {
            chart.write(h);
            let basis = match report.activity.deployments_basis.as_str() {
                "" => String::new(),
                basis => format!(" ({basis})"),
            };
            h.elem_text(
                "figcaption",
                &[],
                &format!(
                    "{} IaC commits and {} deployments{basis} in {active} active weeks of {CHART_WEEKS}. {}",
                    commits.iter().sum::<u32>(),
                    deployments.iter().sum::<u32>(),
                    source_sentence(report)
                ),
            );
        });
    });
}

/// Where the chart's figures come from, in words.
fn source_sentence(report: &ScanReport) -> String {
    let commits = if report.activity.source.split('+').any(|s| s == "git") {
        "IaC commits from the git history"
    } else {
        "no git history was read"
    };
    let spend = match &report.costs {
        Some(c) => format!(
            "; weekly spend ({}) from the Cost Management exports",
            c.currency.as_deref().unwrap_or("billing currency")
        ),
        None => String::new(),
    };
    format!("Source: {commits}{spend}.")
}

/// The profile checklist: done or missing, as the scan's readiness factors say.
pub fn checklist(h: &mut Html, report: &ScanReport, details: &PackDetails) {
    let done = |key: &str| {
        report
            .score
            .readiness
            .factors
            .iter()
            .find(|f| f.key == key)
            .is_some_and(|f| f.value >= 1.0)
    };
    h.elem("section", &[("id", "checklist")], |h| {
        h.elem_text("h2", &[], "Profile checklist");
        h.elem("ul", &[("class", "checks")], |h| {
            check(
                h,
                done("verified_domain"),
                "Verified email or domain",
                |_| {},
            );
            let team = details.team_members.unwrap_or(0);
            check(h, done("team_members"), "Team members added", |h| {
                h.text(&format!(": {team}"));
            });
            check(h, done("demo_video"), "Demo video", |h| {
                if let Some(video) = &details.demo_video {
                    h.text(": ");
                    h.link_or_text(video, LINK_TEXT_CHARS);
                }
            });
        });
    });
}

fn check(h: &mut Html, done: bool, what: &str, more: impl FnOnce(&mut Html)) {
    h.elem(
        "li",
        &[("class", if done { "done" } else { "missing" })],
        |h| {
            h.text(what);
            more(h);
            h.text(" — ");
            h.elem_text(
                "span",
                &[("class", "status")],
                if done { "done" } else { "missing" },
            );
        },
    );
}

/// Funding, traction and press: links only for `http`/`https` URLs, anything else as text.
pub fn evidence(h: &mut Html, details: &PackDetails) {
    h.elem("section", &[("id", "evidence")], |h| {
        h.elem_text("h2", &[], "Evidence kit");
        h.elem("dl", &[("class", "facts")], |h| {
            for (term, value) in [
                ("Funding", &details.funding),
                ("Traction", &details.traction),
            ] {
                h.elem_text("dt", &[], term);
                h.elem("dd", &[], |h| match value {
                    Some(v) => evidence_item(h, v, EVIDENCE_TEXT_CHARS),
                    None => h.elem_text("span", &[("class", "muted")], "not given"),
                });
            }
            h.elem_text("dt", &[], "Press");
            h.elem("dd", &[], |h| {
                if details.press.is_empty() {
                    h.elem_text("span", &[("class", "muted")], "not given");
                    return;
                }
                for (i, item) in details.press.iter().take(PRESS_ITEMS).enumerate() {
                    if i > 0 {
                        h.text(" · ");
                    }
                    evidence_item(h, item, PRESS_TEXT_CHARS);
                }
                let more = details.press.len().saturating_sub(PRESS_ITEMS);
                if more > 0 {
                    h.elem_text(
                        "span",
                        &[("class", "muted")],
                        &format!(" · and {more} more in the configuration"),
                    );
                }
            });
        });
    });
}

/// A link when `s` is a web address, else its text cut to `max_chars` (with `…`).
fn evidence_item(h: &mut Html, s: &str, max_chars: usize) {
    if super::writer::WebUrl::parse(s).is_some() || s.chars().count() <= max_chars {
        h.link_or_text(s, LINK_TEXT_CHARS);
    } else {
        let mut cut: String = s.chars().take(max_chars.saturating_sub(1)).collect();
        cut.push('…');
        h.text(&cut);
    }
}

/// The suggestions still open: one row per rule (id, title, how many places).
pub fn suggestions(h: &mut Html, report: &ScanReport) {
    let mut rules: Vec<(&str, &str, usize)> = Vec::new();
    for s in &report.suggestions {
        match rules.iter_mut().find(|(id, _, _)| *id == s.id) {
            Some(row) => row.2 += 1,
            None => rules.push((&s.id, &s.title, 1)),
        }
    }
    h.elem("section", &[("id", "suggestions")], |h| {
        h.elem_text(
            "h2",
            &[],
            &format!("Open suggestions ({})", report.suggestions.len()),
        );
        if rules.is_empty() {
            h.elem_text("p", &[("class", "muted")], "None: every rule passes.");
            return;
        }
        // A short list moves to the next page whole rather than leaving one line behind.
        let class = if rules.len() <= 8 {
            "rules short"
        } else {
            "rules"
        };
        h.elem("ul", &[("class", class)], |h| {
            for (id, title, count) in &rules {
                h.elem("li", &[], |h| {
                    h.elem_text("span", &[("class", "id")], id);
                    h.text(" ");
                    h.text(title);
                    if *count > 1 {
                        h.elem_text("span", &[("class", "places")], &format!(" ×{count}"));
                    }
                });
            }
        });
    });
}

/// The closing request and the contact.
pub fn ask(h: &mut Html, details: &PackDetails) {
    h.elem("section", &[("class", "ask"), ("id", "ask")], |h| {
        h.elem_text("h2", &[], "What we ask");
        h.elem_text("p", &[], details.ask.as_deref().unwrap_or(DEFAULT_ASK));
        if let Some(contact) = &details.contact {
            h.elem("p", &[], |h| {
                h.elem_text("b", &[], "Contact: ");
                h.text(contact);
            });
        }
    });
}

/// Where the figures came from, in one line.
pub fn footer(h: &mut Html, report: &ScanReport) {
    let mut inputs = vec!["infrastructure code", "git history"];
    if report.config_file.is_some() {
        inputs.push("configuration");
    }
    if report.costs.is_some() {
        inputs.push("Cost Management exports");
    }
    h.elem_text(
        "footer",
        &[],
        &format!(
            "Written by azengage on {} from the repository's {}.",
            report.as_of,
            inputs.join(", ")
        ),
    );
}
