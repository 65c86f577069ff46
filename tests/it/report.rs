//! The `scan` printers (text, Markdown, SARIF, JSON) over one realistic report: a startup's Terraform repository
//! with 9 Azure services in 2 regions, 20 weeks of history with a gap and a spike, and 6 suggestions, one of
//! them carrying hostile text from a file.

pub mod fixture;

use azengage::report::markdown::{MarkdownOptions, to_markdown};
use azengage::report::scan_text::write_text;
use azengage::report::style::Style;
use fixture::{huge_report, report, report_with_costs, sarif};
use serde_json::Value;
use std::path::Path;

#[test]
fn the_fixture_is_what_it_claims() {
    let r = report();
    assert_eq!(r.services.len(), 9, "{:?}", r.services);
    assert_eq!(r.regions.len(), 2);
    assert_eq!(r.weeks_covered(), 20);
    assert_eq!(r.suggestions.len(), 6);
}

#[test]
fn text_snapshot() {
    let mut out = Vec::new();
    write_text(&mut out, &report(), Style { color: false }).expect("writing to a Vec cannot fail");
    let text = String::from_utf8(out).expect("text output is UTF-8");
    assert!(!text.contains('\x1b'), "no colour when colour is off");
    insta::assert_snapshot!("scan_text", text);
}

#[test]
fn text_with_colour_only_adds_escape_codes() {
    let (mut plain, mut coloured) = (Vec::new(), Vec::new());
    let r = report();
    write_text(&mut plain, &r, Style { color: false }).expect("Vec");
    write_text(&mut coloured, &r, Style { color: true }).expect("Vec");
    let coloured = String::from_utf8_lossy(&coloured).into_owned();
    assert!(coloured.contains("\x1b[33mModerate\x1b[0m"));
    let stripped = regex_free_strip(&coloured);
    assert_eq!(stripped, String::from_utf8_lossy(&plain));
}

/// Remove `ESC [ ... m` sequences.
fn regex_free_strip(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for d in chars.by_ref() {
                if d == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn markdown_snapshot() {
    let md = to_markdown(&report(), &MarkdownOptions::default());
    assert!(md.starts_with("<!-- azengage -->\n"));
    insta::assert_snapshot!("scan_markdown", md);
}

#[test]
fn markdown_never_lets_repository_text_live() {
    let md = to_markdown(&report(), &MarkdownOptions::default());
    assert!(!md.contains("<script>"));
    assert!(!md.contains("@org/team"), "mention must be broken");
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // A zero-width space after `@` (GitHub decodes `&#64;` before it looks for mentions).
    assert!(md.contains("@\u{200B}org/team") && !md.contains("&#64;"));
    // The hostile path is a code span whose fence outlasts its backticks; its row keeps 5 cells.
    let row = md
        .lines()
        .find(|l| l.contains("AZE003") && l.starts_with('|'))
        .expect("AZE003 row");
    assert!(row.contains("``infra/modules/`x`/main.tf:7``"), "{row}");
    let cells = row
        .replace("\\|", "")
        .replace("&#124;", "")
        .matches('|')
        .count();
    assert_eq!(cells, 6, "{row}");
}

#[test]
fn markdown_chart_plots_20_weeks_with_the_gap_and_the_spike() {
    let md = to_markdown(&report(), &MarkdownOptions::default());
    assert!(md.contains("```mermaid\nxychart-beta\n"));
    assert!(
        md.contains("    bar [2, 1, 3, 1, 2, 1, 2, 0, 0, 0, 0, 4, 14, 2, 1, 0, 2, 1, 3, 1]\n"),
        "{md}"
    );
    assert!(md.contains("    line [1, 1, 2, 0, 1, 1, 1, 0, 0, 0, 0, 1, 6, 1, 0, 0, 1, 1, 2, 1]\n"));
    assert!(md.contains("x-axis [\"Jul 13\", "));
    assert!(md.contains("\"Nov 23\"]"));
    assert!(md.contains("y-axis \"per week\" 0 --> 14"));
}

#[test]
fn sarif_snapshot() {
    let log = sarif(&report());
    let pretty = serde_json::to_string_pretty(&log).expect("a Value serialises");
    insta::assert_snapshot!("scan_sarif", pretty);
}

#[test]
fn sarif_validates_against_the_sarif_2_1_0_schema() {
    let schema_text = include_str!("../fixtures/sarif/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(schema_text).expect("the vendored schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let log = sarif(&report());
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The validator does catch a broken log (so the check above means something).
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn sarif_meets_the_contract() {
    let r = report();
    let log = sarif(&r);
    assert_eq!(
        log["$schema"],
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
    );
    let run = &log["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "azengage");
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), 6);
    for rule in rules {
        let uri = rule["helpUri"].as_str().expect("helpUri");
        assert!(uri.starts_with("https://github.com/azengage/azengage/blob/main/docs/rules/AZE"));
        assert!(uri.ends_with(".md"));
    }
    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), r.suggestions.len());
    for (res, s) in results.iter().zip(&r.suggestions) {
        assert_eq!(res["ruleId"], s.id.as_str());
        let idx = res["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[idx]["id"], s.id.as_str());
        assert!(matches!(
            res["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        let loc = &res["locations"][0]["physicalLocation"];
        assert!(loc["region"]["startLine"].as_u64().expect("startLine") >= 1);
        let uri = loc["artifactLocation"]["uri"].as_str().expect("uri");
        assert!(!uri.starts_with('/') && !uri.contains('\\'), "{uri}");
    }
    // A suggestion without a file points at the config file, line 1.
    let cadence = &results[1]["locations"][0]["physicalLocation"];
    assert_eq!(cadence["artifactLocation"]["uri"], ".github/azengage.yml");
    assert_eq!(cadence["region"]["startLine"], 1);
    // The rule lookup wins over the suggestion for the rule's own metadata.
    let kv = rules.iter().find(|r| r["id"] == "AZE005").expect("AZE005");
    assert_eq!(kv["defaultConfiguration"]["level"], "warning");
    assert_eq!(results[0]["level"], "error");
    // Backticks in a path are percent-encoded: the URI stays valid.
    assert_eq!(
        results[5]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "infra/modules/%60x%60/main.tf"
    );
}

/// Runs Microsoft's validator when `SARIF_MULTITOOL` names its binary (e.g. from `npm pack
/// @microsoft/sarif-multitool-linux`). It exits 0 even when it finds errors, so its log is read; and a log it
/// must reject is checked first, so a validator whose rules did not load cannot pass vacuously.
#[test]
fn sarif_passes_the_multitool_when_available() {
    let Ok(tool) = std::env::var("SARIF_MULTITOOL") else {
        eprintln!("SARIF_MULTITOOL not set: skipping the multitool check");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let mut broken = sarif(&report());
    broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        0.into();
    let broken_errors = multitool_errors(&tool, dir.path(), "broken", &broken);
    assert!(
        !broken_errors.is_empty(),
        "the multitool reported nothing for a log with startLine 0: its validation rules did not load"
    );
    let errors = multitool_errors(&tool, dir.path(), "scan", &sarif(&report()));
    assert!(errors.is_empty(), "{errors:#?}");
}

/// The error-level results of `sarif-multitool validate` on `log`.
fn multitool_errors(tool: &str, dir: &Path, name: &str, log: &Value) -> Vec<Value> {
    let input = dir.join(format!("{name}.sarif"));
    let output = dir.join(format!("{name}.validation.sarif"));
    let text = serde_json::to_string_pretty(log).expect("json");
    std::fs::write(&input, text).expect("write");
    let status = std::process::Command::new(tool)
        .args(["validate", "--output"])
        .arg(&output)
        .arg(&input)
        .status()
        .expect("the multitool runs");
    assert!(status.success());
    let out: Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("log")).expect("log json");
    out["runs"][0]["results"]
        .as_array()
        .map(|r| {
            r.iter()
                .filter(|x| x["level"] == "error")
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn json_has_the_contract_field_names() {
    let v = serde_json::to_value(report()).expect("serialises");
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["as_of"], "2026-11-25");
    assert_eq!(v["activity"]["source"], "git+github");
    let week = &v["activity"]["weekly"][0];
    assert_eq!(week["week_start"], "2026-07-13");
    assert_eq!(week["iac_commits"], 2);
    assert_eq!(week["deployments"], 1);
    let wf = &v["activity"]["workflows"][1];
    for key in [
        "file", "deploys", "tools", "triggers", "branches", "regions",
    ] {
        assert!(wf.get(key).is_some(), "workflow lacks {key}");
    }
    assert_eq!(v["score"]["total"], 64);
    assert_eq!(v["score"]["band"], "moderate");
    assert!(v["score"]["breadth"]["factors"].is_array());
    assert!(v["score"]["consistency"]["points"].is_number());
    assert_eq!(v["program"]["review_date"], "2027-01-29");
    assert_eq!(v["program"]["days_to_review"], 65);
    assert_eq!(v["program"]["score_visible_from"], "2026-08-30");
    let s = &v["suggestions"][0];
    assert_eq!(s["id"], "AZE005");
    assert_eq!(s["rule"], "no-key-vault");
    assert_eq!(s["severity"], "error");
    assert_eq!(s["file"], "infra/app.tf");
    assert_eq!(s["line"], 31);
    assert!(s["title"].is_string() && s["detail"].is_string());
    assert!(v["suggestions"][1]["file"].is_null());
    assert_eq!(v["services"].as_array().map(Vec::len), Some(9));
    assert_eq!(v["regions"][0]["name"], "westeurope");
    assert_eq!(v["resources"].as_array().map(Vec::len), Some(14));
    assert_eq!(v["diagnostics"][0]["code"], "parse");
}

#[test]
fn markdown_stays_under_githubs_limit_with_a_huge_inventory() {
    let md = to_markdown(&huge_report(), &MarkdownOptions::default());
    assert!(md.len() <= 65_536, "{} bytes", md.len());
    assert!(md.chars().count() <= 65_536);
    assert!(md.starts_with("<!-- azengage -->\n"));
    // The essentials survive: score, timeline, chart, the start of the suggestions table, the footer.
    for needle in [
        "**Engagement estimate: 64/100",
        "### Program timeline",
        "```mermaid",
        "### Suggestions (400)",
        "Microsoft publishes no formula",
    ] {
        assert!(md.contains(needle), "missing {needle}");
    }
    // What was cut says so, once per list, and a note sums it up.
    assert!(md.contains("more not shown to stay under GitHub's 65,536-character limit"));
    assert!(
        md.contains("> This report was shortened to stay under GitHub's 65,536-character limit.")
    );
    // Short, useful lists are served before the long ones: the deploy workflows and services survive.
    assert!(md.contains("#### Deploy workflows (1 of 2)"));
    assert!(md.contains("| Azure App Service | Web | "));
    assert!(
        md.contains("Left out: resources by service, diagnostics."),
        "{}",
        &md[md.len().saturating_sub(800)..]
    );
    // Every <details> that was opened is closed, and no hostile text slipped through in the long lists.
    assert_eq!(
        md.matches("<details>").count(),
        md.matches("</details>").count()
    );
    assert!(!md.contains("<script>") && !md.contains("@org/team"));
}

#[test]
fn markdown_respects_a_smaller_limit() {
    let opts = MarkdownOptions {
        limit: 12_000,
        ..MarkdownOptions::default()
    };
    let md = to_markdown(&huge_report(), &opts);
    assert!(md.len() <= 12_000, "{}", md.len());
    assert!(md.contains("### Suggestions (400)"));
}

/// A repository with no IaC, no history, no config, joined 30 days ago: every printer says so plainly.
fn empty_report() -> azengage::scan::ScanReport {
    let mut a = fixture::assessment();
    a.score.total = 8;
    a.score.band = azengage::assess::Band::NotScoredYet;
    a.suggestions.clear();
    a.program = azengage::assess::ProgramStatus {
        kind: None,
        tier: None,
        review_date: None,
        days_to_review: None,
        score_visible_from: None,
        credits_expire: None,
        consumed_percent: None,
        consumed_source: None,
        state: azengage::assess::TimelineState::NotConfigured,
        reminders_due: vec![],
        solution_areas: vec![],
    };
    azengage::scan::ScanReport::new(
        jiff::civil::date(2026, 11, 25),
        azengage::inventory::Inventory::default(),
        azengage::history::Activity {
            source: "none".into(),
            ..Default::default()
        },
        a,
    )
}

#[test]
fn an_empty_repository_prints_plainly() {
    let r = empty_report();
    let md = to_markdown(&r, &MarkdownOptions::default());
    for needle in [
        "**Engagement estimate: 8/100 · Not scored yet**",
        "The program shows no score until 90 days after joining",
        "No program dates configured",
        "None: azengage sees nothing to improve.",
        "No IaC commits or deployments found (source: none).",
        "No workflow in `.github/workflows/` deploys to Azure.",
        "**0 services** in 0 categories across **0 regions**.",
    ] {
        assert!(md.contains(needle), "missing {needle:?} in\n{md}");
    }
    assert!(!md.contains("```mermaid"));
    assert!(!md.contains("Diagnostics ("));
    let mut out = Vec::new();
    write_text(&mut out, &r, Style::default()).expect("Vec");
    let text = String::from_utf8_lossy(&out);
    for needle in [
        "Engagement estimate 8/100  Not scored yet",
        "No dates configured",
        "No deployed Azure resources found.",
        "No IaC commits found (source: none); 0 deployments.",
        "Suggestions (0)\n  None",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    // SARIF with no results is still a valid log with one run.
    let log = sarif(&r);
    assert_eq!(log["runs"][0]["results"], Value::Array(vec![]));
}

#[test]
fn a_passed_review_date_reads_as_passed() {
    let mut r = report();
    r.program.days_to_review = Some(-12);
    r.program.state = azengage::assess::TimelineState::ReviewOverdue;
    let md = to_markdown(&r, &MarkdownOptions::default());
    assert!(md.contains("| Review date | **2027-01-29** (passed 12 days ago) |"));
    assert!(md.contains("| State | review date passed |"));
}

#[test]
fn the_title_and_repository_name_are_escaped_too() {
    let mut r = report();
    r.repository = Some("evil`org/<b>repo".into());
    let opts = MarkdownOptions {
        title: "Report for @everyone <img src=x>".into(),
        marker: false,
        ..MarkdownOptions::default()
    };
    let md = to_markdown(&r, &opts);
    assert!(md.starts_with("## Report for @\u{200B}everyone &lt;img src=x&gt;\n"));
    assert!(md.contains("for ``evil`org/<b>repo``)"), "{md}");
    assert!(!md.contains("<!-- azengage -->"));
}

#[test]
fn partner_program_solution_areas_are_listed() {
    let mut r = report();
    r.program.kind = Some("partner-program".into());
    r.program.solution_areas = vec![
        azengage::assess::SolutionAreaStatus {
            name: "Infrastructure (Azure)".into(),
            services: vec!["Storage Accounts".into(), "Azure Monitor".into()],
        },
        azengage::assess::SolutionAreaStatus {
            name: "Security".into(),
            services: vec![],
        },
    ];
    let md = to_markdown(&r, &MarkdownOptions::default());
    assert!(
        md.contains("| Solution areas | Infrastructure (Azure) (2), Security (none) |"),
        "{md}"
    );
    let mut out = Vec::new();
    write_text(&mut out, &r, Style::default()).expect("Vec");
    let text = String::from_utf8_lossy(&out);
    assert!(
        text.contains("Solution areas       Infrastructure (Azure) (2), Security (none)"),
        "{text}"
    );
}

/// The SARIF rule metadata as the CLI gives it: from the rule registry.
fn registry_rules(r: &azengage::scan::ScanReport) -> Vec<azengage::report::sarif::SarifRule> {
    azengage::report::sarif::rules_for(&r.suggestions, &|id| {
        azengage::assess::rules::find(id).map(|rule| azengage::report::sarif::SarifRule {
            id: rule.id.into(),
            name: rule.name.into(),
            title: rule.title.into(),
            default_level: rule.severity,
        })
    })
}

#[test]
fn text_with_costs_snapshot() {
    let mut out = Vec::new();
    write_text(&mut out, &report_with_costs(), Style { color: false }).expect("Vec");
    let text = String::from_utf8(out).expect("UTF-8");
    assert!(text.contains("Usage (Cost Management exports)"));
    assert!(text.contains(
        "At this pace you will have used 33% of your credits by the review on 2027-01-29; the program asks for 50%."
    ));
    assert!(!text.contains('\x1b'));
    insta::assert_snapshot!("scan_text_costs", text);
}

#[test]
fn markdown_with_costs_has_the_usage_section() {
    let md = to_markdown(&report_with_costs(), &MarkdownOptions::default());
    let usage = md.find("### Usage").expect("a usage section");
    // After the activity chart, before the deploy workflows.
    assert!(md.find("### Activity").is_some_and(|a| a < usage));
    assert!(md.find("#### Deploy workflows").is_some_and(|w| w > usage));
    assert!(md.contains(
        "**At this pace you will have used 33% of your credits by the review on 2027-01-29; the program asks for 50%.**"
    ));
    assert!(
        md.contains("**6008.25 EUR** billed from 2026-07-06 to 2026-11-20: 24.0% of the credits")
    );
    assert!(
        md.contains("| Credits consumed | 24% (from costs) |"),
        "the timeline says where the figure came from"
    );
    // The spend chart: 20 weeks of whole euros, the IaC cadence scaled onto the same axis.
    let chart = &md[usage..];
    assert!(
        chart.contains("    y-axis \"EUR per week\" 0 --> 1124\n"),
        "{chart}"
    );
    assert!(chart.contains(
        "    bar [212, 220, 219, 231, 241, 239, 252, 250, 261, 258, 271, 268, 1124, 282, 290, 288, 302, 299, 313, 188]\n"
    ));
    // Activity weeks start on Jul 13: the first spend week has none; the spike week (Oct 5, 20 changes) tops it.
    assert!(chart.contains("    line [0, 168, 112, 281, 56, 168, 112, 168, 0, 0, 0, 0, 281, 1124, 168, 56, 0, 168, 112, 281]\n"), "{chart}");
    assert!(chart.contains("| Azure App Service | Compute | 2710.40 |"));
    assert!(chart.contains("| westeurope | 5120.75 |"));
    assert!(chart.contains("**Billed but not in the IaC** (last 28 days): Azure Cache for Redis."));
    // Names from the export are escaped like repository text.
    assert!(!md.contains("<script>") && !md.contains("@org/team"));
    assert!(
        chart.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &#124; table breaker @\u{200B}org/team"
        )
    );
    insta::assert_snapshot!("scan_markdown_costs", md);
}

#[test]
fn markdown_without_costs_has_no_usage_section() {
    let md = to_markdown(&report(), &MarkdownOptions::default());
    assert!(!md.contains("### Usage") && !md.contains("At this pace"));
}

#[test]
fn markdown_with_costs_stays_under_the_limit_and_keeps_the_projection() {
    let mut huge = huge_report();
    huge.costs = report_with_costs().costs;
    let md = to_markdown(&huge, &MarkdownOptions::default());
    assert!(md.len() <= 65_536, "{}", md.len());
    assert!(md.contains("**At this pace you will have used 33%"));
    assert!(md.contains("xychart-beta\n    title \"Weekly spend in EUR"));
    let small = MarkdownOptions {
        limit: 12_000,
        ..MarkdownOptions::default()
    };
    let md = to_markdown(&huge, &small);
    assert!(md.len() <= 12_000, "{}", md.len());
    assert!(
        md.contains("### Usage"),
        "the usage summary is a fixed part"
    );
}

#[test]
fn sarif_with_costs_describes_the_new_rules() {
    let r = report_with_costs();
    let rules = registry_rules(&r);
    let opts = azengage::report::sarif::SarifOptions {
        tool_version: "0.0.0-test".into(),
        uri_prefix: String::new(),
        github_prefix: String::new(),
    };
    let log = azengage::report::sarif::to_sarif(&r, &rules, &opts);
    let run = &log["runs"][0];
    let driver_rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for (id, name) in [("AZE016", "SpendSpike"), ("AZE017", "UnmanagedResources")] {
        let rule = driver_rules
            .iter()
            .find(|x| x["id"] == id)
            .unwrap_or_else(|| panic!("{id} described"));
        assert_eq!(rule["name"], name);
        assert_eq!(
            rule["helpUri"],
            format!("https://github.com/azengage/azengage/blob/main/docs/rules/{id}.md")
        );
        let result = run["results"]
            .as_array()
            .and_then(|rs| rs.iter().find(|x| x["ruleId"] == id))
            .unwrap_or_else(|| panic!("{id} result"));
        assert_eq!(result["level"], "warning");
        // No file of its own: the config file, line 1.
        let loc = &result["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], ".github/azengage.yml");
        assert_eq!(loc["region"]["startLine"], 1);
    }
    let schema: Value =
        serde_json::from_str(include_str!("../fixtures/sarif/sarif-schema-2.1.0.json"))
            .expect("JSON");
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    assert!(validator.is_valid(&log));
    let pretty = serde_json::to_string_pretty(&log).expect("serialises");
    insta::assert_snapshot!("scan_sarif_costs", pretty);
}
