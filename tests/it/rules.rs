//! Per-rule fixtures, in the style of ruff's: for each suggestion rule `azengage rules` lists, a small repository
//! under `tests/fixtures/rules/<rule-id>/fires/` that makes it fire and one under `.../quiet/` that does not,
//! each written the way public Azure repositories write Bicep, Terraform, `azure.yaml`, workflows and
//! `.github/azengage.yml`, Cost Management exports under `costs/` (FOCUS CSV rows from the bicep-startup
//! example, named by `costs.path`). One table-driven test scans them all with `azengage scan --format json`.
//!
//! A fixture with a `history.txt` (one `YYYY-MM-DD` a line, `#` comments) becomes a git repository: the files
//! committed on the first date, then one change of `infra/main.bicep` committed on each later date. Without
//! it the fixture is scanned outside any repository.

use crate::git_support::{Repo, copy_tree};
use assert_cmd::Command;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// "Today" for every fixture: the config fixtures' program dates are written against it.
const AS_OF: &str = "2026-11-20";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

/// The rule ids `azengage rules` lists, in its order.
fn listed_rules() -> Vec<String> {
    let out = Command::cargo_bin("azengage")
        .expect("binary")
        .arg("rules")
        .output()
        .expect("azengage rules runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|id| id.starts_with("AZE"))
        .map(str::to_string)
        .collect()
}

/// The commit dates of a fixture's `history.txt`, when it has one.
fn history(fixture: &Path) -> Option<Vec<String>> {
    let text = std::fs::read_to_string(fixture.join("history.txt")).ok()?;
    let dates = text
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(str::to_string)
        .collect();
    Some(dates)
}

/// A git repository holding `fixture`'s files, committed on the dates of its history.
fn repository(fixture: &Path, dates: &[String]) -> Repo {
    let repo = Repo::new();
    copy_tree(fixture, repo.path());
    std::fs::remove_file(repo.path().join("history.txt")).expect("history.txt");
    for (n, day) in dates.iter().enumerate() {
        if n > 0 {
            let template = repo.path().join("infra/main.bicep");
            let text = std::fs::read_to_string(&template).expect("infra/main.bicep");
            repo.write("infra/main.bicep", &format!("{text}// change {n}\n"));
        }
        repo.commit(
            &format!("infra: change {n}"),
            &format!("{day} 12:00:00 +0000"),
        );
    }
    repo
}

/// The ids of the suggestions `azengage scan` makes on a copy of `fixture`: a repository of its own when the
/// fixture has a history, otherwise a directory outside any repository (azengage's own history and config
/// stay out of it either way).
fn suggestion_ids(fixture: &Path) -> BTreeSet<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let repo = history(fixture).map(|dates| repository(fixture, &dates));
    let root = match &repo {
        Some(repo) => repo.path().to_path_buf(),
        None => {
            copy_tree(fixture, dir.path());
            dir.path().to_path_buf()
        }
    };
    let out = Command::cargo_bin("azengage")
        .expect("binary")
        .args(["scan", "--format", "json", "--as-of", AS_OF])
        .arg(&root)
        .output()
        .expect("azengage scan runs");
    assert!(
        out.status.success(),
        "{}: exit {:?}: {}",
        fixture.display(),
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the scan's JSON");
    doc["suggestions"]
        .as_array()
        .expect("suggestions")
        .iter()
        .filter_map(|s| s["id"].as_str().map(str::to_string))
        .collect()
}

/// The fixture directories present: `(rule id, "fires" | "quiet", path)`.
fn fixture_dirs() -> Vec<(String, String, PathBuf)> {
    let mut dirs = Vec::new();
    for rule in std::fs::read_dir(fixtures())
        .expect("tests/fixtures/rules")
        .flatten()
    {
        for case in std::fs::read_dir(rule.path()).expect("rule dir").flatten() {
            dirs.push((
                rule.file_name().to_string_lossy().into_owned(),
                case.file_name().to_string_lossy().into_owned(),
                case.path(),
            ));
        }
    }
    dirs.sort();
    dirs
}

#[test]
fn every_rule_fires_on_its_fires_fixture_and_not_on_its_quiet_one() {
    let mut wrong = Vec::new();
    for (rule, case, path) in fixture_dirs() {
        let ids = suggestion_ids(&path);
        let fired = ids.contains(&rule);
        match case.as_str() {
            "fires" if !fired => {
                wrong.push(format!("{rule}/fires: {rule} did not fire; got {ids:?}"))
            }
            "quiet" if fired => wrong.push(format!("{rule}/quiet: {rule} fired")),
            "fires" | "quiet" => {}
            other => wrong.push(format!("{rule}/{other}: neither fires/ nor quiet/")),
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_listed_rule_has_a_fixture_pair_and_every_fixture_a_rule() {
    let listed = listed_rules();
    assert!(listed.len() >= 17, "azengage rules lists {listed:?}");
    let present: BTreeSet<(String, String)> = fixture_dirs()
        .into_iter()
        .map(|(rule, case, _)| (rule, case))
        .collect();
    let mut without = Vec::new();
    for rule in &listed {
        let pair =
            ["fires", "quiet"].map(|case| present.contains(&(rule.clone(), case.to_string())));
        match pair {
            [true, true] => {}
            [false, false] => without.push(rule.as_str()),
            _ => panic!("{rule} has only one of fires/ and quiet/"),
        }
    }
    assert!(
        without.is_empty(),
        "rules without a fixture pair: {without:?}"
    );
    for (rule, _) in &present {
        assert!(
            listed.contains(rule),
            "tests/fixtures/rules/{rule} names no rule"
        );
    }
}
