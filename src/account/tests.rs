use super::*;
use jiff::civil::date;
use serde_json::{Value, json};

/// A scan document as `scan --format json` writes it, with `resources` as (ARM type, service, location, file).
fn doc(
    repository: &str,
    as_of: &str,
    resources: &[(&str, &str, &str, &str)],
    weeks: Value,
) -> Value {
    let resources: Vec<Value> = resources
        .iter()
        .enumerate()
        .map(|(i, (arm, service, location, file))| {
            json!({
                "arm_type": arm, "source_type": format!("{arm}@2023-01-01"), "api_version": "2023-01-01",
                "name": format!("r{i}"), "file": file, "line": i + 1, "location": location,
                "location_expr": "location", "existing": false, "via_module": null, "service": service,
                "category": "Compute", "solution_area": "Infrastructure (Azure)"
            })
        })
        .collect();
    json!({
        "schema_version": 1, "as_of": as_of, "repository": repository, "config_file": null,
        "activity": {
            "source": "git", "weekly": weeks,
            "workflows": [{"file": ".github/workflows/deploy.yml", "deploys": true, "tools": ["azd"],
                           "triggers": ["push"], "branches": ["main"], "regions": []}],
            "metrics": {}, "shallow": false
        },
        "score": {"total": 30, "band": "needs_improvement"},
        "program": {"kind": null, "tier": null, "review_date": null, "days_to_review": null,
                    "score_visible_from": null, "credits_expire": null, "state": "not_configured"},
        "suggestions": [], "services": [], "regions": [], "resources": resources, "diagnostics": []
    })
}

fn read(v: &Value, file: &str) -> ScanDocument {
    document::parse(file, v.to_string().as_bytes()).unwrap()
}

fn weeks(entries: &[(&str, u32, u32)]) -> Value {
    entries
        .iter()
        .map(|(w, c, d)| json!({"week_start": w, "iac_commits": c, "deployments": d}))
        .collect()
}

fn three() -> Vec<ScanDocument> {
    let web = doc(
        "acme/web",
        "2026-11-25",
        &[
            (
                "Microsoft.Web/sites",
                "App Service",
                "westeurope",
                "infra/main.bicep",
            ),
            (
                "Microsoft.KeyVault/vaults",
                "Key Vault",
                "westeurope",
                "infra/main.bicep",
            ),
        ],
        weeks(&[
            ("2026-11-09", 2, 1),
            ("2026-11-16", 0, 0),
            ("2026-11-23", 1, 0),
        ]),
    );
    let api = doc(
        "acme/api",
        "2026-11-25",
        &[
            (
                "Microsoft.DocumentDB/databaseAccounts",
                "Azure Cosmos DB",
                "northeurope",
                "infra/main.bicep",
            ),
            (
                "Microsoft.Web/sites",
                "App Service",
                "northeurope",
                "infra/main.bicep",
            ),
        ],
        weeks(&[("2026-11-16", 3, 2), ("2026-11-23", 1, 1)]),
    );
    let data = doc(
        "acme/data",
        "2026-11-20",
        &[(
            "Microsoft.Storage/storageAccounts",
            "Storage Accounts",
            "swedencentral",
            "main.tf",
        )],
        weeks(&[("2026-10-26", 4, 0)]),
    );
    vec![
        read(&web, "web.json"),
        read(&api, "api.json"),
        read(&data, "data.json"),
    ]
}

#[test]
fn services_are_the_union_and_weeks_are_summed() {
    let outcome = merge(three(), &MergeParams::default()).unwrap();
    let r = &outcome.report;
    assert_eq!(r.as_of, date(2026, 11, 25), "the newest scan's date");
    let services: Vec<&str> = r.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(services.len(), 4, "{services:?}");
    for s in [
        "App Service",
        "Key Vault",
        "Azure Cosmos DB",
        "Storage Accounts",
    ] {
        assert!(services.contains(&s), "{s} missing from {services:?}");
    }
    assert_eq!(r.regions.len(), 3);
    let week = |d| {
        r.activity
            .weekly
            .iter()
            .find(|w| w.week_start == d)
            .unwrap()
    };
    assert_eq!(week(date(2026, 11, 16)).iac_commits, 3);
    assert_eq!(week(date(2026, 11, 16)).deployments, 2);
    assert_eq!(week(date(2026, 11, 23)).iac_commits, 2);
    assert_eq!(week(date(2026, 11, 23)).deployments, 1);
    assert_eq!(
        week(date(2026, 11, 2)).iac_commits,
        0,
        "a quiet week is filled in"
    );
    assert_eq!(
        r.activity.weekly.first().unwrap().week_start,
        date(2026, 10, 26)
    );
    assert_eq!(r.activity.metrics.active_weeks_13, 4);
    assert_eq!(r.activity.workflows.len(), 3);
    assert!(
        r.activity
            .workflows
            .iter()
            .any(|w| w.file == "acme/api/.github/workflows/deploy.yml")
    );
}

#[test]
fn the_account_is_assessed_again_not_averaged() {
    let docs = three();
    let outcome = merge(docs.clone(), &MergeParams::default()).unwrap();
    let merged = &outcome.report.score;
    for d in &docs {
        let alone = merge(vec![d.clone()], &MergeParams::default())
            .unwrap()
            .report
            .score;
        assert!(merged.breadth.points >= alone.breadth.points, "{}", d.name);
        assert!(
            merged.consistency.points >= alone.consistency.points,
            "{}",
            d.name
        );
    }
    let repos = &outcome.report.account.as_ref().unwrap().repositories;
    let names: Vec<&str> = repos.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["acme/api", "acme/data", "acme/web"]);
    let api = &repos[0];
    assert_eq!(api.services, ["App Service", "Azure Cosmos DB"]);
    assert_eq!(api.services_only_here, ["Azure Cosmos DB"]);
    assert_eq!(
        (api.active_weeks_13, api.iac_commits_13, api.deployments_13),
        (2, 4, 3)
    );
    assert_eq!(api.regions, ["northeurope"]);
    assert_eq!(api.score, Some(30));
}

#[test]
fn files_keep_their_repository_apart() {
    let outcome = merge(three(), &MergeParams::default()).unwrap();
    let files: std::collections::BTreeSet<&str> = outcome
        .report
        .resources
        .iter()
        .map(|r| r.file.as_str())
        .collect();
    assert!(files.contains("acme/web/infra/main.bicep"));
    assert!(files.contains("acme/api/infra/main.bicep"));
    assert_eq!(outcome.report.resources.len(), 5);
}

#[test]
fn resources_not_deployed_are_listed_but_not_counted() {
    let mut v = doc(
        "acme/web",
        "2026-11-25",
        &[
            (
                "Microsoft.Web/sites",
                "App Service",
                "westeurope",
                "infra/main.bicep",
            ),
            (
                "Microsoft.Cache/redis",
                "Azure Cache for Redis",
                "westeurope",
                "infra/unused.bicep",
            ),
        ],
        weeks(&[]),
    );
    v["resources"][1]["deployed"] = json!(false);
    v["resources"][1]["why_not"] = json!("unreferenced");
    let outcome = merge(vec![read(&v, "web.json")], &MergeParams::default()).unwrap();
    let services: Vec<&str> = outcome
        .report
        .services
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(services, ["App Service"]);
    let json = serde_json::to_value(json::AccountDocument::new(&outcome)).unwrap();
    let listed = json["resources"].as_array().unwrap();
    assert_eq!(listed.len(), 2, "every resource is in the document");
    assert_eq!(listed[1]["why_not"], "unreferenced");
    assert_eq!(listed[1]["repository"], "acme/web");
    assert_eq!(listed[1]["file"], "infra/unused.bicep");
}

#[test]
fn the_same_repository_twice_is_an_error_naming_it() {
    let mut docs = three();
    let mut again = docs[0].clone();
    again.name = "ACME/web".into();
    again.file = "copy.json".into();
    docs.push(again);
    let err = merge(docs, &MergeParams::default()).err().unwrap();
    assert_eq!(
        crate::exit::ExitStatus::exit(&err),
        crate::exit::Exit::Usage
    );
    let text = err.to_string();
    assert!(
        text.contains("ACME/web") && text.contains("web.json") && text.contains("copy.json"),
        "{text}"
    );
}

#[test]
fn a_repository_with_its_own_program_is_named_once() {
    let mut docs = three();
    docs[2].program.kind = Some("founders-hub".into());
    docs[2].program.review_date = Some(date(2027, 1, 15));
    docs[2].program.credits_expire = Some(date(2027, 3, 1));
    let text = "program:\n  kind: founders-hub\n  joined: 2026-06-01\n  credits:\n    expires: 2027-06-01\n";
    let params = MergeParams {
        config: crate::config::Config::parse("account.yml", text).unwrap(),
        ..MergeParams::default()
    };
    let outcome = merge(docs, &params).unwrap();
    let r = &outcome.report;
    assert_eq!(
        r.program.review_date,
        Some(date(2027, 4, 17)),
        "the account's dates win"
    );
    let notes = &r.account.as_ref().unwrap().notes;
    let about: Vec<&String> = notes.iter().filter(|n| n.contains("acme/data")).collect();
    assert_eq!(about.len(), 1, "{notes:?}");
    let program = about[0];
    assert!(
        program.contains("review date 2027-01-15 (the account's: 2027-04-17)"),
        "{program}"
    );
    assert!(!program.contains("kind"), "kind agrees: {program}");
    assert!(
        !notes
            .iter()
            .any(|n| n.contains("acme/web") || n.contains("acme/api")),
        "{notes:?}"
    );
}

#[test]
fn a_scan_without_a_repository_is_named_by_its_file() {
    let mut v = doc("x", "2026-11-25", &[], weeks(&[]));
    v["repository"] = Value::Null;
    let outcome = merge(vec![read(&v, "scans/web.json")], &MergeParams::default()).unwrap();
    let a = outcome.report.account.as_ref().unwrap();
    assert_eq!(a.repositories[0].name, "scans/web.json");
    assert!(a.notes[0].contains("--repo owner/name"), "{:?}", a.notes);
}

#[test]
fn as_of_cuts_later_weeks() {
    let params = MergeParams {
        as_of: Some(date(2026, 11, 18)),
        ..MergeParams::default()
    };
    let outcome = merge(three(), &params).unwrap();
    let last = outcome.report.activity.weekly.last().unwrap();
    assert_eq!(last.week_start, date(2026, 11, 16));
}

#[test]
fn the_json_document_has_every_field_a_scan_has() {
    let outcome = merge(three(), &MergeParams::default()).unwrap();
    let merged = serde_json::to_value(json::AccountDocument::new(&outcome)).unwrap();
    let mut scan = serde_json::to_value(&outcome.report).unwrap();
    for (key, _) in scan.as_object().unwrap() {
        assert!(merged.get(key).is_some(), "merged document lacks `{key}`");
    }
    for (key, _) in scan["activity"].as_object().unwrap() {
        assert!(
            merged["activity"].get(key).is_some(),
            "merged activity lacks `{key}`"
        );
    }
    assert!(merged["repository"].is_null());
    // The fixture documents were written before scans had roots: none to carry, and the summary says so.
    assert_eq!(merged["roots"], serde_json::json!([]));
    assert_eq!(merged["roots_summary"], "0 roots from 0 of 3 repositories");
    assert_eq!(merged["repositories"].as_array().unwrap().len(), 3);
    assert_eq!(merged["activity"]["workflows"][0]["repository"], "acme/api");
    assert_eq!(
        merged["activity"]["workflows"][0]["file"],
        ".github/workflows/deploy.yml"
    );
    scan["resources"] = Value::Null;
    assert_eq!(merged["score"], scan["score"]);
}

#[test]
fn secrets_in_a_scan_reach_the_merged_rules() {
    let mut v = doc(
        "acme/api",
        "2026-11-25",
        &[(
            "Microsoft.Web/sites",
            "App Service",
            "westeurope",
            "main.tf",
        )],
        weeks(&[]),
    );
    let rule = |outcome: &MergeOutcome| {
        outcome
            .report
            .suggestions
            .iter()
            .any(|s| s.rule == "no-key-vault" && s.file.as_deref() == Some("acme/api/main.tf"))
    };
    let without = merge(vec![read(&v, "api.json")], &MergeParams::default()).unwrap();
    assert!(!rule(&without));
    v["resources"][0]["uses_secrets"] = json!(true);
    let with = merge(vec![read(&v, "api.json")], &MergeParams::default()).unwrap();
    assert!(rule(&with), "{:?}", with.report.suggestions);
}
