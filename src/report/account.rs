//! The account parts of a merged report (`azengage merge`, the action's `scans` input): the headline that says
//! what the repositories add up to, and one entry per repository saying what it contributes (services,
//! resources, regions, active weeks). The text and Markdown printers call these when
//! [`ScanReport::account`] is set; everything else in the report reads as a scan's.

use super::markdown::fit::{Part, Section};
use super::markdown::{escape_md, table_code_span};
use super::style::{Style, pad};
use super::text::clean;
use crate::account::{AccountSummary, RepositoryContribution};
use crate::plural::counted;
use crate::scan::ScanReport;
use std::io;

/// The most any one repository has of a figure, over `repositories`.
fn most(repositories: &[RepositoryContribution], f: fn(&RepositoryContribution) -> usize) -> usize {
    repositories.iter().map(f).max().unwrap_or(0)
}

/// `3 repositories: 9 services in 3 regions (at most 4 in one repository alone); 11 of the last 13 weeks
/// active (at most 9 in one repository alone).`
pub fn headline(r: &ScanReport, a: &AccountSummary) -> String {
    let repos = &a.repositories;
    let services = r.services.iter().filter(|s| s.counts_for_breadth).count();
    let active = r.activity.metrics.active_weeks_13;
    let alone = |n: usize| {
        if repos.len() > 1 {
            format!(" (at most {n} in one repository alone)")
        } else {
            String::new()
        }
    };
    format!(
        "{}: {} in {}{}; {active} of the last 13 weeks active{}.",
        counted(repos.len(), "repository", "repositories"),
        counted(services, "service", "services"),
        counted(r.regions.len(), "region", "regions"),
        alone(most(repos, |c| c.services.len())),
        alone(most(repos, |c| c.active_weeks_13 as usize)),
    )
}

/// The text headline, printed under the title line.
pub fn write_text_headline(
    out: &mut dyn io::Write,
    r: &ScanReport,
    a: &AccountSummary,
    style: Style,
) -> io::Result<()> {
    writeln!(out, "{} {}", style.bold("Account of"), headline(r, a))?;
    writeln!(
        out,
        "{}",
        style.dim("The estimate below is computed over all of them together, not averaged.")
    )?;
    writeln!(out)
}

/// The text section with one entry per repository.
pub fn write_text_repositories(
    out: &mut dyn io::Write,
    a: &AccountSummary,
    style: Style,
) -> io::Result<()> {
    writeln!(
        out,
        "\n{}",
        style.bold(&format!("Repositories ({})", a.repositories.len()))
    )?;
    for c in &a.repositories {
        let own = c
            .score
            .map_or(String::new(), |s| format!(", its own estimate {s}/100"));
        writeln!(
            out,
            "  {} {}",
            style.bold(&clean(&c.name)),
            style.dim(&format!("(scanned {}{own})", c.as_of))
        )?;
        let services = if c.services.is_empty() {
            "none".to_string()
        } else {
            c.services
                .iter()
                .map(|s| {
                    let only = c.services_only_here.contains(s);
                    format!("{}{}", clean(s), if only { " (only here)" } else { "" })
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        writeln!(out, "    {} {services}", pad("Services", 10))?;
        let regions = if c.regions.is_empty() {
            String::new()
        } else {
            let names: Vec<String> = c.regions.iter().map(|g| clean(g)).collect();
            format!(" in {}", names.join(", "))
        };
        writeln!(out, "    {} {}{regions}", pad("Resources", 10), c.resources)?;
        writeln!(
            out,
            "    {} {} of the last 13 weeks active: {}, {}",
            pad("Activity", 10),
            c.active_weeks_13,
            counted(c.iac_commits_13 as usize, "IaC commit", "IaC commits"),
            counted(c.deployments_13 as usize, "deployment", "deployments"),
        )?;
    }
    Ok(())
}

/// The Markdown parts, placed after the score: the headline, the repositories table (cut to fit with hundreds
/// of repositories) and the notes.
pub fn markdown_parts(r: &ScanReport, a: &AccountSummary) -> Vec<Part> {
    let head = format!(
        "### Account: {}\n\n{} The estimate above is computed over all of them together, not averaged.\n\n\
         | Repository | Services (**only here** in bold) | Resources | Active weeks (of 13) | IaC commits | \
         Deployments | Own estimate |\n|---|---|---:|---:|---:|---:|---:|\n",
        counted(a.repositories.len(), "repository", "repositories"),
        escape_md(&headline(r, a)),
    );
    let rows = a.repositories.iter().map(markdown_row).collect();
    let mut parts = vec![Part::Capped {
        priority: 1,
        section: Section {
            name: "repositories",
            head,
            rows,
            tail: "\n".into(),
        },
    }];
    if !a.notes.is_empty() {
        parts.push(Part::Capped {
            priority: 1,
            section: Section {
                name: "account notes",
                head: String::new(),
                rows: a
                    .notes
                    .iter()
                    .map(|n| format!("> **Note:** {}\n>\n", escape_md(n)))
                    .collect(),
                tail: "\n".into(),
            },
        });
    }
    parts
}

fn markdown_row(c: &RepositoryContribution) -> String {
    let services: Vec<String> = c
        .services
        .iter()
        .map(|s| {
            if c.services_only_here.contains(s) {
                format!("**{}**", escape_md(s))
            } else {
                escape_md(s)
            }
        })
        .collect();
    let services = if services.is_empty() {
        "none".to_string()
    } else {
        services.join(", ")
    };
    format!(
        "| {} | {services} | {} | {} | {} | {} | {} |\n",
        table_code_span(&c.name),
        c.resources,
        c.active_weeks_13,
        c.iac_commits_13,
        c.deployments_13,
        c.score.map_or_else(|| "–".to_string(), |s| s.to_string()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::Inventory;
    use jiff::civil::date;

    fn contribution(name: &str, services: &[&str]) -> RepositoryContribution {
        RepositoryContribution {
            name: name.to_string(),
            as_of: date(2026, 11, 25),
            resources: services.len(),
            services: services.iter().map(|s| s.to_string()).collect(),
            services_only_here: services.iter().take(1).map(|s| s.to_string()).collect(),
            regions: vec!["westeurope".into()],
            active_weeks_13: 3,
            iac_commits_13: 5,
            deployments_13: 2,
            score: Some(41),
            file: "scan.json".into(),
        }
    }

    fn report(account: AccountSummary) -> ScanReport {
        let mut r = ScanReport::new(
            date(2026, 11, 25),
            Inventory::default(),
            crate::history::Activity::default(),
            crate::report::test_support::assessment(),
        );
        r.account = Some(account);
        r
    }

    #[test]
    fn repository_text_stays_text_in_markdown() {
        let account = AccountSummary {
            repositories: vec![
                contribution("evil/x|y`z", &["<script>alert(1)</script>", "Key Vault"]),
                contribution("acme/web", &["Key Vault"]),
            ],
            notes: vec!["@octocat/admins has program settings of its own: *tier* [5k]".into()],
        };
        let r = report(account);
        let md: String = markdown_parts(&r, r.account.as_ref().unwrap())
            .into_iter()
            .map(|p| match p {
                Part::Fixed(s) => s,
                Part::Capped { section, .. } => {
                    format!("{}{}{}", section.head, section.rows.concat(), section.tail)
                }
            })
            .collect();
        assert!(!md.contains("<script>"), "{md}");
        assert!(
            md.contains("**&lt;script&gt;"),
            "only-here services are bold: {md}"
        );
        assert!(!md.contains("@octocat/admins"), "no live mention: {md}");
        // The table keeps its seven columns whatever the repository's name holds.
        let row = md.lines().find(|l| l.contains("evil")).unwrap();
        let unescaped_pipes = row.len() - row.replace('|', "").len() - row.matches("\\|").count();
        assert_eq!(unescaped_pipes, 8, "{row}");
        assert!(
            md.contains("| `acme/web` | **Key Vault** | 1 | 3 | 5 | 2 | 41 |"),
            "{md}"
        );
    }

    #[test]
    fn the_headline_compares_the_union_with_each_repository_alone() {
        let mut r = report(AccountSummary {
            repositories: vec![
                contribution("a/web", &["App Service", "Key Vault"]),
                contribution("a/api", &["Functions"]),
            ],
            notes: vec![],
        });
        r.activity.metrics.active_weeks_13 = 7;
        assert_eq!(
            headline(&r, r.account.as_ref().unwrap()),
            "2 repositories: 0 services in 0 regions (at most 2 in one repository alone); 7 of the last 13 \
             weeks active (at most 3 in one repository alone)."
        );
        let mut text = Vec::new();
        write_text_repositories(
            &mut text,
            r.account.as_ref().unwrap(),
            Style { color: false },
        )
        .unwrap();
        let text = String::from_utf8(text).unwrap();
        assert!(
            text.contains("  a/web (scanned 2026-11-25, its own estimate 41/100)\n"),
            "{text}"
        );
        assert!(
            text.contains("    Services   App Service (only here), Key Vault\n"),
            "{text}"
        );
        assert!(
            text.contains("3 of the last 13 weeks active: 5 IaC commits, 2 deployments"),
            "{text}"
        );
    }
}
