//! The "what changed" section of the PR comment: resources, services and regions a pull request adds, removes
//! or changes, and the estimate at base and at head.
//!
//! Every piece of repository text (resource names, types, paths, regions) goes through the Markdown helpers:
//! a PR from a fork controls all of it, and must not be able to inject Markdown, HTML or an `@` mention into a
//! comment posted by the repository's bot. Lists are capped ([`MAX_ROWS`] per list) so a PR that rewrites a
//! thousand resources still leaves room for the scan below it.

use super::markdown::{code_span, escape_md, table_code_span};
use crate::diff::{DiffReport, DiffResource};
use crate::plural::counted;

/// Rows shown per list (added, removed, changed); the rest are counted.
pub const MAX_ROWS: usize = 30;

/// Files named in the "files changed" line at most.
const MAX_FILES: usize = 10;

/// Bytes of resource rows at most, so the scan below always has room in the comment.
const MAX_TABLE_BYTES: usize = 16_000;

/// Characters of one name, type, path or region at most.
const MAX_TEXT_CHARS: usize = 120;

/// The section for `diff`, starting with a `## What this pull request changes` heading and ending with a
/// blank line.
pub fn diff_section(diff: &DiffReport) -> String {
    let mut s = String::from("## What this pull request changes\n\n");
    s.push_str(&files_line(&diff.files_changed));
    if diff.files_changed.is_empty() {
        s.push_str("No infrastructure-as-code file changes between base and head.\n\n");
        return s;
    }
    if let (Some(base), Some(head)) = (diff.score.base, diff.score.head) {
        let delta = i64::from(head) - i64::from(base);
        s.push_str(&format!(
            "**Estimate: {base} → {head}** ({delta:+} at head compared with base)\n\n"
        ));
    }
    let r = &diff.resources;
    if r.added.is_empty() && r.removed.is_empty() && r.changed.is_empty() {
        s.push_str(no_resource_change(diff));
    } else {
        s.push_str("| | Resource | Type | File | Region |\n|---|---|---|---|---|\n");
        let mut used = 0;
        for (sign, list) in [
            ("added", &r.added),
            ("removed", &r.removed),
            ("changed", &r.changed),
        ] {
            let mut shown = 0;
            for row in list
                .iter()
                .take(MAX_ROWS)
                .map(|res| resource_row(sign, res))
            {
                if used + row.len() > MAX_TABLE_BYTES {
                    break;
                }
                used += row.len();
                shown += 1;
                s.push_str(&row);
            }
            let more = list.len() - shown;
            if more > 0 {
                s.push_str(&format!("| {sign} | … and {more} more | | | |\n"));
            }
        }
        s.push('\n');
    }
    s.push_str(&set_line(
        "Services",
        &diff.services.added,
        &diff.services.removed,
    ));
    s.push_str(&set_line(
        "Regions",
        &diff.regions.added,
        &diff.regions.removed,
    ));
    if !diff.diagnostics.is_empty() {
        let files = diff.diagnostics.len();
        s.push_str(&format!(
            "{} could not be parsed at base or at head; {} resources are left out of the \
             comparison.\n\n",
            counted(files, "file", "files"),
            if files == 1 { "its" } else { "their" }
        ));
    }
    s
}

/// The section when only the list of changed files is known (the base commit is not in a shallow checkout):
/// says which IaC files changed and how to get the full comparison.
pub fn files_only_section(files_changed: &[String]) -> String {
    let mut s = String::from("## What this pull request changes\n\n");
    s.push_str(&files_line(files_changed));
    s.push_str(
        "The base commit is not in this checkout, so resources, services and regions are not compared. \
         Check out with `fetch-depth: 0` (actions/checkout) to see what the change adds and removes.\n\n",
    );
    s
}

/// `Infrastructure files changed: `a.tf`, `b.bicep` and 3 more.` (empty when none).
fn files_line(files: &[String]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let shown: Vec<String> = files
        .iter()
        .take(MAX_FILES)
        .map(|f| code_span(&clip(f)))
        .collect();
    let more = files.len().saturating_sub(MAX_FILES);
    let tail = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "Infrastructure file{} changed: {}{tail}.\n\n",
        plural(files.len()),
        shown.join(", ")
    )
}

/// The line for a change that adds, removes and changes no resource.
///
/// Seam for deployed-only counting: when the change touches only files no deployment uses
/// (`deployed_change: false`), this is where the comment says "changes only files no deployment uses".
/// What to say when no deployed resource is added, removed or changed: a change that touches only files no
/// deployment uses says so (`deployed_change: false`).
fn no_resource_change(diff: &DiffReport) -> &'static str {
    if diff.deployed_change {
        "No deployed Azure resources added, removed or changed.\n\n"
    } else {
        "The change touches only files no deployment uses: no deployed resource, service or region \
         changes.\n\n"
    }
}

/// `changed` with why, for the sign column: `changed (module arguments)`, `changed (inputs: `var.sku`)`.
fn change_label(sign: &str, r: &DiffResource) -> String {
    match r.why.as_deref() {
        Some("module-arguments") => format!("{sign} (module arguments)"),
        Some("inputs") if !r.inputs.is_empty() => {
            let names: Vec<String> = r
                .inputs
                .iter()
                .take(5)
                .map(|i| table_code_span(&clip(i)))
                .collect();
            let more = r.inputs.len().saturating_sub(5);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            format!("{sign} (inputs: {}{more})", names.join(", "))
        }
        _ => sign.to_string(),
    }
}

fn resource_row(sign: &str, r: &DiffResource) -> String {
    let sign = change_label(sign, r);
    let what = r.arm_type.as_deref().unwrap_or(&r.source_type);
    let region = r
        .location
        .as_deref()
        .map_or_else(String::new, |l| table_code_span(&clip(l)));
    format!(
        "| {sign} | {} | {} | {} | {region} |\n",
        table_code_span(&clip(&r.name)),
        table_code_span(&clip(what)),
        table_code_span(&clip(&format!("{}:{}", r.file, r.line))),
    )
}

/// `text` cut to [`MAX_TEXT_CHARS`] characters (with `…`): repository text has no length limit, a comment has.
fn clip(text: &str) -> String {
    if text.chars().count() <= MAX_TEXT_CHARS {
        return text.to_string();
    }
    let mut short: String = text.chars().take(MAX_TEXT_CHARS - 1).collect();
    short.push('…');
    short
}

fn set_line(label: &str, added: &[String], removed: &[String]) -> String {
    if added.is_empty() && removed.is_empty() {
        return format!("{label}: no change.\n\n");
    }
    let names = |list: &[String]| -> String {
        let shown: Vec<String> = list
            .iter()
            .take(MAX_ROWS)
            .map(|n| escape_md(&clip(n)))
            .collect();
        let more = list.len().saturating_sub(MAX_ROWS);
        if more > 0 {
            format!("{} and {more} more", shown.join(", "))
        } else {
            shown.join(", ")
        }
    };
    let mut parts = Vec::new();
    if !added.is_empty() {
        parts.push(format!("added {}", names(added)));
    }
    if !removed.is_empty() {
        parts.push(format!("removed {}", names(removed)));
    }
    format!("{label}: {}.\n\n", parts.join("; "))
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{ResourceChanges, ScoreChange, SetChanges};

    fn resource(name: &str, file: &str, location: Option<&str>) -> DiffResource {
        DiffResource {
            arm_type: Some("Microsoft.Web/sites".into()),
            source_type: "azurerm_linux_web_app".into(),
            name: name.into(),
            file: file.into(),
            line: 40,
            location: location.map(str::to_string),
            service: Some("App Service".into()),
            why: None,
            inputs: vec![],
        }
    }

    fn diff() -> DiffReport {
        DiffReport {
            schema_version: 1,
            base: "3f2a".into(),
            head: "9c1d".into(),
            files_changed: vec!["infra/main.tf".into()],
            deployed_change: true,
            resources: ResourceChanges {
                added: vec![resource("web", "infra/main.tf", Some("westeurope"))],
                removed: vec![],
                changed: vec![resource("api|<b>@team</b>", "infra/main.tf", None)],
            },
            services: SetChanges {
                added: vec!["App Service".into()],
                removed: vec![],
            },
            regions: SetChanges {
                added: vec!["northeurope".into()],
                removed: vec!["<img src=x>".into()],
            },
            score: ScoreChange {
                base: Some(52),
                head: Some(58),
            },
            diagnostics: vec![],
        }
    }

    #[test]
    fn lists_changes_and_the_estimate() {
        let s = diff_section(&diff());
        assert!(s.starts_with("## What this pull request changes\n"), "{s}");
        assert!(s.contains("**Estimate: 52 → 58** (+6"), "{s}");
        assert!(
            s.contains(
                "| added | `web` | `Microsoft.Web/sites` | `infra/main.tf:40` | `westeurope` |"
            ),
            "{s}"
        );
        assert!(s.contains("Services: added App Service."), "{s}");
        assert!(
            s.contains("Regions: added northeurope; removed &lt;img src=x&gt;."),
            "{s}"
        );
    }

    #[test]
    fn repository_text_stays_inert() {
        let s = diff_section(&diff());
        // The pipe is escaped for the table, the HTML and mention sit in a code span.
        assert!(s.contains("| changed | `api\\|<b>@team</b>` |"), "{s}");
        assert!(!s.contains("<img"), "{s}");
        for line in s.lines().filter(|l| l.starts_with("| changed")) {
            assert_eq!(line.matches(" | ").count(), 4, "five cells: {line}");
        }
    }

    #[test]
    fn caps_long_lists_and_says_so() {
        let mut d = diff();
        d.resources.added = (0..45)
            .map(|i| resource(&format!("app{i}"), "infra/apps.tf", None))
            .collect();
        let s = diff_section(&d);
        assert_eq!(s.matches("| added | `app").count(), MAX_ROWS);
        assert!(s.contains("| added | … and 15 more |"), "{s}");
    }

    #[test]
    fn huge_names_are_clipped_and_the_table_has_a_byte_budget() {
        let mut d = diff();
        let long = "x".repeat(5_000);
        d.resources.added = (0..30)
            .map(|i| resource(&format!("{long}{i}"), &long, Some(&long)))
            .collect();
        d.resources.removed = d.resources.added.clone();
        d.resources.changed = d.resources.added.clone();
        d.regions.added = vec![long.clone()];
        let s = diff_section(&d);
        assert!(s.len() < MAX_TABLE_BYTES + 4_000, "{}", s.len());
        assert!(
            !s.contains(&"x".repeat(MAX_TEXT_CHARS)),
            "names are clipped"
        );
        assert!(
            s.contains("| changed | … and 30 more |"),
            "the rows left out are counted: {s}"
        );
    }

    #[test]
    fn no_iac_change_and_files_only() {
        let mut d = diff();
        d.files_changed.clear();
        assert!(diff_section(&d).contains("No infrastructure-as-code file changes"));
        let s = files_only_section(&["infra/main.bicep".into()]);
        assert!(
            s.contains("Infrastructure file changed: `infra/main.bicep`."),
            "{s}"
        );
        assert!(s.contains("fetch-depth: 0"), "{s}");
    }
}
