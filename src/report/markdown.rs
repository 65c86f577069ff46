//! `scan --format markdown`: the body of the PR comment, the report issue and the job summary.
//!
//! Layout: marker line, title, score with its components, the program timeline, the suggestions table, a
//! Mermaid `xychart-beta` of weekly IaC commits (bars) and deployments (line), the usage from cost exports
//! when given ([`usage`]: projection, weekly spend chart, top services and regions), deploy workflows, services and
//! regions, then `<details>` blocks (how the score was estimated, what to do, resources by service,
//! diagnostics). Every piece of repository text goes through [`escape_md`] or a code span, so a resource named
//! `<script>` or `@org/team` stays text. The body always fits GitHub's 65,536-character limit ([`fit`]).

pub mod escape;
pub mod fit;
pub mod usage;

pub use escape::{
    MAX_CELL_CHARS, MAX_PROSE_CHARS, cell, clip, code_span, escape_html, escape_md, table_code_span,
};
pub use fit::GITHUB_BODY_LIMIT;

use super::wording::{band_label, days_phrase, points, solution_areas, state_label};
use crate::assess::{Band, Component, RuleSeverity, TimelineState};
use crate::scan::ScanReport;
use fit::{Part, Section};
use std::collections::BTreeMap;
use std::io;

/// The first line of every comment and issue azengage writes: how it finds its own text again.
pub const MARKER: &str = "<!-- azengage -->";

/// Items of one inline list (a workflow's triggers, branches or tools; the regions line) named at most.
const MAX_LISTED: usize = 30;

/// Shortest and longest chart window, in weeks.
const CHART_WEEKS: (usize, usize) = (13, 26);

/// Markdown settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkdownOptions {
    /// The heading (the action's `report-title`; escaped, as users may put anything there).
    pub title: String,
    /// Start with [`MARKER`] (comments and issues need it; a job summary does not).
    pub marker: bool,
    /// Size limit in characters ([`GITHUB_BODY_LIMIT`] by default).
    pub limit: usize,
}

impl Default for MarkdownOptions {
    fn default() -> Self {
        MarkdownOptions {
            title: "Azure engagement report".to_string(),
            marker: true,
            limit: GITHUB_BODY_LIMIT,
        }
    }
}

/// The Markdown body for `report`, at most `opts.limit` bytes.
pub fn to_markdown(report: &ScanReport, opts: &MarkdownOptions) -> String {
    let mut parts = vec![Part::Fixed(header(report, opts))];
    if let Some(account) = &report.account {
        parts.extend(super::account::markdown_parts(report, account));
    }
    parts.push(Part::Fixed(timeline(report)));
    parts.push(suggestions(report));
    parts.push(Part::Fixed(activity(report)));
    parts.extend(usage::usage(report));
    parts.push(workflows(report));
    parts.push(services(report));
    parts.push(Part::Capped {
        priority: 2,
        section: breakdown(report),
    });
    if !report.suggestions.is_empty() {
        parts.push(Part::Capped {
            priority: 3,
            section: suggestion_details(report),
        });
    }
    parts.push(Part::Capped {
        priority: 5,
        section: resources(report),
    });
    if !report.diagnostics.is_empty() {
        parts.push(Part::Capped {
            priority: 6,
            section: diagnostics(report),
        });
    }
    parts.push(Part::Fixed(footer(report)));
    fit::assemble(&parts, opts.limit)
}

/// Write [`to_markdown`] to `out`.
pub fn write_markdown(
    out: &mut dyn io::Write,
    report: &ScanReport,
    opts: &MarkdownOptions,
) -> io::Result<()> {
    out.write_all(to_markdown(report, opts).as_bytes())
}

fn header(r: &ScanReport, opts: &MarkdownOptions) -> String {
    let mut s = String::new();
    if opts.marker {
        s.push_str(MARKER);
        s.push('\n');
    }
    s.push_str(&format!("## {}\n\n", cell(&opts.title)));
    let repo = match (&r.repository, &r.account) {
        (Some(name), _) => format!(" for {}", code_span(name)),
        (None, Some(a)) if a.repositories.len() == 1 => {
            " for an account of 1 repository".to_string()
        }
        (None, Some(a)) => format!(" for an account of {} repositories", a.repositories.len()),
        (None, None) => String::new(),
    };
    s.push_str(&format!(
        "**Engagement estimate: {}/100 · {}** (as of {}{repo})\n\n",
        r.score.total,
        band_label(r.score.band),
        r.as_of
    ));
    if r.score.band == Band::NotScoredYet {
        let from = r
            .program
            .score_visible_from
            .map_or_else(|| "90 days after joining".to_string(), |d| d.to_string());
        s.push_str(&format!(
            "The program shows no score until {from}; the estimate is what the repository shows today.\n\n"
        ));
    }
    s.push_str("| Component | Points | Max |\n|---|---:|---:|\n");
    for (name, c) in components(r) {
        s.push_str(&format!(
            "| {name} | {} | {} |\n",
            points(c.points),
            points(c.max)
        ));
    }
    s.push_str(&format!(
        "| **Total** | **{}** | **100** |\n\n",
        r.score.total
    ));
    s
}

fn components(r: &ScanReport) -> [(&'static str, &Component); 3] {
    [
        ("Breadth", &r.score.breadth),
        ("Consistency", &r.score.consistency),
        ("Readiness", &r.score.readiness),
    ]
}

fn timeline(r: &ScanReport) -> String {
    let p = &r.program;
    let mut s = String::from("### Program timeline\n\n");
    if p.state == TimelineState::NotConfigured && p.review_date.is_none() {
        s.push_str(
            "No program dates configured: set `program.joined` and `program.credits.expires` in \
             `.github/azengage.yml` to see the review date and reminders.\n\n",
        );
        return s;
    }
    let mut rows: Vec<(String, String)> = Vec::new();
    if let Some(kind) = &p.kind {
        let tier = p.tier.as_deref().map(|t| format!(", tier {}", cell(t)));
        rows.push((
            "Program".into(),
            format!("{}{}", cell(kind), tier.unwrap_or_default()),
        ));
    }
    if let Some(date) = p.review_date {
        rows.push((
            "Review date".into(),
            format!("**{date}** ({})", days_phrase(p.days_to_review)),
        ));
    }
    if let Some(date) = p.credits_expire {
        rows.push(("Credits expire".into(), date.to_string()));
    }
    if let Some(date) = p.score_visible_from {
        rows.push(("Score visible from".into(), date.to_string()));
    }
    if let Some(pct) = p.consumed_percent {
        let from = p.consumed_source.map_or(String::new(), |src| {
            format!(
                " (from {})",
                serde_json::to_value(src)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default()
            )
        });
        rows.push(("Credits consumed".into(), format!("{}%{from}", points(pct))));
    }
    if !p.reminders_due.is_empty() {
        let days: Vec<String> = p.reminders_due.iter().map(u32::to_string).collect();
        rows.push((
            "Reminders due".into(),
            format!("{} days before the review", days.join(", ")),
        ));
    }
    if !p.solution_areas.is_empty() {
        rows.push((
            "Solution areas".into(),
            solution_areas(&p.solution_areas, cell),
        ));
    }
    rows.push(("State".into(), state_label(p.state).into()));
    s.push_str("| | |\n|---|---|\n");
    for (k, v) in rows {
        s.push_str(&format!("| {k} | {v} |\n"));
    }
    s.push('\n');
    s
}

fn severity_icon(s: RuleSeverity) -> &'static str {
    match s {
        RuleSeverity::Error => "🔴",
        RuleSeverity::Warning => "🟠",
        RuleSeverity::Note => "🔵",
    }
}

fn severity_name(s: RuleSeverity) -> &'static str {
    crate::report::sarif::level(s)
}

fn location(file: Option<&str>, line: Option<u32>) -> Option<String> {
    let file = file.filter(|f| !f.is_empty())?;
    Some(match line.filter(|l| *l > 0) {
        Some(l) => format!("{file}:{l}"),
        None => file.to_string(),
    })
}

fn suggestions(r: &ScanReport) -> Part {
    if r.suggestions.is_empty() {
        return Part::Fixed(
            "### Suggestions\n\nNone: azengage sees nothing to improve.\n\n".to_string(),
        );
    }
    let rows = r
        .suggestions
        .iter()
        .map(|s| {
            let place = location(s.file.as_deref(), s.line)
                .map_or_else(|| "repository".to_string(), |l| table_code_span(&l));
            format!(
                "| {} | {} | {} | {} | {place} |\n",
                severity_icon(s.severity),
                cell(&s.id),
                severity_name(s.severity),
                cell(&s.title)
            )
        })
        .collect();
    Part::Capped {
        priority: 0,
        section: Section {
            name: "suggestions",
            head: format!(
                "### Suggestions ({})\n\n| | ID | Severity | Suggestion | Where |\n|---|---|---|---|---|\n",
                r.suggestions.len()
            ),
            rows,
            tail: "\n".into(),
        },
    }
}

fn suggestion_details(r: &ScanReport) -> Section {
    Section {
        name: "what to do",
        head: "<details><summary>What to do</summary>\n\n".into(),
        rows: r
            .suggestions
            .iter()
            .map(|s| {
                format!(
                    "- **{}** {}: {}\n",
                    cell(&s.id),
                    cell(&s.title),
                    escape_md(&clip(&s.detail, MAX_PROSE_CHARS))
                )
            })
            .collect(),
        tail: "\n</details>\n\n".into(),
    }
}

fn activity(r: &ScanReport) -> String {
    let mut s = String::from("### Activity\n\n");
    let covered = r.weeks_covered();
    if covered == 0 {
        let deployments = match r.activity.deployments_basis.as_str() {
            "" => String::new(),
            basis => format!(
                "; 0 deployments, {}",
                escape_md(&clip(basis, MAX_PROSE_CHARS))
            ),
        };
        s.push_str(&format!(
            "No IaC commits or deployments found (source: {}{deployments}).\n\n",
            cell(&r.activity.source)
        ));
        return s;
    }
    let n = covered.clamp(CHART_WEEKS.0, CHART_WEEKS.1);
    let weeks = r.recent_weeks(n);
    let active = weeks.iter().filter(|w| w.total() > 0).count();
    let commits: u32 = weeks.iter().map(|w| w.iac_commits).sum();
    let deploys: u32 = weeks.iter().map(|w| w.deployments).sum();
    let deployments = match r.activity.deployments_basis.as_str() {
        "" => format!("{deploys} deployments"),
        basis => format!(
            "{deploys} deployments ({})",
            escape_md(&clip(basis, MAX_PROSE_CHARS))
        ),
    };
    s.push_str(&format!(
        "Last {n} weeks: {commits} IaC commits, {deployments}, active in {active} of {n} weeks \
         (source: {}).\n\n",
        cell(&r.activity.source)
    ));
    if r.quiet_last_quarter() {
        s.push_str("_No activity in the last 13 weeks._\n\n");
    }
    if r.activity.shallow {
        s.push_str(
            "_The git history is shallow: older weeks may be missing (use `fetch-depth: 0`)._\n\n",
        );
    }
    let labels: Vec<String> = weeks
        .iter()
        .map(|w| format!("\"{}\"", short_date(w.week_start)))
        .collect();
    let max = weeks
        .iter()
        .map(|w| w.iac_commits.max(w.deployments))
        .max()
        .unwrap_or(0)
        .max(1);
    let join = |f: fn(&crate::scan::WeekCount) -> u32| -> String {
        weeks
            .iter()
            .map(|w| f(w).to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    s.push_str("```mermaid\nxychart-beta\n");
    s.push_str("    title \"IaC commits (bars) and deployments (line) per week\"\n");
    s.push_str(&format!("    x-axis [{}]\n", labels.join(", ")));
    s.push_str(&format!("    y-axis \"per week\" 0 --> {max}\n"));
    s.push_str(&format!("    bar [{}]\n", join(|w| w.iac_commits)));
    s.push_str(&format!("    line [{}]\n", join(|w| w.deployments)));
    s.push_str("```\n\n");
    s
}

/// `Jul 6`: short enough for 26 labels on one axis.
fn short_date(d: jiff::civil::Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = usize::try_from(d.month() - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("?");
    format!("{month} {}", d.day())
}

fn workflows(r: &ScanReport) -> Part {
    let deploying: Vec<_> = r.activity.workflows.iter().filter(|w| w.deploys).collect();
    if deploying.is_empty() {
        return Part::Fixed(
            "No workflow in `.github/workflows/` deploys to Azure.\n\n".to_string(),
        );
    }
    let rows = deploying
        .iter()
        .map(|w| {
            let tools = some_of(&w.tools, table_code_span);
            let mut triggers = some_of(&w.triggers, cell);
            if !w.branches.is_empty() {
                let branches = some_of(&w.branches, table_code_span);
                triggers.push_str(&format!(" (push to {branches})"));
            }
            format!("| {} | {tools} | {triggers} |\n", table_code_span(&w.file))
        })
        .collect();
    Part::Capped {
        priority: 1,
        section: Section {
            name: "deploy workflows",
            head: format!(
                "#### Deploy workflows ({} of {})\n\n| Workflow | Deploys with | Triggers |\n|---|---|---|\n",
                deploying.len(),
                r.activity.workflows.len()
            ),
            rows,
            tail: "\n".into(),
        },
    }
}

/// Up to [`MAX_LISTED`] items rendered by `show`, comma-separated, then "and N more".
fn some_of(items: &[String], show: impl Fn(&str) -> String) -> String {
    let mut shown: Vec<String> = items.iter().take(MAX_LISTED).map(|i| show(i)).collect();
    if items.len() > MAX_LISTED {
        shown.push(format!("and {} more", items.len() - MAX_LISTED));
    }
    shown.join(", ")
}

fn services(r: &ScanReport) -> Part {
    // Plumbing (Resource Manager, RBAC, managed identities, ...) is counted for nothing and not shown.
    let counted: Vec<_> = r.services.iter().filter(|s| s.counts_for_breadth).collect();
    let categories: std::collections::BTreeSet<&str> =
        counted.iter().map(|s| s.category.as_str()).collect();
    let regions: Vec<String> = r
        .regions
        .iter()
        .take(MAX_LISTED)
        .map(|g| format!("{} ({})", cell(&g.display_name), g.resources))
        .chain(
            (r.regions.len() > MAX_LISTED)
                .then(|| format!("and {} more", r.regions.len() - MAX_LISTED)),
        )
        .collect();
    let mut head = format!(
        "### Services and regions\n\n**{} services** in {} categories across **{} regions**",
        counted.len(),
        categories.len(),
        r.regions.len()
    );
    if regions.is_empty() {
        head.push_str(".\n\n");
    } else {
        head.push_str(&format!(": {}.\n\n", regions.join(", ")));
    }
    let notes = [
        Some(r.roots_summary.clone()).filter(|s| !s.is_empty()),
        crate::inventory::not_deployed_line(&r.resources),
        r.region_note.clone(),
    ];
    for note in notes.into_iter().flatten() {
        head.push_str(&format!("{}\n\n", escape_md(&note)));
    }
    if counted.is_empty() {
        return Part::Fixed(head);
    }
    head.push_str("| Service | Category | Resources |\n|---|---|---:|\n");
    let rows = counted
        .iter()
        .map(|s| {
            format!(
                "| {} | {} | {} |\n",
                cell(&s.name),
                cell(&s.category),
                s.resources
            )
        })
        .collect();
    Part::Capped {
        priority: 1,
        section: Section {
            name: "services",
            head,
            rows,
            tail: "\n".into(),
        },
    }
}

fn breakdown(r: &ScanReport) -> Section {
    let mut rows = Vec::new();
    for (name, c) in components(r) {
        for f in &c.factors {
            rows.push(format!(
                "| {name} | {} | {} | {} / {} |\n",
                cell(&f.label),
                points(f.value),
                points(f.points),
                points(f.max)
            ));
        }
    }
    Section {
        name: "score breakdown",
        head: "<details><summary>How the score was estimated</summary>\n\n\
               | Component | Factor | Value | Points |\n|---|---|---:|---:|\n"
            .into(),
        rows,
        tail: "\n</details>\n\n".into(),
    }
}

fn resources(r: &ScanReport) -> Section {
    let mut by_service: BTreeMap<&str, Vec<&crate::model::Resource>> = BTreeMap::new();
    for res in r.deployed() {
        by_service
            .entry(res.service.as_deref().unwrap_or("(not in the catalog)"))
            .or_default()
            .push(res);
    }
    let count: usize = by_service.values().map(Vec::len).sum();
    let rows = by_service
        .iter()
        .flat_map(|(service, list)| {
            list.iter().map(move |res| {
                let region = res
                    .location
                    .as_deref()
                    .or(res.location_expr.as_deref())
                    .unwrap_or("?");
                format!(
                    "| {} | {} | {} | {} | {} |\n",
                    cell(service),
                    table_code_span(&res.name),
                    table_code_span(res.arm_type.as_deref().unwrap_or(&res.source_type)),
                    table_code_span(region),
                    table_code_span(&format!("{}:{}", res.file, res.line))
                )
            })
        })
        .collect();
    Section {
        name: "resources by service",
        head: format!(
            "<details><summary>Resources by service ({count})</summary>\n\n\
             | Service | Resource | Type | Region | Where |\n|---|---|---|---|---|\n"
        ),
        rows,
        tail: "\n</details>\n\n".into(),
    }
}

fn diagnostics(r: &ScanReport) -> Section {
    Section {
        name: "diagnostics",
        head: format!(
            "<details><summary>Diagnostics ({})</summary>\n\n| Severity | Where | Message |\n|---|---|---|\n",
            r.diagnostics.len()
        ),
        rows: r
            .diagnostics
            .iter()
            .map(|d| {
                format!(
                    "| {} | {} | {} |\n",
                    d.severity,
                    table_code_span(&format!("{}:{}:{}", d.file, d.line, d.column)),
                    escape_md(&clip(&d.message, MAX_PROSE_CHARS))
                )
            })
            .collect(),
        tail: "\n</details>\n\n".into(),
    }
}

fn footer(r: &ScanReport) -> String {
    let shows = if r.account.is_some() {
        "these repositories show"
    } else {
        "this repository shows"
    };
    format!(
        "---\n_Estimated by [azengage](https://github.com/azengage/azengage) from what {shows}. Microsoft \
         publishes no formula for its engagement score: treat this as guidance, not the program's own number._\n"
    )
}
