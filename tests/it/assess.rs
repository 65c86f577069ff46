//! The assessment stage through the library API: a config file from disk, a synthetic inventory and activity,
//! and the JSON shape the printers and the contract rely on.

use azengage::assess::{AssessmentInput, Band, RuleSeverity, assess, threshold_failed};
use azengage::config::{Config, ConfigError};
use azengage::history::{Activity, CadenceMetrics, Workflow};
use azengage::inventory::{Inventory, fill_catalog};
use azengage::model::Resource;
use jiff::civil::date;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/assess")
        .join(name)
}

fn load_error(name: &str) -> String {
    match Config::load(&fixture(name)) {
        Ok(c) => panic!("{name} loaded: {c:?}"),
        Err(e @ ConfigError::Invalid { .. }) => e.to_string(),
        Err(e) => panic!("{name}: not a validation error: {e}"),
    }
}

/// A Bicep app in West Europe: plan, web app with a connection string, PostgreSQL, storage.
fn inventory() -> Inventory {
    let mk = |arm: &str, source: &str, name: &str, line: u32| {
        let mut r = Resource::new(source, name, "infra/main.bicep", line);
        r.arm_type = Some(arm.to_string());
        r.location = Some("westeurope".to_string());
        r.location_expr = Some("location".to_string());
        fill_catalog(&mut r);
        r
    };
    let mut web = mk(
        "Microsoft.Web/sites",
        "Microsoft.Web/sites@2023-12-01",
        "web",
        18,
    );
    web.uses_secrets = true;
    let resources = vec![
        mk(
            "Microsoft.Web/serverfarms",
            "Microsoft.Web/serverfarms@2023-12-01",
            "plan",
            7,
        ),
        web,
        mk(
            "Microsoft.DBforPostgreSQL/flexibleServers",
            "Microsoft.DBforPostgreSQL/flexibleServers@2023-06-01-preview",
            "db",
            40,
        ),
        mk(
            "Microsoft.Storage/storageAccounts",
            "Microsoft.Storage/storageAccounts@2023-05-01",
            "st",
            62,
        ),
    ];
    Inventory {
        schema_version: 1,
        resources,
        ..Inventory::default()
    }
}

fn activity() -> Activity {
    Activity {
        source: "git".to_string(),
        deployments_source: "inferred".to_string(),
        deployments_basis: "inferred from pushes to main that trigger azure-dev.yml".to_string(),
        weekly: Vec::new(),
        workflows: vec![Workflow {
            file: ".github/workflows/azure-dev.yml".to_string(),
            deploys: true,
            tools: vec!["azd".to_string()],
            triggers: vec!["push".to_string(), "workflow_dispatch".to_string()],
            branches: vec!["main".to_string()],
            regions: Vec::new(),
            name: None,
        }],
        metrics: CadenceMetrics {
            weeks: 25,
            active_weeks_13: 9,
            current_streak: 3,
            longest_gap: 2,
            weeks_since_last_activity: Some(0),
            median_days_between_deployments: Some(8.0),
            last_quarter_share: 0.31,
            peak_to_median: 3.0,
        },
        shallow: false,
    }
}

#[test]
fn a_founders_hub_startup_four_months_in() {
    let config = Config::load(&fixture("azengage.yml")).unwrap_or_else(|e| panic!("{e}"));
    let (inv, act) = (inventory(), activity());
    let input = AssessmentInput {
        inventory: &inv,
        activity: &act,
        config: &config,
        as_of: date(2026, 11, 23),
        costs: None,
    };
    let a = assess(&input);

    assert_eq!(a.program.review_date, Some(date(2027, 4, 17)));
    assert_eq!(a.program.days_to_review, Some(145));
    assert_eq!(a.program.score_visible_from, Some(date(2026, 8, 30)));
    assert_ne!(a.score.band, Band::NotScoredYet);

    let rules: Vec<(&str, RuleSeverity)> = a
        .suggestions
        .iter()
        .map(|s| (s.rule.as_str(), s.severity))
        .collect();
    assert_eq!(
        rules,
        [
            ("single-region", RuleSeverity::Error),
            ("credits-underused", RuleSeverity::Warning),
            ("no-monitoring", RuleSeverity::Warning),
            ("no-key-vault", RuleSeverity::Warning),
            ("evidence-missing", RuleSeverity::Note),
        ],
        "{:#?}",
        a.suggestions
    );
    // Sorted by severity, then file (the config file is named as the path it was loaded from), then line.
    let credits = a.suggestions.iter().find(|s| s.rule == "credits-underused");
    assert_eq!(credits.and_then(|s| s.line), Some(8));
    assert!(
        credits
            .and_then(|s| s.file.as_deref())
            .is_some_and(|f| f.ends_with("tests/fixtures/assess/azengage.yml"))
    );
    assert!(threshold_failed(&a, config.fail_on, config.min_score));
}

#[test]
fn assessment_json_has_the_contract_fields() {
    let config = Config::load(&fixture("azengage.yml")).unwrap_or_else(|e| panic!("{e}"));
    let (inv, act) = (inventory(), activity());
    let input = AssessmentInput {
        inventory: &inv,
        activity: &act,
        config: &config,
        as_of: date(2026, 11, 23),
        costs: None,
    };
    let json = serde_json::to_value(assess(&input)).unwrap_or_default();
    assert!(json["score"]["total"].is_u64());
    let band = json["score"]["band"].as_str().unwrap_or_default();
    assert!(
        ["needs_improvement", "moderate", "strong"].contains(&band),
        "{band}"
    );
    for component in ["breadth", "consistency", "readiness"] {
        let factors = json["score"][component]["factors"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert!(!factors.is_empty(), "{component}");
        for f in factors {
            for key in ["key", "label", "value", "points", "max", "source"] {
                assert!(!f[key].is_null(), "{component}.{key}: {f}");
            }
        }
    }
    assert_eq!(json["program"]["review_date"], "2027-04-17");
    assert_eq!(json["program"]["days_to_review"], 145);
    assert_eq!(json["program"]["state"], "on_track");
    let first = &json["suggestions"][0];
    assert_eq!(first["id"], "AZE002");
    assert_eq!(first["rule"], "single-region");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "infra/main.bicep");
    assert_eq!(first["line"], 7);
}

#[test]
fn config_errors_name_the_file_line_and_choices() {
    let unknown = load_error("unknown-key.yml");
    assert!(unknown.ends_with(
        "unknown-key.yml:4:3: unknown key 'credit' in program; valid keys: kind, joined, tier, credits, review_lead_days"
    ), "{unknown}");
    let bad = load_error("bad-fail-on.yml");
    assert!(bad.ends_with("bad-fail-on.yml:2:10: invalid value 'warn' for fail_on; valid choices: error, warning, note, never"), "{bad}");
    let both = load_error("used-and-percent.yml");
    assert!(both.ends_with("used-and-percent.yml:5:5: give either program.credits.used or program.credits.consumed_percent, not both"), "{both}");
}
