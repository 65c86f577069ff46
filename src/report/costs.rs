//! The usage section as text: totals, the weekly spend, top services and regions, the projection sentence.

use super::style::Style;
use super::text::{BARS, clean};
use crate::costs::{CostsSummary, Money};
use std::io;

/// The sentence a CTO reads first: where consumption will stand on the review date.
pub fn projection_sentence(
    c: &CostsSummary,
    review_date: Option<jiff::civil::Date>,
) -> Option<String> {
    let projected = c.projected_percent_at_review?;
    let review = review_date?;
    Some(format!(
        "At this pace you will have used {projected:.0}% of your credits by the review on {review}; the program asks for 50%."
    ))
}

/// Print the usage section.
pub fn write_text(
    out: &mut dyn io::Write,
    c: &CostsSummary,
    review_date: Option<jiff::civil::Date>,
    style: Style,
) -> io::Result<()> {
    let currency = clean(c.currency.as_deref().unwrap_or(""));
    writeln!(out, "{}", style.bold("Usage (Cost Management exports)"))?;
    let period = match (c.first_day, c.last_day) {
        (Some(a), Some(b)) => format!("{a} to {b}"),
        _ => "no counted rows".into(),
    };
    writeln!(
        out,
        "  {} {currency} billed, {period} ({} rows in {} file{}, {} schema)",
        c.total,
        c.rows,
        c.files,
        if c.files == 1 { "" } else { "s" },
        c.schema.as_str()
    )?;
    if let Some(p) = c.consumed_percent {
        writeln!(out, "  {p:.1}% of the credits consumed")?;
    }
    if let Some(s) = projection_sentence(c, review_date) {
        writeln!(out, "  {s}")?;
    }
    let recent: Vec<&crate::costs::WeekCost> = c
        .weekly
        .iter()
        .rev()
        .take(13)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if !recent.is_empty() {
        let values: Vec<Money> = recent.iter().map(|w| w.cost).collect();
        writeln!(
            out,
            "  weekly spend, last {} weeks: {}",
            values.len(),
            sparkline(&values)
        )?;
    }
    for (label, rows) in [
        (
            "top services",
            c.by_service
                .iter()
                .take(5)
                .map(|s| format!("{} {}", clean(&s.name), s.cost))
                .collect::<Vec<_>>(),
        ),
        (
            "top regions",
            c.by_region
                .iter()
                .take(5)
                .map(|r| format!("{} {}", clean(&r.name), r.cost))
                .collect::<Vec<_>>(),
        ),
    ] {
        if !rows.is_empty() {
            writeln!(out, "  {label}: {}", rows.join(", "))?;
        }
    }
    if !c.billed_not_in_iac.is_empty() {
        writeln!(
            out,
            "  {} {}",
            style.yellow("billed but not in the IaC:"),
            clean(&c.billed_not_in_iac.join(", "))
        )?;
    }
    if !c.in_iac_not_billed.is_empty() {
        writeln!(
            out,
            "  {} {}",
            style.dim("declared but not billed in the last 28 days:"),
            clean(&c.in_iac_not_billed.join(", "))
        )?;
    }
    Ok(())
}

/// `▁▂▃▅▇` bars scaled to the largest value.
pub fn sparkline(values: &[Money]) -> String {
    let max = values.iter().map(|m| m.0).max().unwrap_or_default();
    values
        .iter()
        .map(|v| {
            if max.is_zero() || v.0 <= rust_decimal::Decimal::ZERO {
                ' '
            } else {
                let idx = (v.0 / max * rust_decimal::Decimal::from(7)).round();
                BARS[usize::try_from(rust_decimal::prelude::ToPrimitive::to_u64(&idx).unwrap_or(0))
                    .unwrap_or(0)
                    .min(7)]
            }
        })
        .collect()
}
