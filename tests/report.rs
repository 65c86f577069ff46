//! The `scan` printers (text, Markdown, SARIF, JSON) over one realistic report: a startup's Terraform repository
//! with 9 Azure services in 2 regions, 20 weeks of history with a gap and a spike, and 6 suggestions, one of
//! them carrying hostile text from a file.

use azengage::assess::{
    Assessment, Band, Component, Factor, FigureSource, ProgramStatus, RuleSeverity, Score,
    Suggestion, TimelineState,
};
use azengage::history::{Activity, CadenceMetrics, WeekActivity, Workflow};
use azengage::inventory::{Inventory, finish};
use azengage::model::{Diagnostic, Resource, Severity};
use azengage::report::markdown::{MarkdownOptions, to_markdown};
use azengage::report::sarif::{SarifOptions, SarifRule, rules_for, to_sarif};
use azengage::report::scan_text::write_text;
use azengage::report::style::Style;
use azengage::scan::ScanReport;
use jiff::civil::{Date, date};
use serde_json::Value;
use std::path::Path;

const HOSTILE: &str = "<script>alert(1)</script> | table breaker @org/team `x`";

fn factor(
    key: &str,
    label: &str,
    value: f64,
    points: f64,
    max: f64,
    source: FigureSource,
) -> Factor {
    Factor {
        key: key.into(),
        label: label.into(),
        value,
        points,
        max,
        source,
    }
}

fn resource(
    tf_type: &str,
    arm_type: &str,
    name: &str,
    file: &str,
    line: u32,
    location: Option<&str>,
) -> Resource {
    let mut r = Resource::new(tf_type, name, file, line);
    r.arm_type = Some(arm_type.into());
    r.location = location.map(str::to_string);
    r.location_expr = Some("var.location".into());
    r
}

/// What `infra/` of a small SaaS startup declares: web app + Postgres + Redis + Service Bus in West Europe,
/// Front Door and a DR storage account in North Europe, monitoring and a Key Vault.
fn inventory() -> Inventory {
    let we = Some("westeurope");
    let ne = Some("northeurope");
    let resources = vec![
        resource(
            "azurerm_service_plan",
            "Microsoft.Web/serverFarms",
            "plan",
            "infra/app.tf",
            1,
            we,
        ),
        resource(
            "azurerm_linux_web_app",
            "Microsoft.Web/sites",
            "api",
            "infra/app.tf",
            12,
            we,
        ),
        resource(
            "azurerm_linux_web_app",
            "Microsoft.Web/sites",
            "worker",
            "infra/app.tf",
            58,
            we,
        ),
        resource(
            "azurerm_postgresql_flexible_server",
            "Microsoft.DBforPostgreSQL/flexibleServers",
            "db",
            "infra/data.tf",
            1,
            we,
        ),
        resource(
            "azurerm_redis_cache",
            "Microsoft.Cache/redis",
            "cache",
            "infra/data.tf",
            40,
            we,
        ),
        resource(
            "azurerm_storage_account",
            "Microsoft.Storage/storageAccounts",
            "assets",
            "infra/data.tf",
            61,
            we,
        ),
        resource(
            "azurerm_storage_account",
            "Microsoft.Storage/storageAccounts",
            "dr_backup",
            "infra/dr.tf",
            3,
            ne,
        ),
        resource(
            "azurerm_servicebus_namespace",
            "Microsoft.ServiceBus/namespaces",
            "events",
            "infra/messaging.tf",
            1,
            we,
        ),
        resource(
            "azurerm_container_registry",
            "Microsoft.ContainerRegistry/registries",
            "acr",
            "infra/main.tf",
            20,
            we,
        ),
        resource(
            "azurerm_log_analytics_workspace",
            "Microsoft.OperationalInsights/workspaces",
            "logs",
            "infra/monitoring.tf",
            1,
            we,
        ),
        resource(
            "azurerm_application_insights",
            "Microsoft.Insights/components",
            "appi",
            "infra/monitoring.tf",
            9,
            we,
        ),
        resource(
            "azurerm_key_vault",
            "Microsoft.KeyVault/vaults",
            "kv",
            "infra/main.tf",
            33,
            we,
        ),
        resource(
            "azurerm_cdn_frontdoor_profile",
            "Microsoft.Cdn/profiles",
            "edge",
            "infra/edge.tf",
            1,
            ne,
        ),
        Resource::new("random_pet", "suffix", "infra/main.tf", 1),
    ];
    let diagnostics = vec![Diagnostic::new(
        "infra/legacy/old.bicep",
        3,
        7,
        Severity::Error,
        "parse",
        "expected `=` after the resource declaration",
    )];
    finish(resources, diagnostics, Path::new("."))
}

fn week(start: Date, iac_commits: u32, deployments: u32) -> WeekActivity {
    WeekActivity {
        week_start: start,
        iac_commits,
        deployments,
        services_touched: vec![],
        regions_touched: vec![],
    }
}

/// 20 weeks (Jul 13 to Nov 23, 2026): steady at first, four idle weeks in September, a spike in mid-October.
fn activity() -> Activity {
    let counts: [(u32, u32); 20] = [
        (2, 1),
        (1, 1),
        (3, 2),
        (1, 0),
        (2, 1),
        (1, 1),
        (2, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (4, 1),
        (14, 6),
        (2, 1),
        (1, 0),
        (0, 0),
        (2, 1),
        (1, 1),
        (3, 2),
        (1, 1),
    ];
    let first = date(2026, 7, 13);
    let weekly = counts
        .iter()
        .enumerate()
        .filter(|(_, (c, d))| c + d > 0)
        .filter_map(|(i, &(c, d))| {
            let start = first
                .checked_add(jiff::Span::new().weeks(i64::try_from(i).ok()?))
                .ok()?;
            Some(week(start, c, d))
        })
        .collect();
    Activity {
        source: "git+github".into(),
        weekly,
        workflows: vec![
            Workflow {
                file: ".github/workflows/ci.yml".into(),
                deploys: false,
                tools: vec![],
                triggers: vec!["pull_request".into()],
                branches: vec![],
                regions: vec![],
                name: Some("CI".into()),
            },
            Workflow {
                file: ".github/workflows/deploy.yml".into(),
                deploys: true,
                tools: vec![
                    "acr-push".into(),
                    "terraform".into(),
                    "webapps-deploy".into(),
                ],
                triggers: vec!["push".into(), "workflow_dispatch".into()],
                branches: vec!["main".into()],
                regions: vec!["westeurope".into()],
                name: Some("Deploy".into()),
            },
        ],
        metrics: CadenceMetrics::default(),
        shallow: false,
    }
}

fn suggestion(
    id: &str,
    rule: &str,
    severity: RuleSeverity,
    title: &str,
    detail: &str,
    at: Option<(&str, u32)>,
) -> Suggestion {
    Suggestion {
        id: id.into(),
        rule: rule.into(),
        severity,
        title: title.into(),
        detail: detail.into(),
        file: at.map(|(f, _)| f.to_string()),
        line: at.map(|(_, l)| l),
    }
}

fn assessment() -> Assessment {
    use FigureSource::{Activity as Act, Config, Iac};
    use RuleSeverity::{Error, Note, Warning};
    Assessment {
        score: Score {
            total: 64,
            band: Band::Moderate,
            breadth: Component {
                points: 30.5,
                max: 40.0,
                factors: vec![
                    factor(
                        "services",
                        "9 services (diminishing returns)",
                        9.0,
                        16.5,
                        20.0,
                        Iac,
                    ),
                    factor("categories", "7 service categories", 7.0, 8.0, 10.0, Iac),
                    factor("regions", "2 regions", 2.0, 6.0, 10.0, Iac),
                ],
            },
            consistency: Component {
                points: 20.0,
                max: 40.0,
                factors: vec![
                    factor(
                        "active_weeks_13",
                        "active in 9 of the last 13 weeks",
                        9.0,
                        12.0,
                        20.0,
                        Act,
                    ),
                    factor("longest_gap", "longest gap 4 weeks", 4.0, 5.0, 10.0, Act),
                    factor(
                        "peak_to_median",
                        "peak week 9.3× the median",
                        9.3,
                        3.0,
                        10.0,
                        Act,
                    ),
                ],
            },
            readiness: Component {
                points: 13.5,
                max: 20.0,
                factors: vec![
                    factor("checklist", "checklist 2 of 3 done", 2.0, 6.0, 9.0, Config),
                    factor(
                        "credits_consumed",
                        "36% of credits consumed",
                        36.0,
                        7.5,
                        11.0,
                        Config,
                    ),
                ],
            },
        },
        program: ProgramStatus {
            kind: Some("founders-hub".into()),
            tier: Some("25k".into()),
            review_date: Some(date(2027, 1, 29)),
            days_to_review: Some(65),
            score_visible_from: Some(date(2026, 8, 30)),
            credits_expire: Some(date(2027, 3, 15)),
            consumed_percent: Some(36.0),
            consumed_source: Some(FigureSource::Config),
            state: TimelineState::ReviewApproaching,
            reminders_due: vec![90],
            solution_areas: vec![],
        },
        suggestions: vec![
            suggestion(
                "AZE005",
                "no-key-vault",
                Error,
                "A connection string is set in app settings without Key Vault",
                "Move `DATABASE_URL` into Key Vault `kv` and reference it with @Microsoft.KeyVault(SecretUri=...).",
                Some(("infra/app.tf", 31)),
            ),
            suggestion(
                "AZE007",
                "irregular-cadence",
                Warning,
                "Activity comes in bursts",
                "42% of the last 20 weeks' activity fell in one week (Oct 5); spread changes out: small, regular deploys read as steady use.",
                None,
            ),
            suggestion(
                "AZE010",
                "review-approaching",
                Warning,
                "The review is in 65 days (2027-01-29)",
                "Fill in the profile checklist and the evidence kit before the review.",
                None,
            ),
            suggestion(
                "AZE008",
                "hardcoded-region",
                Warning,
                "The region `westeurope` is written in 11 places",
                "Declare it once as `var.location` and pass it to every resource.",
                Some(("infra/main.tf", 8)),
            ),
            suggestion(
                "AZE013",
                "checklist-incomplete",
                Note,
                "The profile checklist is missing `demo_video`",
                "Add a demo video link under `checklist.demo_video` in `.github/azengage.yml`.",
                None,
            ),
            suggestion(
                "AZE003",
                "unknown-region",
                Note,
                &format!("Location `west-europe` in {HOSTILE} is not an Azure region"),
                "Did you mean `westeurope`?",
                Some(("infra/modules/`x`/main.tf", 7)),
            ),
        ],
    }
}

fn report() -> ScanReport {
    let mut r = ScanReport::new(date(2026, 11, 25), inventory(), activity(), assessment());
    r.repository = Some("contoso-labs/tailspin-api".into());
    r.config_file = Some(".github/azengage.yml".into());
    r
}

fn sarif_rules(r: &ScanReport) -> Vec<SarifRule> {
    rules_for(&r.suggestions, &|id| {
        (id == "AZE005").then(|| SarifRule {
            id: "AZE005".into(),
            name: "no-key-vault".into(),
            title: "Secrets or connection strings are used without a Key Vault".into(),
            default_level: RuleSeverity::Warning,
        })
    })
}

fn sarif(r: &ScanReport) -> Value {
    let opts = SarifOptions {
        tool_version: "0.0.0-test".into(),
        uri_prefix: String::new(),
    };
    to_sarif(r, &sarif_rules(r), &opts)
}

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
    assert!(md.contains("&#64;org/team"));
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
    let schema_text = include_str!("fixtures/sarif/sarif-schema-2.1.0.json");
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
/// @microsoft/sarif-multitool-linux`); it exits 0 even on errors, so its log is read.
#[test]
fn sarif_passes_the_multitool_when_available() {
    let Ok(tool) = std::env::var("SARIF_MULTITOOL") else {
        eprintln!("SARIF_MULTITOOL not set: skipping the multitool check");
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("scan.sarif");
    let output = dir.path().join("validation.sarif");
    std::fs::write(
        &input,
        serde_json::to_string_pretty(&sarif(&report())).expect("json"),
    )
    .expect("write");
    let status = std::process::Command::new(tool)
        .args(["validate", "--output"])
        .arg(&output)
        .arg(&input)
        .status()
        .expect("the multitool runs");
    assert!(status.success());
    let log: Value =
        serde_json::from_str(&std::fs::read_to_string(&output).expect("log")).expect("log json");
    let errors: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .map(|r| r.iter().filter(|x| x["level"] == "error").collect())
        .unwrap_or_default();
    assert!(errors.is_empty(), "{errors:#?}");
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

/// A monorepo-sized report: 40,000 resources, 3,000 diagnostics, 400 suggestions.
fn huge_report() -> ScanReport {
    let mut r = report();
    let types = [
        (
            "azurerm_storage_account",
            "Microsoft.Storage/storageAccounts",
        ),
        ("azurerm_linux_web_app", "Microsoft.Web/sites"),
        ("azurerm_key_vault", "Microsoft.KeyVault/vaults"),
    ];
    let resources: Vec<Resource> = (0..40_000u32)
        .map(|i| {
            let (tf, arm) = types[(i % 3) as usize];
            let file = format!("stacks/tenant-{:05}/main.tf", i / 10);
            resource(
                tf,
                arm,
                &format!("tenant_{i:05}_{HOSTILE}"),
                &file,
                i % 400 + 1,
                Some("westeurope"),
            )
        })
        .collect();
    let diagnostics: Vec<Diagnostic> = (0..3_000u32)
        .map(|i| {
            Diagnostic::new(
                format!("stacks/broken-{i}.bicep"),
                2,
                5,
                Severity::Warning,
                "parse",
                "unexpected token `}`",
            )
        })
        .collect();
    let inv = finish(resources, diagnostics, Path::new("."));
    r.resources = inv.resources;
    r.services = inv.services;
    r.regions = inv.regions;
    r.diagnostics = inv.diagnostics;
    r.suggestions = (0..400u32)
        .map(|i| {
            suggestion(
                "AZE008",
                "hardcoded-region",
                RuleSeverity::Warning,
                &format!("The region `westeurope` is written in stack {i}"),
                "Declare it once as a variable.",
                Some(("stacks/main.tf", i + 1)),
            )
        })
        .collect();
    r
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
    assert!(
        md.contains("Left out: ") || md.contains("Cut: resources by service"),
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
