//! The command line end to end (assert_cmd): the contract's JSON shapes, exit codes, diagnostics that do not
//! stop a run, and snapshots of what a person reads.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn azengage() -> Command {
    let mut cmd = Command::cargo_bin("azengage").unwrap();
    cmd.current_dir(ROOT)
        .env_remove("GITHUB_TOKEN")
        .env("NO_COLOR", "1");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let out = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn inventory_json_has_the_contract_shape() {
    let v = json_of(azengage().args([
        "inventory",
        "examples/terraform-startup",
        "--format",
        "json",
    ]));
    assert_eq!(v["schema_version"], 1);
    let web = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source_type"] == "azurerm_linux_web_app")
        .unwrap();
    let keys: Vec<&str> = web
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for k in [
        "arm_type",
        "source_type",
        "api_version",
        "name",
        "file",
        "line",
        "location",
        "location_expr",
        "existing",
        "via_module",
        "service",
        "category",
        "solution_area",
    ] {
        assert!(keys.contains(&k), "missing {k} in {keys:?}");
    }
    assert_eq!(web["arm_type"], "Microsoft.Web/sites");
    assert_eq!(web["file"], "main.tf");
    assert_eq!(web["location"], "westeurope");
    assert_eq!(web["location_expr"], "azurerm_resource_group.main.location");
    // A module's resource carries the module reference and its own file.
    let pg = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["source_type"] == "azurerm_postgresql_flexible_server")
        .unwrap();
    assert_eq!(pg["file"], "modules/data/main.tf");
    assert_eq!(pg["via_module"], "./modules/data");
    // The AVM registry module resolves by name.
    let kv = v["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["arm_type"] == "Microsoft.KeyVault/vaults")
        .unwrap();
    assert_eq!(kv["source_type"], "Azure/avm-res-keyvault-vault/azurerm");
    assert_eq!(
        v["regions"][0],
        serde_json::json!({"name": "westeurope", "display_name": "West Europe", "resources": 12})
    );
    assert!(
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "Azure OpenAI" && s["solution_area"] == "Data & AI (Azure)")
    );
}

#[test]
fn inventory_text_snapshot() {
    let out = azengage()
        .args([
            "inventory",
            "examples/terraform-startup",
            "examples/bicep-startup",
        ])
        .assert()
        .success();
    insta::assert_snapshot!(String::from_utf8_lossy(&out.get_output().stdout));
}

#[test]
fn a_broken_file_is_a_diagnostic_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("good.tf"), "resource \"azurerm_resource_group\" \"rg\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n").unwrap();
    std::fs::write(
        dir.path().join("bad.tf"),
        "resource \"azurerm_storage_account\" \"sa\" {\n  name = \"x\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad.bicep"),
        "resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'x\n}\n",
    )
    .unwrap();
    let out = azengage()
        .args(["inventory", "--format", "json"])
        .arg(dir.path())
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).unwrap();
    let files: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"bad.tf") && files.contains(&"bad.bicep"),
        "{files:?}"
    );
    for d in v["diagnostics"].as_array().unwrap() {
        assert!(d["line"].as_u64().unwrap() >= 1, "{d}");
    }
    assert!(
        v["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["name"] == "rg")
    );
    azengage()
        .arg("inventory")
        .arg(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"bad\.tf:\d+:\d+: error: ").unwrap());
}

#[test]
fn exit_codes() {
    azengage()
        .args(["inventory", "no/such/dir"])
        .assert()
        .code(3)
        .stderr(predicate::str::contains("no/such/dir"));
    azengage()
        .args(["inventory", "--format", "yaml"])
        .assert()
        .code(2);
    azengage()
        .args(["scan", "--fail-on", "sometimes"])
        .assert()
        .code(2);
    azengage().args(["scan", "no/such/dir"]).assert().code(3);
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".github")).unwrap();
    std::fs::write(
        dir.path().join(".github/azengage.yml"),
        "program:\n  kind: founders-hub\n  credit: 1\n",
    )
    .unwrap();
    azengage()
        .arg("scan")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "azengage.yml:3:3: unknown key 'credit'",
        ));
}

#[test]
fn scan_json_has_the_contract_fields_and_thresholds_set_the_exit_code() {
    let args = [
        "scan",
        "examples/terraform-startup",
        "--as-of",
        "2026-11-23",
        "--format",
        "json",
    ];
    let v = json_of(azengage().args(args));
    assert_eq!(v["schema_version"], 1);
    assert_eq!(v["as_of"], "2026-11-23");
    assert!(v["activity"]["source"].is_string());
    assert!(v["activity"]["weekly"].is_array());
    assert_eq!(
        v["activity"]["workflows"][0]["file"],
        ".github/workflows/deploy.yml"
    );
    assert_eq!(
        v["activity"]["workflows"][0]["tools"],
        serde_json::json!(["terraform"])
    );
    assert!(v["score"]["total"].as_u64().unwrap() <= 100);
    assert!(
        ["not_scored_yet", "needs_improvement", "moderate", "strong"]
            .contains(&v["score"]["band"].as_str().unwrap())
    );
    assert!(
        v["score"]["breadth"]["factors"].is_array()
            && v["score"]["consistency"]["factors"].is_array()
    );
    // review date = credits.expires (2027-03-02) − 45 days.
    assert_eq!(v["program"]["review_date"], "2027-01-16");
    assert_eq!(v["program"]["days_to_review"], 54);
    assert_eq!(v["program"]["score_visible_from"], "2026-05-31");
    let s = &v["suggestions"][0];
    for k in ["id", "rule", "severity", "title", "detail", "file", "line"] {
        assert!(s.get(k).is_some(), "suggestion lacks {k}: {s}");
    }
    azengage()
        .args(&args[..4])
        .args(["--fail-on", "warning"])
        .assert()
        .code(1);
    azengage()
        .args(&args[..4])
        .args(["--min-score", "100"])
        .assert()
        .code(1);
    azengage()
        .args(&args[..4])
        .args(["--fail-on", "never"])
        .assert()
        .code(0);
}

#[test]
fn scan_sarif_and_markdown() {
    let v = json_of(azengage().args([
        "scan",
        "examples/terraform-startup",
        "--as-of",
        "2026-11-23",
        "--format",
        "sarif",
    ]));
    assert_eq!(v["version"], "2.1.0");
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap();
        assert!(uri.starts_with("examples/terraform-startup/"), "{uri}");
        assert!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap()
                >= 1
        );
    }
    azengage()
        .args([
            "scan",
            "examples/terraform-startup",
            "--as-of",
            "2026-11-23",
            "--format",
            "markdown",
        ])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("### Program timeline")
                .and(predicate::str::contains("### Suggestions")),
        );
}

/// A git repository in a temp dir with commits at chosen dates.
struct Repo(tempfile::TempDir);

impl Repo {
    fn new() -> Repo {
        let r = Repo(tempfile::tempdir().unwrap());
        r.git(&["init", "-q", "-b", "main"]);
        r.git(&["config", "user.name", "t"]);
        r.git(&["config", "user.email", "t@example.com"]);
        r
    }
    fn path(&self) -> &Path {
        self.0.path()
    }
    fn git(&self, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
    fn commit(&self, file: &str, text: &str, date: &str) -> String {
        let p = self.path().join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self.git(&["add", "-A"]);
        let out = std::process::Command::new("git")
            .args(["commit", "-q", "-m", file])
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .current_dir(self.path())
            .output()
            .unwrap();
        assert!(out.status.success());
        self.git(&["rev-parse", "HEAD"])
    }
}

const RG: &str = "resource \"azurerm_resource_group\" \"main\" {\n  name     = \"rg\"\n  location = \"westeurope\"\n}\n";

#[test]
fn diff_reads_both_revisions_from_git() {
    let repo = Repo::new();
    let base = repo.commit("infra/main.tf", RG, "2026-10-05T10:00:00Z");
    let head_text = format!(
        "{RG}\nresource \"azurerm_linux_web_app\" \"web\" {{\n  name     = \"web\"\n  location = \"northeurope\"\n}}\n"
    );
    let head = repo.commit("infra/main.tf", &head_text, "2026-10-06T10:00:00Z");
    let mut cmd = azengage();
    cmd.current_dir(repo.path()).args([
        "diff", "--base", &base, "--head", "HEAD", "--format", "json",
    ]);
    let v = json_of(&mut cmd);
    assert_eq!(v["base"], base.as_str());
    assert_eq!(v["head"], head.as_str());
    assert_eq!(v["files_changed"], serde_json::json!(["infra/main.tf"]));
    assert_eq!(
        v["resources"]["added"][0]["source_type"],
        "azurerm_linux_web_app"
    );
    assert_eq!(v["resources"]["added"][0]["location"], "northeurope");
    assert_eq!(v["resources"]["removed"], serde_json::json!([]));
    assert_eq!(
        v["services"]["added"],
        serde_json::json!(["Azure App Service"])
    );
    assert_eq!(v["regions"]["added"], serde_json::json!(["northeurope"]));
    assert!(
        v["score"]["base"].as_u64().unwrap() < v["score"]["head"].as_u64().unwrap(),
        "{}",
        v["score"]
    );
    let mut md = azengage();
    md.current_dir(repo.path()).args([
        "diff", "--base", &base, "--head", "HEAD", "--format", "markdown",
    ]);
    md.assert().success().stdout(
        predicate::str::contains("## What this pull request changes")
            .and(predicate::str::contains("`web`")),
    );
    // Moving the block to another file of the same directory changes nothing.
    std::fs::write(repo.path().join("infra/main.tf"), RG).unwrap();
    repo.commit(
        "infra/web.tf",
        &head_text.replace(RG, ""),
        "2026-10-07T10:00:00Z",
    );
    let mut cmd = azengage();
    cmd.current_dir(repo.path()).args([
        "diff", "--base", &head, "--head", "HEAD", "--format", "json",
    ]);
    let v = json_of(&mut cmd);
    assert_eq!(v["resources"]["added"], serde_json::json!([]));
    assert_eq!(v["resources"]["removed"], serde_json::json!([]));
}

#[test]
fn scan_counts_iac_commits_per_iso_week() {
    let repo = Repo::new();
    repo.commit("main.tf", RG, "2026-11-02T09:00:00Z"); // Monday
    repo.commit("README.md", "docs", "2026-11-03T09:00:00Z"); // not IaC
    repo.commit(
        "main.tf",
        &RG.replace("rg\"", "rg2\""),
        "2026-11-08T23:30:00Z",
    ); // Sunday, same week
    repo.commit("vars.tfvars", "x = 1\n", "2026-11-16T08:00:00+02:00"); // Monday 06:00 UTC
    let mut cmd = azengage();
    cmd.args(["scan", "--as-of", "2026-11-20", "--format", "json"])
        .arg(repo.path());
    let v = json_of(&mut cmd);
    assert_eq!(v["activity"]["source"], "git");
    let weeks: Vec<(String, u64)> = v["activity"]["weekly"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["week_start"].as_str().unwrap().to_string(),
                w["iac_commits"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        weeks,
        [
            ("2026-11-02".to_string(), 2),
            ("2026-11-09".to_string(), 0),
            ("2026-11-16".to_string(), 1)
        ]
    );
}

/// Front Door Standard/Premium lives under `Microsoft.Cdn/profiles`, the type classic CDN uses too: the sku
/// (Bicep, ARM, the AVM `cdn/profile` module's `sku`) or the Terraform type tells them apart, and the endpoints, routes and origin groups only Front Door
/// has follow it.
#[test]
fn front_door_profiles_are_front_door_and_classic_cdn_stays_cdn() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("main.bicep"),
        r#"param location string = resourceGroup().location

resource frontDoor 'Microsoft.Cdn/profiles@2024-02-01' = {
  name: 'afd-contoso'
  location: 'global'
  sku: {
    name: 'Premium_AzureFrontDoor'
  }
}

resource endpoint 'Microsoft.Cdn/profiles/afdEndpoints@2024-02-01' = {
  parent: frontDoor
  name: 'web'
  location: 'global'
  properties: {
    enabledState: 'Enabled'
  }
}

resource cdn 'Microsoft.Cdn/profiles@2024-02-01' = {
  name: 'cdn-contoso'
  location: 'global'
  sku: {
    name: 'Standard_Microsoft'
  }
}

param frontDoorSku string = 'Standard_AzureFrontDoor'

module avmFrontDoor 'br/public:avm/res/cdn/profile:0.20.0' = {
  name: 'avm-front-door'
  params: {
    name: 'afd-avm'
    location: 'global'
    sku: frontDoorSku
  }
}

module avmCdn 'br/public:avm/res/cdn/profile:0.20.0' = {
  name: 'avm-cdn'
  params: {
    name: 'cdn-avm'
    location: 'global'
    sku: 'Standard_Microsoft'
  }
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.path().join("main.tf"),
        r#"resource "azurerm_cdn_frontdoor_profile" "fd" {
  name                = "fd-contoso"
  resource_group_name = "rg-contoso"
  sku_name            = "Standard_AzureFrontDoor"
}

resource "azurerm_cdn_frontdoor_origin_group" "og" {
  name                     = "origins"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.fd.id
  load_balancing {}
}
"#,
    )
    .unwrap();
    // An ARM template written the way the AVM `cdn/profile` module compiles: the sku from a parameter.
    std::fs::create_dir(dir.path().join("arm")).unwrap();
    std::fs::write(
        dir.path().join("arm/azuredeploy.json"),
        r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "sku": {
      "type": "string",
      "defaultValue": "Standard_AzureFrontDoor",
      "allowedValues": ["Standard_Verizon", "Standard_Microsoft", "Standard_AzureFrontDoor", "Premium_AzureFrontDoor"]
    }
  },
  "resources": [
    {
      "type": "Microsoft.Cdn/profiles",
      "apiVersion": "2024-02-01",
      "name": "armFrontDoor",
      "location": "global",
      "sku": { "name": "[parameters('sku')]" }
    },
    {
      "type": "Microsoft.Cdn/profiles",
      "apiVersion": "2024-02-01",
      "name": "armCdn",
      "location": "global",
      "sku": { "name": "Standard_Microsoft" }
    }
  ]
}
"#,
    )
    .unwrap();
    let v =
        json_of(
            azengage()
                .current_dir(dir.path())
                .args(["inventory", ".", "--format", "json"]),
        );
    let service_of = |name: &str| {
        let found: Vec<&Value> = v["resources"]
            .as_array()
            .unwrap()
            .iter()
            // A registry module is also listed as the deployment it compiles to.
            .filter(|r| r["name"] == name && r["arm_type"] != "Microsoft.Resources/deployments")
            .collect();
        assert_eq!(found.len(), 1, "{name}: {found:#?}");
        found[0]["service"].as_str().unwrap_or_default().to_string()
    };
    for name in [
        "frontDoor",
        "endpoint",
        "fd",
        "og",
        "armFrontDoor",
        "avmFrontDoor",
    ] {
        assert_eq!(service_of(name), "Azure Front Door", "{name}");
    }
    assert_eq!(service_of("cdn"), "Content Delivery Network");
    assert_eq!(service_of("armCdn"), "Content Delivery Network");
    assert_eq!(service_of("avmCdn"), "Content Delivery Network");
}
