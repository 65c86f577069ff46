//! The `rules` and `init` commands, run as a user runs them.

use assert_cmd::Command;
use predicates::prelude::*;

fn azengage() -> Command {
    let mut cmd = Command::cargo_bin("azengage").unwrap_or_else(|e| panic!("binary: {e}"));
    cmd.env("NO_COLOR", "1").env_remove("AZENGAGE_LOG");
    cmd
}

fn stdout_of(args: &[&str]) -> String {
    let out = azengage()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap_or_default()
}

#[test]
fn rules_lists_every_rule() {
    let text = stdout_of(&["rules"]);
    insta::assert_snapshot!("rules_text", text);
    assert_eq!(text.lines().filter(|l| l.starts_with("AZE")).count(), 17);
}

#[test]
fn rules_by_id_shows_the_documentation() {
    let text = stdout_of(&["rules", "AZE001"]);
    assert!(text.starts_with("AZE001 no-monitoring: "), "{text}");
    for heading in [
        "What it checks",
        "Why it matters for the review",
        "How to fix",
        "Example",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "missing {heading}: {text}"
        );
    }
    assert!(text.contains("Microsoft.OperationalInsights/workspaces"));
}

#[test]
fn rules_by_name_as_json() {
    let text = stdout_of(&["rules", "no-monitoring", "--format", "json"]);
    let value: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(
        value,
        serde_json::json!([{
            "id": "AZE001",
            "name": "no-monitoring",
            "severity": "warning",
            "title": "No Log Analytics workspace, Application Insights or diagnostic settings",
            "docs": "docs/rules/AZE001.md"
        }])
    );
}

#[test]
fn all_rules_as_json_name_their_docs_pages() {
    let text = stdout_of(&["rules", "--format", "json"]);
    let value: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap_or_default();
    assert_eq!(value.len(), 17);
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for rule in &value {
        let docs = rule["docs"].as_str().unwrap_or_default();
        assert!(root.join(docs).is_file(), "{docs} does not exist");
        let severity = rule["severity"].as_str().unwrap_or_default();
        assert!(["error", "warning", "note"].contains(&severity));
    }
}

#[test]
fn unknown_rule_is_a_usage_error() {
    azengage()
        .args(["rules", "no-monitor"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("unknown rule 'no-monitor'")
                .and(predicate::str::contains("no-monitoring")),
        );
}

#[test]
fn init_writes_a_config_that_loads_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .args(["init"])
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote .github/azengage.yml"));
    let file = dir.path().join(".github/azengage.yml");
    let written = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(written, azengage::config::starter_config());
    assert!(azengage::config::Config::find(dir.path()).is_ok());

    std::fs::write(&file, "fail_on: error\n").unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .args(["init"])
        .current_dir(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("already exists; use --force"));
    let kept = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(kept, "fail_on: error\n");

    azengage()
        .args(["init", "--force"])
        .current_dir(dir.path())
        .assert()
        .success();
    let replaced = std::fs::read_to_string(&file).unwrap_or_default();
    assert_eq!(replaced, azengage::config::starter_config());
}

#[test]
fn init_with_a_path_writes_under_that_repository() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let repo = dir.path().join("my-repo");
    std::fs::create_dir(&repo).unwrap_or_else(|e| panic!("{e}"));
    azengage()
        .arg("init")
        .arg(&repo)
        .arg("-q")
        .assert()
        .success()
        .stdout("");
    assert!(repo.join(".github/azengage.yml").is_file());
}
