//! Text helpers every terminal printer shares (scan, inventory, costs, diff, account): control characters made
//! harmless, aligned tables, diagnostic lines and the bar glyphs of sparklines. No printer imports another
//! printer's helpers; what two of them need lives here.

use super::style::{Style, pad};
use crate::model::{Diagnostic, Severity};
use std::io;

/// The sparkline's glyphs, lowest bar first: from one unit to the busiest week (activity) or the largest value
/// (costs).
pub const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// `s` without control characters (escape sequences, carriage returns): they would act on the terminal.
pub fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { '?' } else { c })
        .collect()
}

/// Print a table with a header row; the last column is right-aligned.
pub fn table<const N: usize>(
    out: &mut dyn io::Write,
    header: [&str; N],
    rows: &[[String; N]],
    style: Style,
) -> io::Result<()> {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<String>| -> String {
        let last = cells.len() - 1;
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    pad(c, widths[i])
                }
            })
            .collect::<Vec<_>>()
            .join("  ")
    };
    writeln!(
        out,
        "{}",
        style.bold(&line(header.iter().map(|h| h.to_string()).collect()))
    )?;
    for row in rows {
        writeln!(out, "{}", line(row.to_vec()))?;
    }
    Ok(())
}

/// How a report sets its diagnostics apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagnosticsLayout {
    /// After a blank line, one per line.
    Plain,
    /// Under a bold `Diagnostics (N)` heading, indented as the report's other sections are.
    Section,
}

/// Print diagnostics as `file:line:col: severity: message [code]`, one per line; nothing when there are none.
pub fn write_diagnostics(
    out: &mut dyn io::Write,
    diags: &[Diagnostic],
    style: Style,
    layout: DiagnosticsLayout,
) -> io::Result<()> {
    if diags.is_empty() {
        return Ok(());
    }
    let indent = match layout {
        DiagnosticsLayout::Plain => {
            writeln!(out)?;
            ""
        }
        DiagnosticsLayout::Section => {
            let heading = format!("Diagnostics ({})", diags.len());
            writeln!(out, "\n{}", style.bold(&heading))?;
            "  "
        }
    };
    for d in diags {
        writeln!(out, "{indent}{}", diagnostic_line(d, style))?;
    }
    Ok(())
}

/// One diagnostic as `file:line:col: severity: message [code]`, with control characters from the inputs
/// made harmless for a terminal.
pub fn diagnostic_line(d: &Diagnostic, style: Style) -> String {
    let severity = match d.severity {
        Severity::Error => style.red("error"),
        Severity::Warning => style.yellow("warning"),
        Severity::Info => style.cyan("info"),
    };
    format!(
        "{}:{}:{}: {severity}: {} [{}]",
        clean(&d.file),
        d.line,
        d.column,
        clean(&d.message),
        clean(&d.code)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_made_harmless() {
        assert_eq!(clean("a\x1b[31mb\r\n"), "a?[31mb??");
    }

    #[test]
    fn diagnostic_lines_and_tables() {
        let d = Diagnostic::new(
            "m\x07.tf",
            3,
            7,
            Severity::Warning,
            "unknown-region",
            "not a region",
        );
        assert_eq!(
            diagnostic_line(&d, Style::default()),
            "m?.tf:3:7: warning: not a region [unknown-region]"
        );
        let mut out = Vec::new();
        let rows = [["Storage".to_string(), "12".to_string()]];
        table(&mut out, ["Service", "Count"], &rows, Style::default()).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "Service  Count\nStorage     12\n"
        );
    }
}
