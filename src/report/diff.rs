//! `diff` output as text.

use super::style::Style;
use crate::diff::{DiffReport, DiffResource};
use std::io;

/// Print a diff for a terminal.
pub fn write_text(out: &mut dyn io::Write, d: &DiffReport, style: Style) -> io::Result<()> {
    let short = |s: &str| s.chars().take(10).collect::<String>();
    writeln!(
        out,
        "{} {}..{} ({} IaC file{} changed)",
        style.bold("Infrastructure diff"),
        short(&d.base),
        short(&d.head),
        d.files_changed.len(),
        if d.files_changed.len() == 1 { "" } else { "s" }
    )?;
    if d.files_changed.is_empty() {
        writeln!(out, "No infrastructure changes.")?;
        return super::text::write_diagnostics(
            out,
            &d.diagnostics,
            style,
            super::text::DiagnosticsLayout::Plain,
        );
    }
    let sections = [
        ("+", &d.resources.added),
        ("-", &d.resources.removed),
        ("~", &d.resources.changed),
    ];
    for (sign, list) in sections {
        for r in list {
            let line = resource_line(sign, r);
            let line = match sign {
                "+" => style.green(&line),
                "-" => style.red(&line),
                _ => style.yellow(&line),
            };
            writeln!(out, "{line}")?;
        }
    }
    if !d.deployed_change {
        writeln!(
            out,
            "The change touches only files no deployment uses: nothing deployed changes."
        )?;
    } else if d.resources.added.is_empty()
        && d.resources.removed.is_empty()
        && d.resources.changed.is_empty()
    {
        writeln!(out, "No deployed resources added, removed or changed.")?;
    }
    write_set(out, "Services", &d.services.added, &d.services.removed)?;
    write_set(out, "Regions", &d.regions.added, &d.regions.removed)?;
    if let (Some(b), Some(h)) = (d.score.base, d.score.head) {
        let delta = i64::from(h) - i64::from(b);
        writeln!(out, "Estimate: {b} → {h} ({delta:+})")?;
    }
    super::text::write_diagnostics(
        out,
        &d.diagnostics,
        style,
        super::text::DiagnosticsLayout::Plain,
    )
}

fn resource_line(sign: &str, r: &DiffResource) -> String {
    let what = r
        .arm_type
        .as_deref()
        .map(|t| format!(" ({t})"))
        .unwrap_or_default();
    let loc = r
        .location
        .as_deref()
        .map(|l| format!(" {l}"))
        .unwrap_or_default();
    let why = match r.why.as_deref() {
        Some("module-arguments") => "  (module arguments changed)".to_string(),
        Some("inputs") => format!(
            "  (inputs changed: {})",
            super::text::clean(&r.inputs.join(", "))
        ),
        _ => String::new(),
    };
    format!(
        "{sign} {}.{}{what}  {}:{}{loc}{why}",
        r.source_type, r.name, r.file, r.line
    )
}

fn write_set(
    out: &mut dyn io::Write,
    label: &str,
    added: &[String],
    removed: &[String],
) -> io::Result<()> {
    if added.is_empty() && removed.is_empty() {
        return Ok(());
    }
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("+ {}", added.join(", ")));
    }
    if !removed.is_empty() {
        parts.push(format!("- {}", removed.join(", ")));
    }
    writeln!(out, "{label}: {}", parts.join("; "))
}
