use super::*;
use crate::assess::test_support::{activity, config, input, inventory, resource, steady, workflow};
use crate::config::Config;
use crate::history::{Activity, CadenceMetrics};
use crate::inventory::Inventory;
use crate::model::{Diagnostic, Resource, Severity};
use jiff::civil::{Date, date};

/// Ready profile, credits ahead of the calendar (70% consumed, 63% of the period elapsed on AS_OF),
/// review on 2027-04-17.
pub(super) const READY: &str = "program:
  kind: founders-hub
  joined: 2026-01-05
  tier: 25k
  credits:
    total: 25000
    used: 17500
    expires: 2027-06-01
checklist:
  verified_domain: true
  team_members: 2
  demo_video: https://example.com/demo
evidence:
  funding: https://example.com/seed
  traction: \"1,200 monthly active users\"
  press: [https://example.com/article]
";

const AS_OF: Date = date(2026, 11, 23);

/// One assessment input, owned, that a test changes before running a rule.
pub(super) struct Case {
    pub(super) inv: Inventory,
    pub(super) act: Activity,
    pub(super) cfg: Config,
    pub(super) as_of: Date,
}

/// A resource whose location comes from a parameter, as well-factored templates write it.
fn param(arm_type: &str, file: &str, line: u32, location: &str) -> Resource {
    let mut r = resource(arm_type, file, line, Some(location));
    r.location_expr = Some("location".to_string());
    r
}

impl Case {
    /// A repository no rule has anything to say about.
    pub(super) fn healthy() -> Case {
        let mut app = param("Microsoft.Web/sites", "infra/app.bicep", 14, "westeurope");
        app.uses_secrets = true;
        Case {
            inv: inventory(vec![
                param(
                    "Microsoft.Web/serverFarms",
                    "infra/app.bicep",
                    3,
                    "westeurope",
                ),
                app,
                param(
                    "Microsoft.DocumentDB/databaseAccounts",
                    "infra/data.bicep",
                    5,
                    "westeurope",
                ),
                param(
                    "Microsoft.Storage/storageAccounts",
                    "infra/data.bicep",
                    40,
                    "northeurope",
                ),
                param(
                    "Microsoft.KeyVault/vaults",
                    "infra/main.bicep",
                    20,
                    "westeurope",
                ),
                param(
                    "Microsoft.OperationalInsights/workspaces",
                    "infra/main.bicep",
                    8,
                    "westeurope",
                ),
                param(
                    "Microsoft.Insights/components",
                    "infra/main.bicep",
                    12,
                    "westeurope",
                ),
            ]),
            act: activity(
                steady(),
                vec![workflow(".github/workflows/deploy.yml", true)],
            ),
            cfg: config(READY),
            as_of: AS_OF,
        }
    }

    pub(super) fn run(&self, name: &str) -> Vec<Suggestion> {
        let rule = find(name).unwrap_or_else(|| panic!("no rule {name}"));
        let found = (rule.check)(&input(&self.inv, &self.act, &self.cfg, self.as_of));
        for s in &found {
            assert_eq!((s.id.as_str(), s.rule.as_str()), (rule.id, rule.name));
            assert!(!s.detail.is_empty());
        }
        found
    }

    pub(super) fn without(mut self, arm_type: &str) -> Case {
        self.inv
            .resources
            .retain(|r| r.arm_type.as_deref() != Some(arm_type));
        self
    }

    pub(super) fn metrics(mut self, f: impl FnOnce(&mut CadenceMetrics)) -> Case {
        f(&mut self.act.metrics);
        self
    }

    pub(super) fn config(mut self, text: &str) -> Case {
        self.cfg = config(text);
        self
    }
}

fn place(s: &Suggestion) -> (Option<&str>, Option<u32>) {
    (s.file.as_deref(), s.line)
}

#[test]
fn healthy_repository_gets_no_suggestion() {
    let c = Case::healthy();
    let a = crate::assess::assess(&input(&c.inv, &c.act, &c.cfg, c.as_of));
    assert_eq!(a.suggestions, vec![], "{:#?}", a.suggestions);
    assert_eq!(a.score.band, crate::assess::Band::Strong);
}

#[test]
fn no_monitoring() {
    let quiet = Case::healthy();
    assert!(quiet.run("no-monitoring").is_empty());
    let c = Case::healthy()
        .without("Microsoft.OperationalInsights/workspaces")
        .without("Microsoft.Insights/components");
    let found = c.run("no-monitoring");
    assert_eq!(found.len(), 1);
    assert_eq!(place(&found[0]), (Some("infra/app.bicep"), Some(3)));
    let mut diag = c;
    diag.inv.resources.push(resource(
        "Microsoft.Web/sites/providers/diagnosticSettings",
        "infra/app.bicep",
        30,
        None,
    ));
    assert!(
        diag.run("no-monitoring").is_empty(),
        "diagnostic settings count as monitoring"
    );
    let empty = Case {
        inv: Inventory::default(),
        ..Case::healthy()
    };
    assert!(
        empty.run("no-monitoring").is_empty(),
        "nothing deployed, nothing to monitor"
    );
}

#[test]
fn single_region_suggests_the_pair() {
    assert!(Case::healthy().run("single-region").is_empty());
    let mut c = Case::healthy();
    for r in &mut c.inv.resources {
        r.location = Some("westeurope".to_string());
    }
    c.inv.resources.push(param(
        "Microsoft.Network/frontDoors",
        "infra/edge.bicep",
        2,
        "global",
    ));
    let found = c.run("single-region");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("westeurope") && found[0].detail.contains("northeurope"),
        "{}",
        found[0].detail
    );
    assert!(
        found[0].detail.starts_with("All 7 resources"),
        "global is not counted: {}",
        found[0].detail
    );
    assert_eq!(place(&found[0]), (Some("infra/app.bicep"), Some(3)));
}

#[test]
fn unknown_region_from_diagnostics_and_literals() {
    assert!(Case::healthy().run("unknown-region").is_empty());
    let mut c = Case::healthy();
    c.inv.diagnostics.push(Diagnostic::new(
        "infra/main.bicep",
        7,
        25,
        Severity::Warning,
        "unknown-region",
        "'westeurpoe' is not an Azure region; did you mean 'westeurope'?",
    ));
    let mut typo = Resource::new("azurerm_storage_account", "logs", "infra/main.tf", 12);
    typo.arm_type = Some("Microsoft.Storage/storageAccounts".to_string());
    typo.location_expr = Some("\"westeurop\"".to_string());
    c.inv.resources.push(typo);
    let mut var = Resource::new("azurerm_storage_account", "other", "infra/main.tf", 30);
    var.location_expr = Some("var.location".to_string());
    c.inv.resources.push(var);
    let mut same = Resource::new(
        "Microsoft.Storage/storageAccounts@2023-05-01",
        "st",
        "infra/main.bicep",
        5,
    );
    same.location_expr = Some("'westeurpoe'".to_string());
    c.inv.resources.push(same);
    let found = c.run("unknown-region");
    assert_eq!(
        found.len(),
        2,
        "the diagnostic and the literal are one finding: {found:#?}"
    );
    assert_eq!(place(&found[0]), (Some("infra/main.bicep"), Some(7)));
    assert_eq!(place(&found[1]), (Some("infra/main.tf"), Some(12)));
    assert!(
        found[1].detail.contains("did you mean 'westeurope'"),
        "{}",
        found[1].detail
    );
}

#[test]
fn no_managed_data() {
    assert!(Case::healthy().run("no-managed-data").is_empty());
    let c = Case::healthy()
        .without("Microsoft.DocumentDB/databaseAccounts")
        .without("Microsoft.Storage/storageAccounts");
    let found = c.run("no-managed-data");
    assert_eq!(found.len(), 1);
    assert_eq!(place(&found[0]), (Some("infra/app.bicep"), Some(3)));
}

#[test]
fn no_key_vault_points_at_each_secret_user() {
    assert!(Case::healthy().run("no-key-vault").is_empty());
    let c = Case::healthy().without("Microsoft.KeyVault/vaults");
    let found = c.run("no-key-vault");
    assert_eq!(found.len(), 1);
    assert_eq!(place(&found[0]), (Some("infra/app.bicep"), Some(14)));
    let mut existing = c;
    let mut vault = resource("Microsoft.KeyVault/vaults", "infra/app.bicep", 1, None);
    vault.existing = true;
    existing.inv.resources.push(vault);
    assert!(
        existing.run("no-key-vault").is_empty(),
        "a referenced existing vault counts"
    );
}

#[test]
fn stale_infrastructure() {
    assert!(Case::healthy().run("stale-infrastructure").is_empty());
    let five = Case::healthy().metrics(|m| m.weeks_since_last_activity = Some(5));
    assert!(five.run("stale-infrastructure").is_empty());
    let seven = Case::healthy().metrics(|m| m.weeks_since_last_activity = Some(7));
    let found = seven.run("stale-infrastructure");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("7 weeks ago (threshold 6)"),
        "{}",
        found[0].detail
    );
    let relaxed = Case::healthy()
        .metrics(|m| m.weeks_since_last_activity = Some(7))
        .config(&format!("{READY}scoring:\n  stale_weeks: 8\n"));
    assert!(relaxed.run("stale-infrastructure").is_empty());
    let never = Case::healthy().metrics(|m| m.weeks_since_last_activity = None);
    assert_eq!(never.run("stale-infrastructure").len(), 1);
    let mut no_history = Case::healthy().metrics(|m| m.weeks_since_last_activity = None);
    no_history.act.source = "none".to_string();
    assert!(
        no_history.run("stale-infrastructure").is_empty(),
        "no history read: nothing to say"
    );
}

#[test]
fn irregular_cadence() {
    assert!(Case::healthy().run("irregular-cadence").is_empty());
    let bursty = Case::healthy().metrics(|m| m.peak_to_median = 6.0);
    let found = bursty.run("irregular-cadence");
    assert_eq!(found.len(), 1);
    assert!(found[0].detail.contains("6.0×"), "{}", found[0].detail);
    let back_loaded = Case::healthy().metrics(|m| m.last_quarter_share = 0.6);
    assert_eq!(back_loaded.run("irregular-cadence").len(), 1);
    let mut near = Case::healthy().metrics(|m| m.last_quarter_share = 0.45);
    assert!(
        near.run("irregular-cadence").is_empty(),
        "45% is fine far from the review"
    );
    near.as_of = date(2027, 3, 1);
    let found = near.run("irregular-cadence");
    assert!(
        found
            .first()
            .is_some_and(|s| s.detail.contains("47 days away")),
        "{found:#?}"
    );
    let short = Case::healthy().metrics(|m| {
        m.weeks = 5;
        m.peak_to_median = 9.0;
    });
    assert!(
        short.run("irregular-cadence").is_empty(),
        "too little history to judge"
    );
}

#[test]
fn hardcoded_region_points_at_the_first_literal() {
    assert!(Case::healthy().run("hardcoded-region").is_empty());
    let literal = |file: &str, line: u32, expr: &str| {
        let mut r = resource(
            "Microsoft.Storage/storageAccounts",
            file,
            line,
            Some("westeurope"),
        );
        r.location_expr = Some(expr.to_string());
        r
    };
    let mut c = Case::healthy();
    c.inv
        .resources
        .push(literal("infra/storage.tf", 4, "\"westeurope\""));
    c.inv
        .resources
        .push(literal("infra/main.tf", 22, "\"westeurope\""));
    assert!(c.run("hardcoded-region").is_empty(), "two places are fine");
    c.inv
        .resources
        .push(literal("infra/main.tf", 9, "\"West Europe\""));
    c.inv
        .resources
        .push(literal("infra/main.tf", 40, "\"${var.prefix}westeurope\""));
    let found = c.run("hardcoded-region");
    assert_eq!(found.len(), 1);
    assert_eq!(place(&found[0]), (Some("infra/main.tf"), Some(9)));
    assert!(
        found[0].detail.contains("3 places across 2 files"),
        "{}",
        found[0].detail
    );
    let mut arm = Case::healthy();
    for line in [10, 30, 50] {
        arm.inv
            .resources
            .push(literal("azuredeploy.json", line, "eastus"));
    }
    assert_eq!(
        arm.run("hardcoded-region").len(),
        1,
        "ARM JSON literals are bare strings"
    );
    // `global` is required where it is written (metric alerts, private DNS zones, Front Door): never flagged.
    let mut logical = Case::healthy();
    for (line, expr) in [
        (3, "'global'"),
        (12, "'global'"),
        (20, "'Global'"),
        (30, "'global'"),
    ] {
        let mut r = resource(
            "Microsoft.Insights/metricAlerts",
            "infra/alerts.bicep",
            line,
            Some("global"),
        );
        r.location_expr = Some(expr.to_string());
        logical.inv.resources.push(r);
    }
    assert!(logical.run("hardcoded-region").is_empty());
}

#[test]
fn deprecated_service() {
    assert!(Case::healthy().run("deprecated-service").is_empty());
    let mut c = Case::healthy();
    let mut tf = Resource::new("azurerm_app_service", "web", "infra/main.tf", 31);
    tf.arm_type = Some("Microsoft.Web/sites".to_string());
    c.inv.resources.push(tf);
    c.inv.resources.push(resource(
        "Microsoft.DBforMySQL/servers",
        "infra/db.bicep",
        2,
        Some("westeurope"),
    ));
    let mut v1 = resource(
        "Microsoft.Storage/storageAccounts",
        "azuredeploy.json",
        40,
        Some("westeurope"),
    );
    v1.kind = Some("Storage".to_string());
    c.inv.resources.push(v1);
    let mut v2 = resource(
        "Microsoft.Storage/storageAccounts",
        "azuredeploy.json",
        60,
        Some("westeurope"),
    );
    v2.kind = Some("StorageV2".to_string());
    c.inv.resources.push(v2);
    let mut fd = Resource::new("azurerm_frontdoor", "fd", "infra/edge.tf", 3);
    fd.arm_type = Some("Microsoft.Network/frontDoors".to_string());
    c.inv.resources.push(fd);
    c.inv.resources.push(resource(
        "Microsoft.Network/frontDoors/rulesEngines",
        "infra/fd.bicep",
        9,
        None,
    ));
    c.inv.resources.push(resource(
        "Microsoft.Network/frontDoorWebApplicationFirewallPolicies",
        "infra/fd.bicep",
        30,
        None,
    ));
    let found = c.run("deprecated-service");
    let places: Vec<_> = found.iter().map(place).collect();
    assert_eq!(
        places,
        vec![
            (Some("infra/main.tf"), Some(31)),
            (Some("infra/db.bicep"), Some(2)),
            (Some("azuredeploy.json"), Some(40)),
            (Some("infra/edge.tf"), Some(3)),
            (Some("infra/fd.bicep"), Some(9)),
        ],
        "a WAF policy is shared with Front Door Standard/Premium and is not flagged"
    );
    assert_eq!(
        found[3].detail,
        "'fd' (azurerm_frontdoor): deprecated in the azurerm provider (Front Door (classic) deprecated 2025-04-01)"
    );
    assert!(
        found[4].detail.contains("Front Door Standard/Premium"),
        "{}",
        found[4].detail
    );
    assert!(
        found[0]
            .detail
            .contains("removed from the azurerm provider"),
        "{}",
        found[0].detail
    );
    assert!(
        found[1].detail.contains("flexible server"),
        "{}",
        found[1].detail
    );
    assert!(found[2].detail.contains("StorageV2"), "{}", found[2].detail);
}

#[test]
fn review_approaching_within_60_days_or_passed() {
    assert!(
        Case::healthy().run("review-approaching").is_empty(),
        "145 days to go"
    );
    let mut c = Case::healthy();
    c.as_of = date(2027, 3, 1);
    let found = c.run("review-approaching");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("2027-04-17, in 47 days"),
        "{}",
        found[0].detail
    );
    assert_eq!(place(&found[0]), (Some(".github/azengage.yml"), Some(8)));
    c.as_of = date(2027, 5, 1);
    assert!(
        c.run("review-approaching")[0]
            .detail
            .contains("passed 14 days ago")
    );
    c.as_of = date(2027, 6, 2);
    assert!(
        c.run("review-approaching").is_empty(),
        "credits expired: nothing left to prepare"
    );
}

#[test]
fn score_not_visible_yet() {
    assert!(Case::healthy().run("score-not-visible-yet").is_empty());
    let c = Case::healthy().config("program:\n  joined: 2026-10-01\n");
    let found = c.run("score-not-visible-yet");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("from 2026-12-30 (in 37 days"),
        "{}",
        found[0].detail
    );
    assert_eq!(place(&found[0]), (Some(".github/azengage.yml"), Some(2)));
}

#[test]
fn credits_underused() {
    assert!(
        Case::healthy().run("credits-underused").is_empty(),
        "70% consumed, 63% elapsed"
    );
    let behind = Case::healthy().config(&READY.replace("used: 17500", "used: 9000"));
    let found = behind.run("credits-underused");
    assert_eq!(found.len(), 1);
    assert!(
        found[0]
            .detail
            .contains("36% of the credits is consumed while 63% of the credit period"),
        "{}",
        found[0].detail
    );
    assert_eq!(place(&found[0]), (Some(".github/azengage.yml"), Some(7)));
    let mut near = Case::healthy().config(&READY.replace("used: 17500", "used: 11000"));
    near.as_of = date(2027, 3, 20);
    let found = near.run("credits-underused");
    assert!(
        found.first().is_some_and(|s| s
            .detail
            .contains("44% of the credits is consumed and the review is in 28 days")),
        "{found:#?}"
    );
    let unknown = Case::healthy().config("program:\n  joined: 2026-01-05\n");
    assert!(
        unknown.run("credits-underused").is_empty(),
        "nothing known about consumption"
    );
}

#[test]
fn checklist_incomplete() {
    assert!(Case::healthy().run("checklist-incomplete").is_empty());
    let c = Case::healthy().config(&READY.replace("team_members: 2", "team_members: 0"));
    let found = c.run("checklist-incomplete");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("team_members") && !found[0].detail.contains("demo_video"),
        "{}",
        found[0].detail
    );
    assert_eq!(place(&found[0]), (Some(".github/azengage.yml"), Some(9)));
    let partner = Case::healthy().config("program:\n  kind: partner-program\n");
    assert!(partner.run("checklist-incomplete").is_empty());
    let none = Case::healthy().config("");
    assert!(
        none.run("checklist-incomplete")[0]
            .detail
            .contains("verified_domain")
    );
}

#[test]
fn evidence_missing() {
    assert!(Case::healthy().run("evidence-missing").is_empty());
    let c =
        Case::healthy().config(&READY.replace("press: [https://example.com/article]", "press: []"));
    let found = c.run("evidence-missing");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("press") && !found[0].detail.contains("funding"),
        "{}",
        found[0].detail
    );
}

#[test]
fn no_deploy_workflow() {
    assert!(Case::healthy().run("no-deploy-workflow").is_empty());
    let mut c = Case::healthy();
    c.act.workflows = vec![
        workflow(".github/workflows/ci.yml", false),
        workflow(".github/workflows/lint.yml", false),
    ];
    let found = c.run("no-deploy-workflow");
    assert_eq!(found.len(), 1);
    assert!(
        found[0].detail.contains("None of the 2 workflows"),
        "{}",
        found[0].detail
    );
    assert_eq!(
        place(&found[0]),
        (Some(".github/workflows/ci.yml"), Some(1))
    );
    c.inv = Inventory::default();
    assert!(c.run("no-deploy-workflow").is_empty(), "nothing to deploy");
}
