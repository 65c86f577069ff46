//! The hand-built scan the printer tests share: a startup's Terraform repository with 9 Azure services in 2
//! regions, 20 weeks of history with a gap and a spike, 6 suggestions (one carrying hostile text), and a
//! monorepo-sized variant for the size limit.

use azengage::assess::{
    Assessment, Band, Component, Factor, FigureSource, ProgramStatus, RuleSeverity, Score,
    Suggestion, TimelineState,
};
use azengage::costs::schema::Schema;
use azengage::costs::{CostsSummary, Money, RegionCost, ServiceCost, WeekCost};
use azengage::history::{Activity, CadenceMetrics, WeekActivity, Workflow};
use azengage::inventory::{Inventory, finish};
use azengage::model::{Diagnostic, Resource, Severity};
use azengage::report::sarif::{SarifOptions, SarifRule, rules_for, to_sarif};
use azengage::scan::ScanReport;
use jiff::civil::{Date, date};
use rust_decimal::Decimal;
use serde_json::Value;
use std::path::Path;

pub const HOSTILE: &str = "<script>alert(1)</script> | table breaker @org/team `x`";

pub fn factor(
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

pub fn resource(
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
pub fn inventory() -> Inventory {
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

pub fn week(start: Date, iac_commits: u32, deployments: u32) -> WeekActivity {
    WeekActivity {
        week_start: start,
        iac_commits,
        deployments,
        services_touched: vec![],
        regions_touched: vec![],
    }
}

/// 20 weeks (Jul 13 to Nov 23, 2026): steady at first, four idle weeks in September, a spike in mid-October.
pub fn activity() -> Activity {
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
        deployments_source: "runs".into(),
        deployments_basis: "from the deploy workflows' runs on GitHub".into(),
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

pub fn suggestion(
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

pub fn assessment() -> Assessment {
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

pub fn report() -> ScanReport {
    let mut r = ScanReport::new(date(2026, 11, 25), inventory(), activity(), assessment());
    r.repository = Some("contoso-labs/tailspin-api".into());
    r.config_file = Some(".github/azengage.yml".into());
    r
}

pub fn sarif_rules(r: &ScanReport) -> Vec<SarifRule> {
    rules_for(&r.suggestions, &|id| {
        (id == "AZE005").then(|| SarifRule {
            id: "AZE005".into(),
            name: "no-key-vault".into(),
            title: "Secrets or connection strings are used without a Key Vault".into(),
            default_level: RuleSeverity::Warning,
        })
    })
}

pub fn sarif(r: &ScanReport) -> Value {
    let opts = SarifOptions {
        tool_version: "0.0.0-test".into(),
        uri_prefix: String::new(),
        github_prefix: String::new(),
    };
    to_sarif(r, &sarif_rules(r), &opts)
}

/// A monorepo-sized report: 40,000 resources, 3,000 diagnostics, 400 suggestions.
pub fn huge_report() -> ScanReport {
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

/// What the startup's FOCUS exports say: 20 weeks of EUR spend (Jul 6 to Nov 22, 2026) growing slowly with
/// a load-test week in October, five services (one of them, Redis, made by hand in the portal) in two regions,
/// and one hostile meter name from an actual-cost export.
pub fn costs() -> CostsSummary {
    let weekly_amounts = [
        "212.40", "220.15", "218.90", "231.05", "240.60", "238.75", "252.10", "249.95", "261.30",
        "258.45", "270.80", "268.20", "1124.35", "281.65", "290.10", "288.40", "301.75", "299.20",
        "312.60", "187.55",
    ];
    let first = date(2026, 7, 6);
    let weekly = weekly_amounts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| {
            Some(WeekCost {
                week_start: first
                    .checked_add(jiff::Span::new().weeks(i64::try_from(i).ok()?))
                    .ok()?,
                cost: money(a),
            })
        })
        .collect();
    let service = |name: &str, category: &str, cost: &str| ServiceCost {
        name: name.into(),
        category: category.into(),
        cost: money(cost),
    };
    let region = |name: &str, cost: &str| RegionCost {
        name: name.into(),
        cost: money(cost),
    };
    CostsSummary {
        schema: Schema::Focus,
        files: 6,
        rows: 18_244,
        currency: Some("EUR".into()),
        first_day: Some(date(2026, 7, 6)),
        last_day: Some(date(2026, 11, 20)),
        total: money("6008.25"),
        weekly,
        by_service: vec![
            service("Azure App Service", "Compute", "2710.40"),
            service("Azure Cosmos DB", "Databases", "1456.85"),
            service("Azure Cache for Redis", "Databases", "980.10"),
            service("Storage Accounts", "Storage", "512.30"),
            service("Azure Monitor", "Management and Governance", "348.60"),
            service(HOSTILE, "Other", "0.00"),
        ],
        by_region: vec![
            region("westeurope", "5120.75"),
            region("northeurope", "887.50"),
        ],
        consumed_percent: Some(24.0),
        projected_percent_at_review: Some(33.4),
        billed_not_in_iac: vec!["Azure Cache for Redis".into()],
        in_iac_not_billed: vec!["Azure Functions".into()],
    }
}

fn money(s: &str) -> Money {
    Money(s.parse::<Decimal>().unwrap_or_default())
}

/// The same scan run with `--costs`: usage from the exports, consumption from the bill, and the two rules
/// that read the spend.
pub fn report_with_costs() -> ScanReport {
    let mut r = report();
    r.costs = Some(costs());
    r.program.consumed_percent = Some(24.0);
    r.program.consumed_source = Some(FigureSource::Costs);
    r.suggestions.push(suggestion(
        "AZE016",
        "spend-spike",
        RuleSeverity::Warning,
        "Spend comes in a burst instead of steadily",
        "The week of 2026-09-28 cost 1124.35 EUR, 4.3× the median week over 20 weeks: find what ran that week (Cost analysis, grouped by resource) and spread real usage over the period instead.",
        None,
    ));
    r.suggestions.push(suggestion(
        "AZE017",
        "unmanaged-resources",
        RuleSeverity::Warning,
        "Billed services are not declared in the infrastructure code",
        "Azure Cache for Redis is billed in the last 28 days of the cost exports but not declared in the IaC: import it into the infrastructure code (Terraform `import` blocks, or Bicep from an exported and decompiled template), or delete what is no longer needed.",
        None,
    ));
    azengage::assess::sort_suggestions(&mut r.suggestions);
    r
}
