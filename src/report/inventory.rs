//! `inventory` output: a compact table (service, category, regions, count) and the diagnostics.

use super::style::{Style, pad};
use super::text::{DiagnosticsLayout, clean, table, write_diagnostics};
use crate::inventory::Inventory;
use crate::plural::counted;
use std::collections::{BTreeMap, BTreeSet};
use std::io;

/// Print the inventory as text: services of deployed resources, then one line on what is not deployed and
/// why, how the roots were found and where the region comes from; with `all`, a table of what is not
/// deployed too.
pub fn write_text(
    out: &mut dyn io::Write,
    inv: &Inventory,
    style: Style,
    all: bool,
) -> io::Result<()> {
    write_deployed(out, inv, style)?;
    if let Some(line) = crate::inventory::not_deployed_line(&inv.resources) {
        let hint = if all { "" } else { " (--all lists them)" };
        writeln!(out, "{}", style.dim(&format!("{}{hint}", clean(&line))))?;
    }
    if !inv.roots_summary.is_empty() {
        writeln!(out, "{}", clean(&inv.roots_summary))?;
    }
    if let Some(note) = &inv.region_note {
        writeln!(out, "{}", clean(note))?;
    }
    if all {
        write_not_deployed(out, inv, style)?;
    }
    write_diagnostics(out, &inv.diagnostics, style, DiagnosticsLayout::Plain)
}

/// The resources listed but not deployed: where, what, and why not.
fn write_not_deployed(out: &mut dyn io::Write, inv: &Inventory, style: Style) -> io::Result<()> {
    let rows: Vec<[String; 4]> = inv
        .not_deployed()
        .map(|r| {
            [
                clean(&format!("{}:{}", r.file, r.line)),
                clean(r.arm_type.as_deref().unwrap_or(&r.source_type)),
                clean(&r.name),
                r.why_not.map_or("", |w| w.as_str()).to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    // Left-aligned throughout (the shared table right-aligns its last column, a count).
    let header = ["NOT DEPLOYED", "TYPE", "NAME", "WHY"];
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: [&str; 4]| {
        let padded: Vec<String> = cells.iter().zip(widths).map(|(c, w)| pad(c, w)).collect();
        padded.join("  ").trim_end().to_string()
    };
    writeln!(out, "{}", style.bold(&line(header)))?;
    for row in &rows {
        writeln!(out, "{}", line([&row[0], &row[1], &row[2], &row[3]]))?;
    }
    Ok(())
}

/// The table of services of deployed resources and the totals line.
fn write_deployed(out: &mut dyn io::Write, inv: &Inventory, style: Style) -> io::Result<()> {
    let deployed: Vec<_> = inv.deployed().collect();
    if deployed.is_empty() {
        writeln!(out, "No deployed Azure resources found.")?;
    } else {
        let mut regions: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
        for r in &deployed {
            if let Some(s) = r.service.as_deref() {
                let e = regions.entry(s).or_default();
                // Child resources without a location of their own add nothing; a location written but not
                // resolvable statically shows as `?`.
                match (&r.location, &r.location_expr) {
                    (Some(l), _) => {
                        e.insert(l.as_str());
                    }
                    (None, Some(_)) => {
                        e.insert("?");
                    }
                    (None, None) => {}
                }
            }
        }
        let rows: Vec<[String; 4]> = inv
            .services
            .iter()
            .map(|s| {
                let regs = regions
                    .get(s.name.as_str())
                    .map(|r| r.iter().copied().collect::<Vec<_>>().join(", "));
                // Plumbing is listed so that nothing vanishes, but marked: it counts for no breadth figure.
                let name = if s.counts_for_breadth {
                    s.name.clone()
                } else {
                    format!("{} (not counted)", s.name)
                };
                [
                    name,
                    s.category.clone(),
                    regs.unwrap_or_default(),
                    s.resources.to_string(),
                ]
            })
            .collect();
        table(
            out,
            ["SERVICE", "CATEGORY", "REGIONS", "RESOURCES"],
            &rows,
            style,
        )?;
        let other = inv
            .resources
            .iter()
            // A data source without an ARM type (`azurerm_client_config`) reads, it deploys nothing.
            .filter(|r| r.deployed && !r.is_azure() && !r.existing)
            .count();
        let existing = inv
            .resources
            .iter()
            .filter(|r| r.deployed && r.is_azure() && r.existing)
            .count();
        writeln!(
            out,
            "\n{} in {} and {}{}{}.",
            counted(
                deployed.len(),
                "deployed Azure resource",
                "deployed Azure resources"
            ),
            counted(
                inv.services.iter().filter(|s| s.counts_for_breadth).count(),
                "service",
                "services"
            ),
            counted(inv.regions.len(), "region", "regions"),
            if existing > 0 {
                format!(
                    "; {}",
                    counted(existing, "existing reference", "existing references")
                )
            } else {
                String::new()
            },
            if other > 0 {
                format!(
                    "; {}",
                    counted(other, "non-Azure resource", "non-Azure resources")
                )
            } else {
                String::new()
            },
        )?;
        let unresolved = deployed
            .iter()
            .filter(|r| r.location.is_none() && r.location_expr.is_some())
            .count();
        if unresolved > 0 {
            let has = if unresolved == 1 { "has" } else { "have" };
            let what = counted(unresolved, "resource", "resources");
            writeln!(
                out,
                "{}",
                style.dim(&format!(
                    "{what} {has} a location azengage cannot resolve statically (shown as ?)."
                ))
            )?;
        }
    }
    Ok(())
}
