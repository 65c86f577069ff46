//! `scan` text output: what a person reads in a terminal.
//!
//! Order: the score and band with each component and its factors, the program timeline, services and regions,
//! the weekly cadence as a one-line sparkline, deploy workflows, the usage from cost exports when given, suggestions grouped by severity with
//! `file:line`, diagnostics, and a closing reminder that the number is an estimate. Colour comes from
//! [`Style`] and is off unless asked for. Repository text is stripped of control characters so a resource name
//! cannot send escape sequences to the terminal.

use super::style::{Style, pad};
use super::text::{BARS, DiagnosticsLayout, clean, write_diagnostics};
use super::wording::{band_label, days_phrase, points, solution_areas, state_label};
use crate::assess::{Band, FigureSource, RuleSeverity};
use crate::plural::counted;
use crate::scan::{ScanReport, WeekCount};
use std::io;

/// Drawn for a week without activity, so gaps stand out.
const IDLE: char = '·';

/// Print the scan as text.
pub fn write_text(out: &mut dyn io::Write, report: &ScanReport, style: Style) -> io::Result<()> {
    write_title(out, report, style)?;
    if let Some(account) = &report.account {
        super::account::write_text_headline(out, report, account, style)?;
    }
    write_score(out, report, style)?;
    write_program(out, report, style)?;
    write_inventory(out, report, style)?;
    write_activity(out, report, style)?;
    if let Some(account) = &report.account {
        super::account::write_text_repositories(out, account, style)?;
    }
    if let Some(costs) = &report.costs {
        writeln!(out)?;
        super::costs::write_text(out, costs, report.program.review_date, style)?;
    }
    write_suggestions(out, report, style)?;
    write_diagnostics(out, &report.diagnostics, style, DiagnosticsLayout::Section)?;
    let shows = if report.account.is_some() {
        "the repositories show"
    } else {
        "the repository shows"
    };
    writeln!(
        out,
        "\n{}",
        style.dim(&format!(
            "This is an estimate from what {shows}: Microsoft publishes no formula for its score."
        ))
    )
}

/// `azengage scan · as of 2026-11-23 · owner/name` (`azengage merge` for an account).
fn write_title(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    let command = if r.account.is_some() { "merge" } else { "scan" };
    let repo = r
        .repository
        .as_deref()
        .map(|n| format!(" · {}", clean(n)))
        .unwrap_or_default();
    writeln!(
        out,
        "{}",
        style.dim(&format!("azengage {command} · as of {}{repo}", r.as_of))
    )
}

fn write_score(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    let band = band_label(r.score.band);
    let band = match r.score.band {
        Band::Strong => style.green(band),
        Band::Moderate => style.yellow(band),
        Band::NeedsImprovement => style.red(band),
        Band::NotScoredYet => style.cyan(band),
    };
    writeln!(
        out,
        "{} {}/100  {band}",
        style.bold("Engagement estimate"),
        r.score.total
    )?;
    let components = [
        ("Breadth", &r.score.breadth),
        ("Consistency", &r.score.consistency),
        ("Readiness", &r.score.readiness),
    ];
    // Labels are measured once so that the points line up whatever the longest label is.
    let width = components
        .iter()
        .flat_map(|(_, c)| &c.factors)
        .map(|f| clean(&f.label).chars().count())
        .max()
        .unwrap_or(0)
        .max(40);
    for (name, c) in components {
        writeln!(
            out,
            "  {} {:>5} / {}",
            pad(name, 12),
            points(c.points),
            points(c.max)
        )?;
        for f in &c.factors {
            let score = format!("{} / {}", points(f.points), points(f.max));
            writeln!(
                out,
                "    {} {}",
                pad(&clean(&f.label), width + 1),
                style.dim(&score)
            )?;
        }
    }
    Ok(())
}

fn write_program(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    let p = &r.program;
    writeln!(out, "\n{}", style.bold("Program"))?;
    if p.review_date.is_none() && p.score_visible_from.is_none() && p.credits_expire.is_none() {
        return writeln!(
            out,
            "  No dates configured: set program.joined and program.credits.expires in .github/azengage.yml."
        );
    }
    if let Some(kind) = &p.kind {
        let tier = p.tier.as_deref().map(|t| format!(", tier {}", clean(t)));
        writeln!(
            out,
            "  {} {}{}",
            pad("Program", 20),
            clean(kind),
            tier.unwrap_or_default()
        )?;
    }
    if let Some(d) = p.review_date {
        let left = days_phrase(p.days_to_review);
        let left = match p.days_to_review {
            Some(n) if n < 0 => style.red(&left),
            Some(n) if n <= 60 => style.yellow(&left),
            _ => left,
        };
        writeln!(out, "  {} {d} ({left})", pad("Review date", 20))?;
    }
    if let Some(d) = p.credits_expire {
        writeln!(out, "  {} {d}", pad("Credits expire", 20))?;
    }
    if let Some(d) = p.score_visible_from {
        writeln!(out, "  {} {d}", pad("Score visible from", 20))?;
    }
    if let Some(pct) = p.consumed_percent {
        let from = match p.consumed_source {
            Some(FigureSource::Costs) => " (from the cost exports)",
            Some(FigureSource::Config) => " (from the config)",
            _ => "",
        };
        writeln!(
            out,
            "  {} {}%{from}",
            pad("Credits consumed", 20),
            points(pct)
        )?;
    }
    if !p.reminders_due.is_empty() {
        let days: Vec<String> = p.reminders_due.iter().map(u32::to_string).collect();
        writeln!(
            out,
            "  {} {} days before the review",
            pad("Reminders due", 20),
            days.join(", ")
        )?;
    }
    if !p.solution_areas.is_empty() {
        let areas = solution_areas(&p.solution_areas, clean);
        writeln!(out, "  {} {areas}", pad("Solution areas", 20))?;
    }
    writeln!(out, "  {} {}", pad("State", 20), state_label(p.state))
}

fn write_inventory(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    writeln!(out, "\n{}", style.bold("Services and regions"))?;
    if !r.roots_summary.is_empty() {
        writeln!(out, "  {}", clean(&r.roots_summary))?;
    }
    if let Some(line) = crate::inventory::not_deployed_line(&r.resources) {
        writeln!(out, "  {}", style.dim(&clean(&line)))?;
    }
    if let Some(note) = &r.region_note {
        writeln!(out, "  {}", clean(note))?;
    }
    let deployed = r.deployed().count();
    if deployed == 0 {
        return writeln!(out, "  No deployed Azure resources found.");
    }
    let services: Vec<String> = r
        .services
        .iter()
        .filter(|s| s.counts_for_breadth)
        .map(|s| format!("{} ({})", clean(&s.name), s.resources))
        .collect();
    let regions: Vec<String> = r
        .regions
        .iter()
        .map(|g| format!("{} ({})", clean(&g.display_name), g.resources))
        .collect();
    writeln!(
        out,
        "  {}, {}, {}",
        counted(deployed, "resource", "resources"),
        counted(services.len(), "service", "services"),
        counted(r.regions.len(), "region", "regions")
    )?;
    writeln!(out, "  {} {}", pad("Services", 9), services.join(", "))?;
    if !regions.is_empty() {
        writeln!(out, "  {} {}", pad("Regions", 9), regions.join(", "))?;
    }
    Ok(())
}

fn write_activity(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    writeln!(out, "\n{}", style.bold("Activity"))?;
    let covered = r.weeks_covered();
    if covered == 0 {
        writeln!(
            out,
            "  No IaC commits found (source: {}); {}.",
            clean(&r.activity.source),
            deployments_phrase(0, &r.activity)
        )?;
    } else {
        let weeks = r.recent_weeks(covered.clamp(13, 26));
        let active = weeks.iter().filter(|w| w.total() > 0).count();
        let first = weeks
            .first()
            .map(|w| w.week_start.to_string())
            .unwrap_or_default();
        writeln!(
            out,
            "  {}  {active} of {} weeks active since {first} (source: {})",
            sparkline(&weeks),
            weeks.len(),
            clean(&r.activity.source)
        )?;
        let commits: u32 = weeks.iter().map(|w| w.iac_commits).sum();
        let deploys: u32 = weeks.iter().map(|w| w.deployments).sum();
        let peak = if r.quiet_last_quarter() {
            "no activity in the last 13 weeks".to_string()
        } else {
            weeks
                .iter()
                .max_by_key(|w| w.total())
                .map_or(String::new(), |w| {
                    format!("busiest week {} ({})", w.week_start, w.total())
                })
        };
        writeln!(
            out,
            "  {commits} IaC commits; {}; {peak}",
            deployments_phrase(deploys, &r.activity)
        )?;
        if r.activity.shallow {
            writeln!(
                out,
                "  {}",
                style.yellow("The git history is shallow: older weeks may be missing.")
            )?;
        }
    }
    let deploying: Vec<_> = r.activity.workflows.iter().filter(|w| w.deploys).collect();
    if deploying.is_empty() {
        return writeln!(out, "  No workflow in .github/workflows/ deploys to Azure.");
    }
    writeln!(out, "  Deploy workflows:")?;
    for w in deploying {
        let mut on = w
            .triggers
            .iter()
            .map(|t| clean(t))
            .collect::<Vec<_>>()
            .join(", ");
        if !w.branches.is_empty() {
            let branches: Vec<String> = w.branches.iter().map(|b| clean(b)).collect();
            on.push_str(&format!(" ({})", branches.join(", ")));
        }
        writeln!(
            out,
            "    {}  {}  {}",
            clean(&w.file),
            w.tools
                .iter()
                .map(|t| clean(t))
                .collect::<Vec<_>>()
                .join(", "),
            style.dim(&format!("on {on}"))
        )?;
    }
    Ok(())
}

/// `11 deployments, inferred from pushes to main that trigger azure-dev.yml`: the count and where it comes from.
pub fn deployments_phrase(count: u32, activity: &crate::history::Activity) -> String {
    let noun = if count == 1 {
        "deployment"
    } else {
        "deployments"
    };
    match activity.deployments_basis.as_str() {
        "" => format!("{count} {noun}"),
        basis => format!("{count} {noun}, {}", clean(basis)),
    }
}

/// One glyph per week, scaled to the busiest week; `·` for a week without activity.
pub fn sparkline(weeks: &[WeekCount]) -> String {
    let max = weeks.iter().map(WeekCount::total).max().unwrap_or(0);
    weeks
        .iter()
        .map(|w| {
            let t = w.total();
            if t == 0 || max == 0 {
                return IDLE;
            }
            // 1..=max onto 0..=7, rounding up so that any activity shows at least the lowest bar.
            let idx = (u64::from(t) * 8)
                .div_ceil(u64::from(max))
                .saturating_sub(1);
            BARS.get(usize::try_from(idx).unwrap_or(7))
                .copied()
                .unwrap_or('█')
        })
        .collect()
}

fn write_suggestions(out: &mut dyn io::Write, r: &ScanReport, style: Style) -> io::Result<()> {
    writeln!(
        out,
        "\n{}",
        style.bold(&format!("Suggestions ({})", r.suggestions.len()))
    )?;
    if r.suggestions.is_empty() {
        return writeln!(out, "  None: azengage sees nothing to improve.");
    }
    for severity in [
        RuleSeverity::Error,
        RuleSeverity::Warning,
        RuleSeverity::Note,
    ] {
        let group: Vec<_> = r
            .suggestions
            .iter()
            .filter(|s| s.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let name = super::sarif::level(severity);
        let heading = match severity {
            RuleSeverity::Error => style.red(name),
            RuleSeverity::Warning => style.yellow(name),
            RuleSeverity::Note => style.cyan(name),
        };
        writeln!(out, "  {heading} ({})", group.len())?;
        for s in group {
            let place = match (s.file.as_deref(), s.line) {
                (Some(f), Some(l)) if !f.is_empty() && l > 0 => format!("  {}:{l}", clean(f)),
                (Some(f), _) if !f.is_empty() => format!("  {}", clean(f)),
                _ => String::new(),
            };
            writeln!(
                out,
                "    {} {}: {}{}",
                style.bold(&clean(&s.id)),
                clean(&s.rule),
                clean(&s.title),
                style.dim(&place)
            )?;
            if !s.detail.trim().is_empty() {
                writeln!(out, "      {}", clean(&s.detail))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn weeks(totals: &[u32]) -> Vec<WeekCount> {
        totals
            .iter()
            .map(|&t| WeekCount {
                week_start: date(2026, 1, 5),
                iac_commits: t,
                deployments: 0,
            })
            .collect()
    }

    #[test]
    fn sparkline_marks_gaps_and_scales_to_the_peak() {
        assert_eq!(sparkline(&weeks(&[0, 1, 4, 8, 0])), "·▁▄█·");
        assert_eq!(sparkline(&weeks(&[0, 0])), "··");
        assert_eq!(sparkline(&weeks(&[1, 40])), "▁█");
    }

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(clean("web\x1b[31mred\r\n"), "web?[31mred??");
    }
}
