//! `azengage rules [ID|NAME]`: list the suggestion rules, or show one rule's documentation.

use super::CliError;
use crate::assess::rules::{RuleInfo, find, rules, severity_name};
use crate::exit::Exit;
use crate::report::style::Style;
use clap::{Args, ValueEnum};
use serde::Serialize;
use std::io::Write;

pub(super) const AFTER_HELP: &str = "\
Examples:
  azengage rules                            every rule: id, default severity, name, title
  azengage rules AZE001                     one rule's documentation
  azengage rules no-monitoring --format json

Exit codes: 0 ok, 2 unknown rule or usage error.";

/// Output formats of `rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    /// A table (all rules) or the documentation (one rule).
    Text,
    /// `[{"id","name","severity","title","docs"}]`.
    Json,
}

/// Arguments of `azengage rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id (`AZE001`) or name (`no-monitoring`); all rules when omitted.
    #[arg(value_name = "ID|NAME")]
    pub rule: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

/// One rule in `--format json`.
#[derive(Debug, Serialize)]
struct RuleJson {
    id: &'static str,
    name: &'static str,
    severity: &'static str,
    title: &'static str,
    docs: String,
}

/// Run the command; returns the exit code.
pub fn run(args: &RulesArgs, style: Style) -> Result<Exit, CliError> {
    let selected: Vec<&RuleInfo> = match &args.rule {
        None => rules().iter().collect(),
        Some(wanted) => match find(wanted) {
            Some(rule) => vec![rule],
            None => {
                let names: Vec<&str> = rules().iter().map(|r| r.name).collect();
                return Err(CliError::UnknownRule {
                    wanted: wanted.clone(),
                    ids: format!("AZE001-AZE{:03}", rules().len()),
                    names: names.join(", "),
                });
            }
        },
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match (args.format, args.rule.is_some()) {
        (RulesFormat::Json, _) => {
            let list: Vec<RuleJson> = selected.iter().map(|r| to_json(r)).collect();
            serde_json::to_writer_pretty(&mut out, &list).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        (RulesFormat::Text, false) => write_table(&mut out, &selected, style)?,
        (RulesFormat::Text, true) => {
            for r in &selected {
                write_rule(&mut out, r, style)?;
            }
        }
    }
    out.flush()?;
    Ok(Exit::Ok)
}

fn to_json(r: &RuleInfo) -> RuleJson {
    RuleJson {
        id: r.id,
        name: r.name,
        severity: severity_name(r.severity),
        title: r.title,
        docs: r.docs_path(),
    }
}

/// `AZE001  warning  no-monitoring          No Log Analytics workspace, ...  docs/rules/AZE001.md`
pub fn write_table(out: &mut impl Write, list: &[&RuleInfo], style: Style) -> std::io::Result<()> {
    let width = list.iter().map(|r| r.name.len()).max().unwrap_or(0);
    let title_width = list
        .iter()
        .map(|r| r.title.chars().count())
        .max()
        .unwrap_or(0);
    for r in list {
        let severity = format!("{:<7}", severity_name(r.severity));
        writeln!(
            out,
            "{}  {}  {:<width$}  {:<title_width$}  {}",
            style.bold(r.id),
            paint(style, r.severity, &severity),
            r.name,
            r.title,
            style.dim(&r.docs_path())
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        style.dim("`azengage rules ID` shows a rule's documentation.")
    )
}

/// One rule's documentation as plain text.
pub fn write_rule(out: &mut impl Write, r: &RuleInfo, style: Style) -> std::io::Result<()> {
    writeln!(
        out,
        "{} {}: {}",
        style.bold(r.id),
        style.bold(r.name),
        r.title
    )?;
    writeln!(
        out,
        "Default severity: {}. Docs: {}",
        paint(style, r.severity, severity_name(r.severity)),
        r.docs_path()
    )?;
    for (heading, text) in [
        ("What it checks", r.what),
        ("Why it matters for the review", r.why),
        ("How to fix", r.how),
        ("Example", r.example),
    ] {
        writeln!(out)?;
        writeln!(out, "{}", style.bold(heading))?;
        writeln!(out, "{}", text.trim())?;
    }
    Ok(())
}

fn paint(style: Style, severity: crate::assess::RuleSeverity, text: &str) -> String {
    use crate::assess::RuleSeverity;
    match severity {
        RuleSeverity::Error => style.red(text),
        RuleSeverity::Warning => style.yellow(text),
        RuleSeverity::Note => style.cyan(text),
    }
}
