//! The escalation pack: one self-contained, printable page of evidence for a Microsoft program manager
//! (contract, "Escalation pack").
//!
//! Content, in the contract's order: who; the estimate with its components, band and the sentence that it is
//! an estimate; the program timeline; deployed services and regions; the weekly cadence of the last 26 weeks
//! as an SVG chart; the profile checklist; the evidence kit; the open suggestions; "What we ask" and the
//! contact. Every figure is read from the [`ScanReport`] (nothing is measured again here), so what the scan
//! says and what the pack says cannot differ; the config supplies only the words the scan does not carry
//! (company, contact, ask, the evidence links).
//!
//! The page holds no script and no external resource: the style sheet is inline, the chart is inline SVG, and
//! the Content-Security-Policy meta forbids loading anything else. It prints on at most two A4 pages.

use super::sections;
use super::writer::Html;
use crate::config::Config;
use crate::report::wording::{band_label, days_phrase, points};
use crate::scan::ScanReport;
use std::io;

/// The Content-Security-Policy the page carries: nothing may load but inline styles and `data:` images.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/// "What we ask" when the config's `pack.ask` does not say.
pub const DEFAULT_ASK: &str = "We ask for a manual review of our Azure engagement score with this evidence \
before the credit review: the services we run, our weekly delivery rhythm and the profile and evidence \
above.";

/// The print and screen style sheet (inline in the page).
const STYLE: &str = include_str!("style.css");

/// What the pack takes from the configuration: the words the scan does not carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackDetails {
    /// `pack.company`: the heading.
    pub company: Option<String>,
    /// The heading when there is no company: the repository's `owner/name`, else its directory name.
    pub fallback_name: String,
    /// `pack.contact`.
    pub contact: Option<String>,
    /// `pack.ask`.
    pub ask: Option<String>,
    /// `checklist.team_members`.
    pub team_members: Option<u32>,
    /// `checklist.demo_video`.
    pub demo_video: Option<String>,
    /// `evidence.funding`.
    pub funding: Option<String>,
    /// `evidence.traction`.
    pub traction: Option<String>,
    /// `evidence.press`.
    pub press: Vec<String>,
}

impl PackDetails {
    /// The details from `config`; `fallback_name` heads the page when `pack.company` is not set.
    pub fn from_config(config: &Config, fallback_name: &str) -> Self {
        let given = |s: &Option<String>| s.clone().filter(|s| !s.trim().is_empty());
        PackDetails {
            company: given(&config.pack.company),
            fallback_name: fallback_name.to_string(),
            contact: given(&config.pack.contact),
            ask: given(&config.pack.ask),
            team_members: config.checklist.team_members,
            demo_video: given(&config.checklist.demo_video),
            funding: given(&config.evidence.funding),
            traction: given(&config.evidence.traction),
            press: config
                .evidence
                .press
                .iter()
                .filter(|p| !p.trim().is_empty())
                .cloned()
                .collect(),
        }
    }

    /// The page's heading: the company, else the repository.
    pub fn heading(&self) -> &str {
        self.company.as_deref().unwrap_or(&self.fallback_name)
    }
}

/// The whole page.
pub fn to_html(report: &ScanReport, details: &PackDetails) -> String {
    let mut h = Html::new();
    h.doctype();
    h.elem("html", &[("lang", "en")], |h| {
        head(h, report, details);
        h.elem("body", &[], |h| {
            header(h, report, details);
            estimate(h, report);
            timeline(h, report);
            sections::services(h, report);
            sections::cadence(h, report);
            sections::checklist(h, report, details);
            sections::evidence(h, details);
            sections::suggestions(h, report);
            sections::ask(h, details);
            sections::footer(h, report);
        });
    });
    h.finish()
}

/// Write [`to_html`] to `out`.
pub fn write_html(
    out: &mut dyn io::Write,
    report: &ScanReport,
    details: &PackDetails,
) -> io::Result<()> {
    out.write_all(to_html(report, details).as_bytes())
}

fn head(h: &mut Html, report: &ScanReport, details: &PackDetails) {
    h.elem("head", &[], |h| {
        h.empty("meta", &[("charset", "utf-8")]);
        h.empty(
            "meta",
            &[("http-equiv", "Content-Security-Policy"), ("content", CSP)],
        );
        h.empty("meta", &[("name", "referrer"), ("content", "no-referrer")]);
        h.empty(
            "meta",
            &[
                ("name", "viewport"),
                ("content", "width=device-width, initial-scale=1"),
            ],
        );
        h.empty("meta", &[("name", "generator"), ("content", "azengage")]);
        let title = format!(
            "{}: Azure engagement evidence ({})",
            details.heading(),
            report.as_of
        );
        h.elem_text("title", &[], &title);
        h.style_sheet(STYLE);
    });
}

fn header(h: &mut Html, report: &ScanReport, details: &PackDetails) {
    h.elem("header", &[], |h| {
        h.elem_text("h1", &[], details.heading());
        let p = &report.program;
        let mut parts = vec!["Azure engagement evidence".to_string()];
        if let Some(kind) = p.kind.as_deref() {
            parts.push(program_label(kind));
        }
        if let Some(tier) = p.tier.as_deref() {
            parts.push(format!("tier {tier}"));
        }
        parts.push(format!("as of {}", report.as_of));
        if let (Some(_), Some(repo)) = (&details.company, &report.repository) {
            parts.push(format!("repository {repo}"));
        }
        h.elem_text("p", &[("class", "sub")], &parts.join(" · "));
    });
}

/// `5,334.51`: an amount rounded to cents (as the other printers round it), with thousands separated.
pub fn money(m: crate::costs::Money) -> String {
    let cents = m.to_string();
    let (sign, digits) = match cents.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", cents.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let grouped = crate::report::wording::thousands(whole);
    if fraction.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{fraction}")
    }
}

/// How a program kind reads.
pub fn program_label(kind: &str) -> String {
    match kind {
        "founders-hub" => "Microsoft for Startups Founders Hub".into(),
        "partner-program" => "Microsoft AI Cloud Partner Program".into(),
        other => other.to_string(),
    }
}

fn estimate(h: &mut Html, report: &ScanReport) {
    let s = &report.score;
    h.elem("section", &[("id", "estimate")], |h| {
        h.elem_text("h2", &[], "Engagement estimate");
        h.elem("div", &[("class", "estimate")], |h| {
            h.elem("span", &[("class", "total")], |h| {
                h.text(&s.total.to_string());
                h.elem_text("small", &[], " / 100");
            });
            let band_class = format!("band {}", s.band.as_str());
            h.elem_text("span", &[("class", &band_class)], band_label(s.band));
            h.elem("div", &[("class", "components")], |h| {
                for (name, c) in [
                    ("Breadth", &s.breadth),
                    ("Consistency", &s.consistency),
                    ("Readiness", &s.readiness),
                ] {
                    h.elem("span", &[("class", "component")], |h| {
                        h.text(&format!("{name} "));
                        h.elem_text("b", &[], &points(c.points));
                        h.text(&format!(" / {}", points(c.max)));
                    });
                }
            });
        });
        h.elem_text(
            "p",
            &[("class", "note")],
            "This is an estimate computed by azengage from the repository's infrastructure code, history and \
             configuration; Microsoft publishes no formula for the engagement score. Breadth: services, \
             categories, solution areas and regions deployed; consistency: the weekly rhythm of changes and \
             deployments; readiness: checklist, evidence and credits consumed.",
        );
        if s.band == crate::assess::Band::NotScoredYet {
            let from = report
                .program
                .score_visible_from
                .map_or_else(|| "90 days after joining".to_string(), |d| d.to_string());
            h.elem_text(
                "p",
                &[],
                &format!("The program shows no score until {from}; this is what the repository shows today."),
            );
        }
    });
}

fn timeline(h: &mut Html, report: &ScanReport) {
    let p = &report.program;
    let mut rows: Vec<(&str, String)> = Vec::new();
    if let Some(date) = p.review_date {
        rows.push((
            "Review date",
            format!("{date} ({})", days_phrase(p.days_to_review)),
        ));
    }
    if let Some(date) = p.credits_expire {
        rows.push(("Credits expire", date.to_string()));
    }
    if let Some(pct) = p.consumed_percent {
        let from = match p.consumed_source {
            Some(crate::assess::FigureSource::Costs) => ", from the cost exports",
            Some(crate::assess::FigureSource::Config) => ", as configured",
            _ => "",
        };
        rows.push(("Credits consumed", format!("{}%{from}", points(pct))));
    }
    if let Some(c) = &report.costs {
        if let Some(projected) = c.projected_percent_at_review {
            rows.push((
                "At the review",
                format!("{}% consumed at the last 28 days' pace", points(projected)),
            ));
        }
        let period = match (c.first_day, c.last_day) {
            (Some(a), Some(b)) => format!(", {a} to {b}"),
            _ => String::new(),
        };
        let currency = c
            .currency
            .as_deref()
            .map(|c| format!(" {c}"))
            .unwrap_or_default();
        rows.push(("Billed", format!("{}{currency}{period}", money(c.total))));
    }
    if let Some(date) = p.score_visible_from.filter(|d| *d > report.as_of) {
        rows.push(("Score visible from", date.to_string()));
    }
    h.elem("section", &[("id", "timeline")], |h| {
        h.elem_text("h2", &[], "Program timeline");
        if rows.is_empty() {
            h.elem_text(
                "p",
                &[("class", "muted")],
                "No program dates configured (program.joined and program.credits.expires in \
                 .github/azengage.yml).",
            );
            return;
        }
        h.elem("dl", &[("class", "facts")], |h| {
            for (term, value) in &rows {
                h.elem_text("dt", &[], term);
                h.elem_text("dd", &[], value);
            }
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::costs::Money;
    use rust_decimal::Decimal;

    #[test]
    fn money_has_cents_and_thousands() {
        let m = |s: &str| money(Money(s.parse::<Decimal>().unwrap()));
        assert_eq!(m("5334.514"), "5,334.51");
        assert_eq!(m("1234567.005"), "1,234,567.01");
        assert_eq!(m("12"), "12.00");
        assert_eq!(m("-1000.5"), "-1,000.50");
        assert_eq!(m("0"), "0.00");
    }

    #[test]
    fn details_come_from_the_config_and_blank_words_count_as_not_given() {
        let config = crate::config::Config::parse(
            "azengage.yml",
            "pack:\n  company: '  '\n  contact: ops@example.com\nevidence:\n  press: ['', https://example.com/a]\n",
        )
        .unwrap();
        let d = PackDetails::from_config(&config, "owner/repo");
        assert_eq!(d.heading(), "owner/repo");
        assert_eq!(d.contact.as_deref(), Some("ops@example.com"));
        assert_eq!(d.press, vec!["https://example.com/a".to_string()]);
        assert_eq!(d.ask, None);
    }

    #[test]
    fn an_unknown_pack_key_is_an_error_naming_the_valid_ones() {
        let err = crate::config::Config::parse("azengage.yml", "pack:\n  compnay: Contoso\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("compnay"), "{err}");
        assert!(err.contains("company, contact, ask"), "{err}");
    }
}
